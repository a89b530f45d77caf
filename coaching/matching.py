"""Ranking coaches for a fellow: a plain, documented score (tested in test_matching.py).

For each coach of the fellow's program:

* **Conflict of interest** — the coach lists the fellow's agency among their current or
  recent employers (compared without case or surrounding spaces). Such a coach is *not
  eligible*: shown last, flagged, and the assign service refuses them.
* **Full** — no capacity left (active fellows ≥ capacity). Not eligible either.
* Otherwise the score is the sum of:
    - `EXPERTISE_POINTS` (10) for each competency in both the coach's expertise and the
      competencies of the fellow's action plan (0 when the fellow has no plan yet);
    - `LANGUAGE_POINTS` (5) when the coach coaches in at least one language the fellow asked
      for (no language asked for: 0 for everybody, so it does not change the order);
    - `CAPACITY_POINTS` (1) per open place, at most `CAPACITY_CAP` (5), which spreads the load;
    - `REGION_POINTS` (2) when the coach lists the fellow's state or territory.

Eligible coaches first, by score (highest first), then by more capacity left, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coaching.models import CoachProfile

EXPERTISE_POINTS = 10
LANGUAGE_POINTS = 5
CAPACITY_POINTS = 1
CAPACITY_CAP = 5
REGION_POINTS = 2


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class CoachMatch:
    profile: CoachProfile
    active_count: int
    score: int = 0
    capacity_left: int = 0
    shared_competencies: list = field(default_factory=list)
    shared_languages: list = field(default_factory=list)
    knows_region: bool = False
    conflict: bool = False

    @property
    def full(self) -> bool:
        return self.capacity_left <= 0

    @property
    def eligible(self) -> bool:
        return not (self.conflict or self.full)


def score_coach(
    *,
    profile,
    active_count: int,
    expertise_ids: set[int],
    plan_competency_ids: set[int],
    fellow_languages: list[str],
    fellow_state: str,
    fellow_agency: str,
    competency_names: dict[int, str] | None = None,
) -> CoachMatch:
    match = CoachMatch(profile=profile, active_count=active_count)
    match.capacity_left = profile.capacity - active_count
    match.conflict = bool(fellow_agency) and _norm(fellow_agency) in {
        _norm(a) for a in profile.affiliation_list
    }
    shared = expertise_ids & plan_competency_ids
    names = competency_names or {}
    match.shared_competencies = sorted(names.get(pk, str(pk)) for pk in shared)
    wanted = {_norm(lang) for lang in fellow_languages}
    match.shared_languages = [lang for lang in profile.language_list if _norm(lang) in wanted]
    match.knows_region = _norm(fellow_state) in {_norm(r) for r in profile.region_list}
    match.score = (
        EXPERTISE_POINTS * len(shared)
        + (LANGUAGE_POINTS if match.shared_languages else 0)
        + CAPACITY_POINTS * max(0, min(match.capacity_left, CAPACITY_CAP))
        + (REGION_POINTS if match.knows_region else 0)
    )
    return match


def rank(matches: list[CoachMatch]) -> list[CoachMatch]:
    return sorted(
        matches,
        key=lambda m: (not m.eligible, -m.score, -m.capacity_left, m.profile.user.full_name),
    )
