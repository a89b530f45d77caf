"""How raters' answers become what a fellow may see: plain functions, no database.

The rules (tested with hand-computed tables in tests/feedback360/test_aggregate.py):

1. A relationship group with at least MIN_GROUP_SIZE (3) answers is shown on its own. So is
   the supervisor group of any size when the program allows it *and* every supervisor in it
   was told so when answering.
2. Smaller groups are merged into one "others" group; the "other" relationship, when it is
   shown on its own, takes them in (that is the group they merge into).
3. If "others" is still under 3, the smallest group shown on its own is folded into it, again
   and again, until it reaches 3. Hiding "others" instead would not protect anyone: the
   overall average minus the groups shown would give away its average.
4. If fewer than 3 raters answered in all, no rater figure and no open answer is shown.

So the groups shown never overlap, each has at least 3 answers (but a supervisor shown alone
by consent), and together they hold every answer: no combination of the figures shown gives
away a smaller group. Open answers are listed without names, each question sorted on its
own by the text, so neither the order nor the pairing of answers tells who wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .models import MIN_GROUP_SIZE, Relationship

if TYPE_CHECKING:
    from curriculum.models import CompetencyDomain

ORDER = [r.value for r in Relationship]
PLURAL: dict[str, str] = {
    Relationship.SUPERVISOR: "Supervisor",
    Relationship.PEER: "Peers",
    Relationship.DIRECT_REPORT: "Direct reports",
    Relationship.COMMUNITY_PARTNER: "Community partners",
    Relationship.OTHER: "Others",
}
OTHERS = "others"


@dataclass(frozen=True)
class Answer:
    """One rater's answers, as the report needs them (no name, no time)."""

    relationship: str
    told_shown_alone: bool
    ratings: dict  # competency id → value
    strengths: str = ""
    to_develop: str = ""


@dataclass(frozen=True)
class GroupPlan:
    key: str  # a relationship, or "others" for the merged group
    relationships: tuple[str, ...]
    count: int

    @property
    def label(self) -> str:
        if self.key != OTHERS:
            return PLURAL[self.key]
        return "Others combined"

    @property
    def description(self) -> str:
        """Which relationships a merged group holds (never how many of each)."""
        if self.key != OTHERS:
            return ""
        names = [Relationship(r).label.lower() for r in ORDER if r in self.relationships]
        return "Answers of " + _join(names) + ", merged so that no group has fewer than 3."


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def plan_groups(counts: dict[str, int], *, supervisor_alone: bool) -> list[GroupPlan]:
    """The groups to show, given how many answered per relationship; [] when under 3 in all."""
    present = [r for r in ORDER if counts.get(r, 0) > 0]
    if sum(counts.get(r, 0) for r in present) < MIN_GROUP_SIZE:
        return []
    alone = [
        r
        for r in present
        if counts[r] >= MIN_GROUP_SIZE or (r == Relationship.SUPERVISOR and supervisor_alone)
    ]
    pool = [r for r in present if r not in alone]
    if pool and Relationship.OTHER in alone:
        alone.remove(Relationship.OTHER)
        pool.append(Relationship.OTHER)
    while pool and sum(counts[r] for r in pool) < MIN_GROUP_SIZE:
        # Fold in the smallest group shown alone (on a tie, the later one in ORDER).
        smallest = min(alone, key=lambda r: (counts[r], -ORDER.index(r)))
        alone.remove(smallest)
        pool.append(smallest)
    plans = [GroupPlan(r, (r,), counts[r]) for r in ORDER if r in alone]
    if pool:
        members = tuple(r for r in ORDER if r in pool)
        key = members[0] if len(members) == 1 else OTHERS
        plans.append(GroupPlan(key, members, sum(counts[r] for r in members)))
    return plans


def average(values) -> Decimal | None:
    """The mean, rounded half up to one decimal (as a person would by hand)."""
    values = list(values)
    return mean_of(sum(values), len(values))


def mean_of(total: int, count: int) -> Decimal | None:
    """`average()` of `count` values adding up to `total` (as the database sums them)."""
    if not count:
        return None
    mean = Fraction(total, count)
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Column:
    """One column of the report: the fellow's self-rating, a group, or all raters."""

    key: str
    label: str
    count: int | None  # None for the self-rating
    description: str = ""
    by_competency: dict = field(default_factory=dict)  # competency id → Decimal | None
    by_domain: dict = field(default_factory=dict)  # domain id → Decimal | None


@dataclass
class Report:
    total: int
    columns: list[Column]  # self first, then the groups, then all raters (if 2+ groups)
    strengths: list[str]
    to_develop: list[str]

    @property
    def is_hidden(self) -> bool:
        """Too few answers: no rater figure is shown at all."""
        return self.total < MIN_GROUP_SIZE

    @property
    def rater_columns(self) -> list[Column]:
        return [c for c in self.columns if c.key != "self"]


def _column(key, label, count, ratings_lists, domain_of, description="") -> Column:
    """`ratings_lists`: one {competency id: value} per answer (or the self-rating)."""
    per_competency = defaultdict(list)
    per_domain = defaultdict(list)
    for ratings in ratings_lists:
        for competency_id, value in ratings.items():
            per_competency[competency_id].append(value)
            per_domain[domain_of[competency_id]].append(value)
    return Column(
        key=key,
        label=label,
        count=count,
        description=description,
        by_competency={c: average(per_competency.get(c, [])) for c in domain_of},
        by_domain={d: average(per_domain.get(d, [])) for d in set(domain_of.values())},
    )


def build_report(
    answers: list[Answer],
    *,
    domain_of: dict,
    self_ratings: dict | None,
    supervisor_alone_allowed: bool,
) -> Report:
    """`domain_of`: competency id → domain id, for every competency of the framework."""
    counts: dict[str, int] = defaultdict(int)
    for answer in answers:
        counts[answer.relationship] += 1
    supervisors = [a for a in answers if a.relationship == Relationship.SUPERVISOR]
    supervisor_alone = supervisor_alone_allowed and all(a.told_shown_alone for a in supervisors)
    columns = [_column("self", "Self", None, [self_ratings] if self_ratings else [], domain_of)]
    plans = plan_groups(counts, supervisor_alone=supervisor_alone)
    for plan in plans:
        members = [a.ratings for a in answers if a.relationship in plan.relationships]
        columns.append(
            _column(plan.key, plan.label, plan.count, members, domain_of, plan.description)
        )
    if len(plans) > 1:
        columns.append(
            _column("all", "All raters", len(answers), [a.ratings for a in answers], domain_of)
        )
    shown = bool(plans)
    return Report(
        total=len(answers),
        columns=columns,
        strengths=_open_answers(a.strengths for a in answers) if shown else [],
        to_develop=_open_answers(a.to_develop for a in answers) if shown else [],
    )


def _open_answers(texts) -> list[str]:
    """Non-empty answers sorted by their text: an order that says nothing about who wrote
    them or when."""
    return sorted((t.strip() for t in texts if t and t.strip()), key=lambda t: (t.casefold(), t))


# --- Cohort figures (staff, funders) ---------------------------------------------------------

# A cohort figure needs this many fellows whose own report shows rater figures, so that it
# never stands for one fellow's raters.
MIN_FELLOWS = 3


@dataclass
class CohortDomainRow:
    domain_id: int
    self_avg: Decimal | None
    raters_avg: Decimal | None
    domain: CompetencyDomain | None = None  # set by the selector for the page


@dataclass
class CohortFigures:
    fellows: int  # fellows counted (each with at least 3 rater answers)
    answers: int
    rows: list[CohortDomainRow]

    @property
    def is_hidden(self) -> bool:
        return self.fellows < MIN_FELLOWS


def cohort_figures(
    answers_by_fellow: dict, self_by_fellow: dict, *, domain_of: dict
) -> CohortFigures:
    """Domain averages over every rater answer of the fellows who each have at least 3, and
    the same fellows' self-ratings; hidden under MIN_FELLOWS such fellows."""
    counted = {f: a for f, a in answers_by_fellow.items() if len(a) >= MIN_GROUP_SIZE}
    raters = _column(
        "all",
        "Raters",
        0,
        [a.ratings for answers in counted.values() for a in answers],
        domain_of,
    )
    selves = _column(
        "self",
        "Self",
        None,
        [self_by_fellow[f] for f in counted if self_by_fellow.get(f)],
        domain_of,
    )
    domains = list(dict.fromkeys(domain_of.values()))
    figures = CohortFigures(
        fellows=len(counted),
        answers=sum(len(a) for a in counted.values()),
        rows=[
            CohortDomainRow(d, selves.by_domain.get(d), raters.by_domain.get(d)) for d in domains
        ],
    )
    if figures.is_hidden:
        figures.rows = []
    return figures


def cohort_figures_of_sums(
    answers_by_fellow: dict[int, int], raters: dict, selves: dict, *, domains: list
) -> CohortFigures:
    """`cohort_figures()` from sums the database made: how many answers each fellow has,
    and per domain the (total, count) of the rater and self ratings of the fellows who each
    have at least 3 answers. Averages of sums are the averages of the values, so the figures
    are the same; only the reading is cheaper."""
    counted = [n for n in answers_by_fellow.values() if n >= MIN_GROUP_SIZE]
    figures = CohortFigures(
        fellows=len(counted),
        answers=sum(counted),
        rows=[
            CohortDomainRow(d, mean_of(*selves.get(d, (0, 0))), mean_of(*raters.get(d, (0, 0))))
            for d in domains
        ],
    )
    if figures.is_hidden:
        figures.rows = []
    return figures
