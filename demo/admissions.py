"""Demo: the open application round for next year's cohort, so staff, reviewers and
applicants see intake at work. Applicants from every state and territory (most submitted,
some still drafts), letters arrived or awaited, three reviewers (one from outside the
program) assigned and partly through their scoring. Idempotent: a round of the same title
is left as it is."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from admissions import services
from admissions.models import (
    Application,
    ApplicationRound,
    ApplicationStatus,
    QuestionKind,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
    RubricCriterion,
)
from cohorts.geography import StateOrTerritory, time_zone_for_state
from cohorts.models import Cohort, CohortStatus, Sector
from demo.accounts import DEMO_DOMAIN, DemoContext, demo_user

AGENCIES = [
    ("Medicaid agency", Sector.MEDICAID),
    ("Department of Public Health", Sector.PUBLIC_HEALTH),
    ("Children and Family Services", Sector.CHILD_WELFARE),
    ("Office of the Governor", Sector.GOVERNORS_OFFICE),
    ("Legislative Health Committee", Sector.LEGISLATURE),
]
ANSWERS = [
    "Cutting the wait for postpartum Medicaid coverage in rural counties.",
    "A statewide plan for language access in public health clinics.",
    "Moving child welfare funding toward prevention with community partners.",
    "Aligning the governor's health equity goals across six agencies.",
]


def _next_cohort(ctx: DemoContext) -> Cohort:
    current = ctx.current_cohort
    start = current.end_date + datetime.timedelta(days=1)
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    cohort, _ = Cohort.objects.get_or_create(
        program=ctx.program,
        name=f"{start.year}–{end.year} cohort",
        defaults={"start_date": start, "end_date": end, "status": CohortStatus.PLANNED},
    )
    return cohort


def seed(ctx: DemoContext) -> None:
    cohort = _next_cohort(ctx)
    title = f"Applications to the {cohort.name}"
    reviewer = demo_user(f"reviewer@{DEMO_DOMAIN}", "Dr. Imani Okafor", time_zone="America/Denver")
    ctx.logins["reviewer"] = reviewer.email
    round_ = ApplicationRound.objects.filter(cohort=cohort, title=title).first()
    if round_ is not None:
        ctx.objects.update(admission_round=round_)
        return
    now = timezone.now()
    round_ = ApplicationRound.objects.create(
        cohort=cohort,
        title=title,
        eligibility=(
            "Senior leaders in state and territorial government: Medicaid, public health, "
            "child welfare, governors' offices and legislative staff, with a strategic "
            "initiative to advance health equity in the coming year."
        ),
        opens_at=now - datetime.timedelta(days=21),
        closes_at=now + datetime.timedelta(days=35),
        letters_required=1,
        reviewers_per_application=2,
        requires_statement=False,
    )
    RoundQuestion.objects.create(
        round=round_,
        kind=QuestionKind.LONG_TEXT,
        text="Which strategic initiative would your Leadership Action Plan advance?",
    )
    RoundQuestion.objects.create(
        round=round_,
        kind=QuestionKind.SINGLE,
        text="Does your agency support your participation?",
        choices=["Yes, in writing", "Yes", "Not yet"],
        position=1,
    )
    RoundQuestion.objects.create(
        round=round_,
        kind=QuestionKind.MULTIPLE,
        text="Which populations does your work reach?",
        choices=["Rural communities", "Tribal nations", "Immigrant families", "Older adults"],
        required=False,
        position=2,
    )
    criteria = [
        RubricCriterion.objects.create(round=round_, name="Leadership potential", weight=3),
        RubricCriterion.objects.create(round=round_, name="Equity focus", weight=2, position=1),
        RubricCriterion.objects.create(round=round_, name="Agency support", weight=1, position=2),
    ]
    q1, q2, q3 = list(round_.questions.all())
    for index, state in enumerate(StateOrTerritory):
        agency, sector = AGENCIES[index % len(AGENCIES)]
        user = demo_user(
            f"applicant.{state.value.lower()}@{DEMO_DOMAIN}",
            f"Applicant from {state.label}",
            time_zone=time_zone_for_state(state.value),
        )
        submitted = index % 6 != 5  # about one in six still a draft
        application = Application.objects.create(
            round=round_,
            applicant=user,
            state=state.value,
            agency=f"{state.label} {agency}",
            title="Deputy director" if index % 2 else "Program manager",
            sector=sector,
            answers={
                str(q1.pk): ANSWERS[index % len(ANSWERS)],
                str(q2.pk): q2.choices[index % 3],
                str(q3.pk): q3.choices[index % 2 :: 2],
            },
            status=ApplicationStatus.SUBMITTED if submitted else ApplicationStatus.DRAFT,
            submitted_at=now - datetime.timedelta(days=index % 14) if submitted else None,
        )
        arrived = index % 3 != 0
        ReferenceRequest.objects.create(
            application=application,
            name=f"Referee of {state.label}",
            email=f"referee.{state.value.lower()}@example.org",
            # A hash of a token nobody holds: demo letters are not answered through the link.
            token_hash=ReferenceRequest.hash_token(secrets.token_urlsafe(32)),
            sent_at=now - datetime.timedelta(days=10),
            expires_at=round_.deadline + datetime.timedelta(days=14),
            received_at=now - datetime.timedelta(days=3) if arrived else None,
            letter_text="A thoughtful, steady leader who brings partners along." if arrived else "",
        )
        if index == 0:
            ctx.logins["applicant"] = user.email
    seats = [
        ReviewerSeat.objects.create(round=round_, user=ctx.staff),
        ReviewerSeat.objects.create(round=round_, user=ctx.director),
        ReviewerSeat.objects.create(
            round=round_, user=reviewer, agency="University health policy center", state="CO"
        ),
    ]
    services.assign_reviewers(round_=round_, by=ctx.director)
    # Reviewers are about half way through.
    for i, assignment in enumerate(ReviewAssignment.objects.filter(seat__in=seats).order_by("pk")):
        if i % 2:
            continue
        services.review_submit(
            assignment=assignment,
            raw_scores={f"c{c.pk}": str(1 + (i + n) % 5) for n, c in enumerate(criteria)},
            comments="Clear initiative; ask about agency backing.",
        )
    ctx.objects.update(admission_round=round_)
