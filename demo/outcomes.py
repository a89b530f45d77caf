"""Demo: results on the plans of both cohorts and the fellows' optional demographics, so the
impact report, its map and its equity tables look like a real program's.

Alumni of the past cohort have reported most (their plans had a year to work, and they
keep reporting); current fellows have a first result or none yet. Results follow each
plan's theme and happen in the fellow's own state, some nationally. Consent is spread over
the three levels (most may go to funders, many may be told publicly, some stay internal),
and staff have verified about two in three. Most fellows answered the demographic
questions; some chose "prefer not to say", a few have not answered. Idempotent: a plan
that has results keeps them; a person who answered keeps their answers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from action_plans.models import ActionPlan, FocusLevel
from demo.accounts import DemoContext
from outcomes.models import (
    CareerSector,
    Consent,
    DemographicProfile,
    Gender,
    LivedExperience,
    LivedExperienceAnswer,
    RaceEthnicity,
    RaceEthnicityAnswer,
    Result,
    ResultFocusLevel,
    ResultKind,
)

PAT, ORG, COM, SOC = (
    FocusLevel.PATIENT,
    FocusLevel.ORGANIZATIONAL,
    FocusLevel.COMMUNITY,
    FocusLevel.SOCIETAL,
)

# Per plan theme (by the start of its title): (kind, title, story, levels, reach, source).
DemoResult = tuple[str, str, str, tuple[str, ...], int | None, str]
STORIES: dict[str, list[DemoResult]] = {
    "Community health workers": [
        (
            ResultKind.POLICY,
            "State plan amendment makes CHW services a Medicaid benefit",
            "CMS approved the state plan amendment we drafted with the CHW association. "
            "Community health workers employed by community-based organizations can now "
            "bill Medicaid for home visits, health education and care coordination.",
            (SOC, COM),
            48000,
            "Medicaid members in the counties with certified CHWs, state enrollment data",
        ),
        (
            ResultKind.PARTNERSHIP,
            "Tribal health directors and managed-care plans sign a CHW compact",
            "After four listening sessions, three managed-care plans and five tribal health "
            "directors agreed on referral and payment terms for tribal CHWs.",
            (ORG, COM),
            None,
            "",
        ),
    ],
    "Doula care": [
        (
            ResultKind.PROGRAM,
            "Medicaid doula benefit launched with 60 enrolled doulas",
            "The doula benefit opened on schedule. Sixty doulas, most from the communities "
            "they serve, enrolled as Medicaid providers in the first quarter.",
            (PAT, COM),
            1200,
            "Births to Medicaid members with a doula claim, first two quarters",
        ),
        (
            ResultKind.FUNDING,
            "Foundation grant funds doula training scholarships",
            "A regional foundation granted $350,000 over two years for training scholarships "
            "and certification fees, so cost is not a barrier to joining the workforce.",
            (COM,),
            90,
            "Scholarships planned in the grant agreement",
        ),
    ],
    "Language access": [
        (
            ResultKind.PRACTICE,
            "Interpreters at every child welfare intake",
            "Intake units now book an interpreter before the first contact when a family "
            "prefers a language other than English; supervisors review the log monthly.",
            (ORG, PAT),
            3400,
            "Families with a non-English language preference at intake, agency case data",
        ),
        (
            ResultKind.POLICY,
            "Agency adopts a language access policy",
            "The director signed the department's first language access policy, with "
            "translated notices in Spanish, Chuukese, Marshallese and Vietnamese.",
            (ORG,),
            None,
            "",
        ),
    ],
    "Data for equity": [
        (
            ResultKind.DATA,
            "Race and ethnicity completeness rises from 52% to 88%",
            "Hospitals adopted the new collection standard; the equity dashboard now shows "
            "outcomes for Pacific Islander and multiracial residents for the first time.",
            (ORG, SOC),
            None,
            "",
        ),
        (
            ResultKind.TESTIMONY,
            "Testimony on the health equity data bill",
            "Testified before the health committee on disaggregated data; the committee cited "
            "the testimony when it advanced the bill.",
            (SOC,),
            None,
            "",
        ),
    ],
    "Medicaid continuous coverage": [
        (
            ResultKind.POLICY,
            "Continuous Medicaid coverage for children to age six approved",
            "The Section 1115 waiver was approved: children stay enrolled from birth to age "
            "six without annual renewals.",
            (SOC, PAT),
            61000,
            "Children under six enrolled in Medicaid, monthly enrollment report",
        ),
        (
            ResultKind.PARTNERSHIP,
            "Pediatricians and family advocates join the outreach campaign",
            "The pediatricians' chapter and two family advocacy groups co-wrote the outreach "
            "materials and now hand them out at well-child visits.",
            (COM,),
            None,
            "",
        ),
    ],
}
NATIONAL_STORY: DemoResult = (
    ResultKind.TESTIMONY,
    "Article in a national health policy journal",
    "Co-wrote an article on how states can pay for community-led health equity work; two "
    "other states have asked for the model contract language.",
    (SOC,),
    None,
    "",
)

CONSENT_CYCLE = [
    Consent.PUBLIC,
    Consent.FUNDERS,
    Consent.PUBLIC,
    Consent.FUNDERS,
    Consent.INTERNAL,
    Consent.PUBLIC,
    Consent.FUNDERS,
]

# Demographic answers cycle through these (races as tuples: some choose several).
RACES = [
    ("hispanic",),
    ("white",),
    ("black",),
    ("asian",),
    ("nhpi",),
    ("hispanic", "white"),
    ("black",),
    ("aian",),
    ("white",),
    ("hispanic",),
    ("asian", "nhpi"),
    ("black",),
    ("prefer_not",),
    ("white",),
    ("hispanic",),
    ("mena",),
    ("asian",),
    ("black", "white"),
]
GENDERS = [Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.NONBINARY, Gender.MAN]
SECTORS = [
    CareerSector.STATE,
    CareerSector.STATE,
    CareerSector.LOCAL,
    CareerSector.NONPROFIT,
    CareerSector.LEGISLATIVE,
    CareerSector.STATE,
    CareerSector.TRIBAL,
    CareerSector.HEALTH_CARE,
]
LIVED = [
    (LivedExperience.RURAL,),
    (LivedExperience.LOW_INCOME, LivedExperience.FIRST_GENERATION),
    (),
    (LivedExperience.IMMIGRANT,),
    (LivedExperience.MEDICAID, LivedExperience.LOW_INCOME),
    (LivedExperience.DISABILITY,),
    (LivedExperience.LGBTQ,),
    (),
]
UNANSWERED_EVERY = 11  # one fellow in this many has not answered yet


def _at(day: date) -> datetime:
    return datetime.combine(day, time(15), tzinfo=timezone.get_current_timezone())


def seed(ctx: DemoContext) -> None:
    cohorts = [c for c in (ctx.objects.get("past_cohort"), ctx.objects.get("current_cohort")) if c]
    plans = list(
        ActionPlan.objects.filter(enrollment__cohort__in=cohorts)
        .select_related("enrollment__cohort", "enrollment__user")
        .prefetch_related("competencies")
        .order_by("enrollment__cohort__start_date", "pk")
    )
    has_results = set(
        Result.objects.filter(plan__in=plans).values_list("plan_id", flat=True).distinct()
    )
    for index, plan in enumerate(plans):
        if plan.pk not in has_results:
            _results(ctx, plan, index)
    people = [
        e.user for c in ("past_enrollments", "current_enrollments") for e in ctx.objects.get(c, [])
    ]
    answered = set(
        DemographicProfile.objects.filter(user__in=people).values_list("user_id", flat=True)
    )
    for index, person in enumerate(people):
        if person.pk not in answered and index % UNANSWERED_EVERY != UNANSWERED_EVERY - 1:
            _demographics(person, index)


def _results(ctx, plan: ActionPlan, index: int) -> None:
    enrollment = plan.enrollment
    cohort = enrollment.cohort
    today = cohort.local_date()
    alumni = enrollment.is_alumnus
    stories = next((v for k, v in STORIES.items() if plan.title.startswith(k)), None)
    if stories is None:
        return
    wanted = (1 + index % 3) if alumni else (index % 3 == 0) + (index % 5 == 0)
    first_day = cohort.start_date + timedelta(days=45 if not alumni else 120)
    span = (today - first_day).days
    if span <= 0 or not wanted:
        return
    picks = list(stories) + ([NATIONAL_STORY] if alumni and index % 4 == 0 else [])
    competencies = list(plan.competencies.all())
    for n in range(min(wanted, len(picks))):
        kind, title, story, levels, reach, source = picks[n]
        national = (kind, title) == NATIONAL_STORY[:2]
        achieved = first_day + timedelta(days=(span * (n + 1 + index % 4)) // (len(picks) + 4))
        # Staff record some results on a fellow's behalf: those stay internal.
        recorder = enrollment.user if n or index % 6 else ctx.staff
        consent = CONSENT_CYCLE[(index + n) % len(CONSENT_CYCLE)]
        if recorder != enrollment.user:
            consent = Consent.INTERNAL
        verified = (index + n) % 3 != 2 and achieved < today - timedelta(days=14)
        result = Result.objects.create(
            plan=plan,
            kind=kind,
            title=title,
            story=story,
            achieved_on=min(achieved, today),
            jurisdiction="US" if national else enrollment.state,
            people_reached=reach,
            reach_source=source,
            evidence_url=f"https://example.org/evidence/{plan.code.hex[:8]}-{n}",
            consent=consent,
            recorded_by=recorder,
            verified_at=_at(min(achieved + timedelta(days=10), today)) if verified else None,
            verified_by=ctx.staff if verified else None,
        )
        ResultFocusLevel.objects.bulk_create(
            ResultFocusLevel(result=result, level=level) for level in levels
        )
        if competencies:
            result.competencies.set(competencies[: 1 + n % 2])
        Result.objects.filter(pk=result.pk).update(created_at=_at(min(achieved, today)))


def _demographics(person, index: int) -> None:
    profile = DemographicProfile.objects.create(
        user=person,
        gender=GENDERS[index % len(GENDERS)] if index % 13 != 5 else Gender.PREFER_NOT,
        career_sector=SECTORS[index % len(SECTORS)],
    )
    RaceEthnicityAnswer.objects.bulk_create(
        RaceEthnicityAnswer(profile=profile, category=RaceEthnicity(value))
        for value in RACES[index % len(RACES)]
    )
    LivedExperienceAnswer.objects.bulk_create(
        LivedExperienceAnswer(profile=profile, item=item) for item in LIVED[index % len(LIVED)]
    )
