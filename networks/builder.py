"""The group builder: proposes balanced accountability groups for a roster.

A plain function with no database access, so it can be tested on thousands of rosters.

The rules, hard first:

1. **Never two fellows of one agency in a group.** Agency names are compared after
   normalisation (case folded, surrounding and repeated whitespace removed), so
   "Ohio  Medicaid" and "ohio medicaid" are the same agency. An empty agency matches nobody.
2. **Sizes within one of each other.** The number of groups is chosen by `group_count`
   (sizes within 4–6 whenever the roster allows, average closest to the size staff chose);
   dealing gives the first `n % groups` groups one extra member.
3. **Mix states and sectors** as well as the roster allows (soft).

The method:

- The roster is first sorted by key and shuffled with `random.Random(seed)`: the result
  depends on the roster and the seed only, not on the order the roster was given in.
- **Deal:** fellows are laid out agency by agency (largest agencies first, the rest in the
  shuffled order) and dealt round-robin into the groups. An agency with at most as many
  fellows as there are groups lands in distinct groups, and round-robin dealing keeps sizes
  within one — so rules 1 and 2 hold from the start whenever they can hold at all.
- **Improve:** pairs of fellows in different groups are swapped when the swap keeps rule 1
  and lowers the *clash score* (for every group, each pair of members from one state costs
  `STATE_WEIGHT`, each pair from one sector `SECTOR_WEIGHT`). Swaps never change sizes.
  Passes repeat in a fixed order until no swap helps (or `MAX_PASSES`).

When rule 1 cannot hold (an agency has more fellows than there are groups) the builder
raises `BuilderError` saying which agency and what to do. Clashes of state or sector that
remain are reported as notes on the proposal, so staff can see them before saving.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

STATE_WEIGHT = 3
SECTOR_WEIGHT = 2
MAX_PASSES = 25
# PRODUCT.md: groups of 4–6 fellows, unless the program sets its own sizes (2–8: the
# peer-coaching pairs and trios of a scholars program).
MIN_SIZE, MAX_SIZE = 4, 6
SMALLEST, LARGEST = 2, 8


class BuilderError(ValueError):
    """The roster cannot be grouped under the hard rules; the message says why."""


@dataclass(frozen=True)
class Fellow:
    key: SupportsRichComparison  # e.g. an enrollment id; must sort against the other keys
    state: str
    sector: str
    agency: str
    label: str = ""  # for messages, e.g. the fellow's name


@dataclass
class Proposal:
    groups: list[list[Fellow]]
    notes: list[str] = field(default_factory=list)

    @property
    def sizes(self) -> list[int]:
        return [len(group) for group in self.groups]


def normalize_agency(name: str) -> str:
    """'  Ohio   MEDICAID ' → 'ohio medicaid'."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()


def group_count(n: int, size: int, *, min_size: int = MIN_SIZE, max_size: int = MAX_SIZE) -> int:
    """How many groups for `n` fellows and the chosen `size`: among the counts whose
    balanced sizes all fall within min_size–max_size, the one whose average size is closest
    to `size` (on a tie, fewer and larger groups). When no count fits (a very small
    roster), simply the count with the closest average."""
    if n <= 0:
        return 0
    candidates = range(1, n + 1)
    fitting = [k for k in candidates if n // k >= min_size and -(-n // k) <= max_size]
    return min(fitting or candidates, key=lambda k: (abs(n / k - size), k))


def propose_groups(
    roster: Sequence[Fellow],
    size: int,
    seed: int = 0,
    *,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
) -> Proposal:
    if not SMALLEST <= min_size <= max_size <= LARGEST:
        raise BuilderError(f"Group sizes go from {SMALLEST} to {LARGEST}.")
    if size < 2:
        raise BuilderError("Choose a group size of at least 2.")
    if len(roster) < 2:
        raise BuilderError("At least two active fellows are needed to build groups.")
    keys = [fellow.key for fellow in roster]
    if len(set(keys)) != len(keys):
        raise BuilderError("The roster lists a fellow twice.")

    count = group_count(len(roster), size, min_size=min_size, max_size=max_size)
    agencies = Counter(normalize_agency(f.agency) for f in roster if normalize_agency(f.agency))
    crowded = [(agency, n) for agency, n in agencies.most_common() if n > count]
    if crowded:
        agency, n = crowded[0]
        name = next(f.agency.strip() for f in roster if normalize_agency(f.agency) == agency)
        raise BuilderError(
            f"{n} fellows come from {name}, but there would be only {count} groups, so two of "
            f"them would have to share a group. Choose a smaller group size (at least {n} "
            "groups are needed)."
        )

    rng = random.Random(seed)
    ordered = sorted(roster, key=lambda f: f.key)
    rng.shuffle(ordered)
    position = {f.key: i for i, f in enumerate(ordered)}

    # Deal: agency blocks, largest first; ties and fellows without an agency in shuffled order.
    first_seen: dict[str, int] = {}
    for fellow in ordered:
        first_seen.setdefault(normalize_agency(fellow.agency), position[fellow.key])

    def block_key(fellow):
        agency = normalize_agency(fellow.agency)
        if not agency:
            return (-1, position[fellow.key], position[fellow.key])
        return (-agencies[agency], first_seen[agency], position[fellow.key])

    dealt = sorted(ordered, key=block_key)
    groups: list[list[Fellow]] = [[] for _ in range(count)]
    for index, fellow in enumerate(dealt):
        groups[index % count].append(fellow)

    _improve(groups)
    for group in groups:
        group.sort(key=lambda f: position[f.key])
    notes = _notes(groups)
    if min(len(g) for g in groups) < min_size or max(len(g) for g in groups) > max_size:
        notes.insert(
            0,
            f"With {len(roster)} fellows the groups cannot all have {min_size}–{max_size} members.",
        )
    return Proposal(groups=groups, notes=notes)


def clash_score(group: Sequence[Fellow]) -> int:
    """The cost of one group: pairs of members from one state or one sector."""
    states = Counter(f.state for f in group)
    sectors = Counter(f.sector for f in group)
    return STATE_WEIGHT * sum(c * (c - 1) // 2 for c in states.values()) + SECTOR_WEIGHT * sum(
        c * (c - 1) // 2 for c in sectors.values()
    )


def _improve(groups: list[list[Fellow]]) -> None:
    """Hill-climbs by swapping members between groups (see the module docstring). Keeps a
    count of states, sectors and agencies per group so a swap's effect is computed in O(1)."""
    agency_of = {f.key: normalize_agency(f.agency) for group in groups for f in group}
    counts = [
        (
            Counter(f.state for f in group),
            Counter(f.sector for f in group),
            Counter(agency_of[f.key] for f in group),
        )
        for group in groups
    ]

    def change(counter, leaving, joining, weight):
        # Pairs within one value: c*(c-1)/2, so one fewer costs c-1 and one more costs c.
        if leaving == joining:
            return 0
        return weight * (counter[joining] - (counter[leaving] - 1))

    def may_join(agencies, leaving, joining):
        agency = agency_of[joining.key]
        if not agency:
            return True
        return agencies[agency] - (1 if agency_of[leaving.key] == agency else 0) == 0

    for _ in range(MAX_PASSES):
        improved = False
        for gi in range(len(groups)):
            for gj in range(gi + 1, len(groups)):
                (s1, c1, ag1), (s2, c2, ag2) = counts[gi], counts[gj]
                for ai in range(len(groups[gi])):
                    for bj in range(len(groups[gj])):
                        a, b = groups[gi][ai], groups[gj][bj]
                        delta = (
                            change(s1, a.state, b.state, STATE_WEIGHT)
                            + change(c1, a.sector, b.sector, SECTOR_WEIGHT)
                            + change(s2, b.state, a.state, STATE_WEIGHT)
                            + change(c2, b.sector, a.sector, SECTOR_WEIGHT)
                        )
                        if delta >= 0 or not (may_join(ag1, a, b) and may_join(ag2, b, a)):
                            continue
                        groups[gi][ai], groups[gj][bj] = b, a
                        for (states, sectors, agencies), out, into in (
                            (counts[gi], a, b),
                            (counts[gj], b, a),
                        ):
                            states[out.state] -= 1
                            states[into.state] += 1
                            sectors[out.sector] -= 1
                            sectors[into.sector] += 1
                            agencies[agency_of[out.key]] -= 1
                            agencies[agency_of[into.key]] += 1
                        improved = True
        if not improved:
            return


def _notes(groups: list[list[Fellow]]) -> list[str]:
    """Clashes beyond the fair share: a group holds more fellows of one state (or sector)
    than that state's fellows divided evenly over the groups would give it."""
    count = len(groups)
    notes = []
    for attribute, noun in (("state", "from {}"), ("sector", "in the {} sector")):
        totals = Counter(getattr(f, attribute) for group in groups for f in group)
        for number, group in enumerate(groups, start=1):
            for value, n in sorted(Counter(getattr(f, attribute) for f in group).items()):
                if n > 1 and n > -(-totals[value] // count):
                    notes.append(f"Group {number} has {n} fellows {noun.format(value)}.")
    return notes


def agency_clashes(groups: Sequence[Sequence[Fellow]]) -> list[str]:
    """Messages for groups that put two fellows of one agency together (for edited
    proposals: staff may move people by hand)."""
    messages = []
    for number, group in enumerate(groups, start=1):
        seen: dict[str, Fellow] = {}
        for fellow in group:
            agency = normalize_agency(fellow.agency)
            if not agency:
                continue
            if agency in seen:
                messages.append(
                    f"Group {number}: {seen[agency].label or seen[agency].key} and "
                    f"{fellow.label or fellow.key} both work at {fellow.agency.strip()}."
                )
            else:
                seen[agency] = fellow
    return messages
