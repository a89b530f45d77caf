"""Demo 360° feedback, in the shape of a health-equity leadership institute:

- the program asks each fellow for 1 supervisor and 3 peers, and approves nominations;
- the current cohort's baseline window has closed with answers (supervisor, peers, direct
  reports, a community partner), so each fellow has a report; the demo fellow shares theirs
  with their coach;
- a midpoint window is open, where some fellows' nominations wait for approval and the demo
  fellow has not nominated anyone yet (left for the browser);
- the past cohort has a baseline and a final window with answers, so its growth page and
  funder report show how raters' views changed.

Idempotent: a window that already has raters is left alone. Scales with `--scale`.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from cohorts.models import EnrollmentStatus
from curriculum.models import AssessmentPhase, Competency
from demo.accounts import DEMO_DOMAIN
from feedback360.models import (
    FeedbackPolicy,
    FeedbackWindow,
    Nomination,
    NominationStatus,
    RaterCircle,
    RaterRating,
    RaterResponse,
    Relationship,
)

FIRST = ["Marisol", "Keoni", "Tanya", "Dwayne", "Leilani", "Ahmed", "Rosa", "Jamal", "Mei", "Luis"]
LAST = ["Ortiz", "Kahale", "Begay", "Washington", "Nguyen", "Haddad", "Santos", "Reyes", "Tano"]

# Who answers for each fellow: a supervisor, peers, direct reports and a community partner.
CIRCLE = [
    Relationship.SUPERVISOR,
    Relationship.PEER,
    Relationship.PEER,
    Relationship.PEER,
    Relationship.PEER,
    Relationship.DIRECT_REPORT,
    Relationship.DIRECT_REPORT,
    Relationship.COMMUNITY_PARTNER,
]

STRENGTHS = [
    "Brings community voices into the room before decisions are made.",
    "Explains Medicaid policy so that everyone can follow it.",
    "Stays calm and curious when the conversation gets hard.",
    "Builds trust across agencies that have not worked together before.",
    "Names inequities in the data plainly and proposes what to do.",
    "Follows through on every commitment to partners.",
    "Makes space for junior staff to lead parts of the work.",
    "Keeps the team focused on the people we serve.",
]
TO_DEVELOP = [
    "Delegate more, so the team can grow into the work.",
    "Say no to new requests sooner, to protect the priorities.",
    "Share decisions with the team earlier, not only when final.",
    "Spend more time with partners outside the capital.",
    "Ask for feedback more often, not just at review time.",
    "Bring the budget office in at the start of new initiatives.",
]


def _day(cohort, month: int, day: int) -> datetime.date:
    year = cohort.start_date.year if month >= 9 else cohort.start_date.year + 1
    return min(max(datetime.date(year, month, day), cohort.start_date), cohort.end_date)


def _closed_window(cohort, phase, opens, closes, today) -> FeedbackWindow:
    """The window of this phase, with its last day before today so its reports are ready."""
    closes = min(closes, today - datetime.timedelta(days=1))
    closes = max(closes, cohort.start_date)
    opens = min(opens, closes)
    window, _ = FeedbackWindow.objects.get_or_create(
        cohort=cohort, phase=phase, defaults={"opens_on": opens, "closes_on": closes}
    )
    return window


def _rater_name(ctx, i: int) -> str:
    return f"{ctx.rng.choice(FIRST)} {LAST[i % len(LAST)]}"


def _fill(ctx, window, enrollments, competencies, *, lift: int, shared_for=None) -> None:
    """Circles, invited nominations and answers for a closed window (unless it has raters)."""
    if RaterCircle.objects.filter(window=window).exists():
        return
    answered_at = timezone.make_aware(
        datetime.datetime.combine(window.closes_on, datetime.time(12, 0))
    )
    circles = RaterCircle.objects.bulk_create(
        [
            RaterCircle(
                window=window,
                enrollment=e,
                shared_with_coach_at=answered_at if e.user == shared_for else None,
            )
            for e in enrollments
        ]
    )
    nominations, responses, ratings = [], [], []
    for circle in circles:
        demo_fellow = circle.enrollment.user == ctx.fellow
        for i, relationship in enumerate(CIRCLE):
            # Most raters answer; the demo fellow's all do, so every group shows.
            answers = demo_fellow or ctx.rng.random() < 0.8
            slug = f"{circle.enrollment.user.email.split('@')[0]}.{window.phase}.{i}"
            nominations.append(
                Nomination(
                    circle=circle,
                    name=_rater_name(ctx, i),
                    email=f"rater.{slug}@partners.{DEMO_DOMAIN}",
                    relationship=relationship,
                    status=NominationStatus.INVITED,
                    invited_at=answered_at - datetime.timedelta(days=20),
                    answered_at=answered_at if answers else None,
                )
            )
            if not answers:
                continue
            response = RaterResponse(
                circle=circle,
                relationship=relationship,
                strengths=ctx.rng.choice(STRENGTHS) if ctx.rng.random() < 0.7 else "",
                to_develop=ctx.rng.choice(TO_DEVELOP) if ctx.rng.random() < 0.6 else "",
            )
            responses.append(response)
            for competency in competencies:
                value = min(5, max(1, ctx.rng.choice([2, 3, 3, 4]) + lift))
                ratings.append(RaterRating(response=response, competency=competency, value=value))
    Nomination.objects.bulk_create(nominations, batch_size=1000)
    RaterResponse.objects.bulk_create(responses, batch_size=1000)
    RaterRating.objects.bulk_create(ratings, batch_size=2000)


def _open_window(ctx, cohort, enrollments, today) -> None:
    """The midpoint window, open from a week ago: a few fellows' nominations wait for
    approval; the demo fellow has not started."""
    if today <= cohort.start_date or today >= cohort.end_date:
        return
    opens = max(today - datetime.timedelta(days=7), cohort.start_date)
    closes = min(today + datetime.timedelta(days=21), cohort.end_date)
    window, created = FeedbackWindow.objects.get_or_create(
        cohort=cohort,
        phase=AssessmentPhase.MIDPOINT,
        defaults={"opens_on": opens, "closes_on": closes},
    )
    if not created or window.circles.exists():
        return
    waiting = [e for e in enrollments if e.user != ctx.fellow][:4]
    for e in waiting:
        circle = RaterCircle.objects.create(window=window, enrollment=e)
        Nomination.objects.bulk_create(
            [
                Nomination(
                    circle=circle,
                    name=_rater_name(ctx, i),
                    email=f"rater.{e.user.email.split('@')[0]}.midpoint.{i}@partners.{DEMO_DOMAIN}",
                    relationship=relationship,
                    status=NominationStatus.PENDING,
                )
                for i, relationship in enumerate(CIRCLE[:5])
            ]
        )


def seed(ctx) -> None:
    program = ctx.program
    FeedbackPolicy.objects.get_or_create(
        program=program,
        defaults={"min_supervisor": 1, "min_peer": 3, "approval_required": True},
    )
    today = ctx.today
    current, past = ctx.current_cohort, ctx.past_cohort
    competencies = list(Competency.objects.filter(domain__framework=current.framework_id))

    active = [e for e in ctx.current_enrollments if e.status == EnrollmentStatus.ACTIVE]
    baseline = _closed_window(
        current, AssessmentPhase.BASELINE, _day(current, 9, 15), _day(current, 10, 20), today
    )
    _fill(ctx, baseline, active, competencies, lift=0, shared_for=ctx.fellow)
    _open_window(ctx, current, active, today)

    alumni = [e for e in ctx.past_enrollments if e.status == EnrollmentStatus.COMPLETED]
    past_competencies = list(Competency.objects.filter(domain__framework=past.framework_id))
    for phase, opens, closes, lift in (
        (AssessmentPhase.BASELINE, (9, 15), (10, 20), 0),
        (AssessmentPhase.FINAL, (7, 1), (8, 10), 1),
    ):
        window = _closed_window(past, phase, _day(past, *opens), _day(past, *closes), today)
        _fill(ctx, window, alumni, past_competencies, lift=lift)
    ctx.objects.update(feedback_baseline=baseline)
