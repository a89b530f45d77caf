"""The coach ranking: a documented score in coaching/matching.py, computed here by hand."""

from django.urls import reverse

from action_plans.models import ActionPlan
from coaching.matching import rank, score_coach
from coaching.models import CoachProfile
from coaching.selectors import coach_matches
from tests.factories.accounts import UserFactory
from tests.factories.coaching import (
    CoachAssignmentFactory,
    CoachingPreferencesFactory,
    CoachProfileFactory,
)
from tests.factories.cohorts import EnrollmentFactory


def _profile(name, **fields):
    user = UserFactory.build(full_name=name)
    return CoachProfile(user=user, **fields)


def test_score_adds_expertise_language_capacity_and_region():
    profile = _profile(
        "Ana", capacity=6, languages="English, Spanish", regions="PR, NY", affiliations=""
    )
    match = score_coach(
        profile=profile,
        active_count=4,
        expertise_ids={1, 2, 3},
        plan_competency_ids={2, 3, 9},
        fellow_languages=["spanish"],
        fellow_state="PR",
        fellow_agency="Puerto Rico Health",
    )
    # 2 shared competencies × 10 + shared language 5 + 2 open places × 1 + knows PR 2 = 29
    assert match.score == 29
    assert match.capacity_left == 2
    assert match.shared_languages == ["Spanish"]
    assert match.eligible


def test_capacity_points_are_capped_at_five():
    profile = _profile("Big", capacity=20, languages="English")
    match = score_coach(
        profile=profile,
        active_count=0,
        expertise_ids=set(),
        plan_competency_ids=set(),
        fellow_languages=[],
        fellow_state="HI",
        fellow_agency="Hawaii Medicaid",
    )
    assert match.score == 5


def test_coach_from_the_fellows_agency_is_a_conflict_and_not_eligible():
    profile = _profile("Conflicted", capacity=6, affiliations="  hawaii MEDICAID , Other")
    match = score_coach(
        profile=profile,
        active_count=0,
        expertise_ids={1},
        plan_competency_ids={1},
        fellow_languages=[],
        fellow_state="HI",
        fellow_agency="Hawaii Medicaid",
    )
    assert match.conflict
    assert not match.eligible


def test_rank_puts_eligible_first_then_score_then_capacity_then_name():
    def m(name, score, left, conflict=False):
        match = score_coach(
            profile=_profile(name, capacity=left, affiliations="X" if conflict else ""),
            active_count=0,
            expertise_ids=set(),
            plan_competency_ids=set(),
            fellow_languages=[],
            fellow_state="",
            fellow_agency="X",
        )
        match.score = score
        return match

    ranked = rank(
        [
            m("Zed", 10, 3),
            m("Conflict", 99, 3, conflict=True),
            m("Full", 50, 0),
            m("Amy", 10, 3),
            m("Top", 20, 1),
            m("Roomy", 10, 5),
        ]
    )
    assert [x.profile.user.full_name for x in ranked] == [
        "Top",
        "Roomy",
        "Amy",
        "Zed",
        "Conflict",
        "Full",
    ]


def test_coach_matches_use_the_fellows_plan_and_languages(cast, competencies):
    fellow = EnrollmentFactory(cohort=cast.cohort, state="PR", agency="Puerto Rico Medicaid")
    plan = ActionPlan.objects.create(enrollment=fellow, title="Waiver")
    plan.competencies.set(competencies[:2])
    CoachingPreferencesFactory(enrollment=fellow, languages="Spanish")
    expert = CoachProfileFactory(
        user=UserFactory(full_name="Elena Expert"),
        programs=[cast.program],
        capacity=3,
        languages="English, Spanish",
    )
    expert.expertise.set(competencies[:2])
    conflicted = CoachProfileFactory(
        user=UserFactory(full_name="Carl Conflict"),
        programs=[cast.program],
        affiliations="Puerto Rico Medicaid",
    )
    conflicted.expertise.set(competencies)
    # A coach of another program is not offered at all.
    CoachProfileFactory(user=UserFactory(full_name="Olive Other"), programs=[cast.other_program])
    CoachAssignmentFactory(coach=expert.user, enrollment=EnrollmentFactory(cohort=cast.cohort))

    matches = coach_matches(fellow)
    names = [m.profile.user.full_name for m in matches]
    assert "Olive Other" not in names
    assert names[0] == "Elena Expert"
    top = matches[0]
    # 2 × 10 expertise + 5 Spanish + 2 open places = 27
    assert top.score == 27
    assert top.shared_competencies == ["Advancing equity", "Systems thinking"]
    assert names[-1] == "Carl Conflict"
    assert matches[-1].conflict


def test_assign_page_shows_the_ranking_and_flags_conflicts(cast, client_for):
    fellow = cast.enrollments["peer"]  # Puerto Rico Health, no coach
    CoachProfileFactory(
        user=UserFactory(full_name="Carl Conflict"),
        programs=[cast.program],
        affiliations="Puerto Rico Health",
    )
    body = client_for("staff").get(reverse("coaching:assign", args=[fellow.code])).content.decode()
    assert "Conflict of interest" in body
    assert body.index("Cora Coach") < body.index("Carl Conflict")
    # A conflicted coach has no radio button to choose.
    assert body.count('name="coach"') == 2
