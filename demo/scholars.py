"""Demo: a second program of another shape, next to the institute (PRODUCT.md program 3). A
health-equity scholars program for mid-career clinicians: it calls its participants
scholars and their plan an Advocacy Action Project brought from their home institution,
which starts from the program's template of project phases; an online launch workshop in
two 3-hour parts, monthly online sessions, learning modules each with a practice-based
assignment, intentional peer coaching in pairs (a trio when the number is odd) with its
log, and a two-day in-person final gathering. Home institutions are the program's partner
organizations and sponsor their scholars. The institute's coordinator also staffs it, so
the demo staff login sees both programs side by side (and the focus levels across them)."""

from __future__ import annotations

import datetime
import zoneinfo
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from action_plans import services as plan_services
from action_plans.models import ActionPlan, Milestone, MilestoneStatus
from cohorts.geography import time_zone_for_state
from cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    PartnerOrganization,
    Program,
    ProgramStaff,
    Sector,
    StaffRole,
)
from cohorts.plan_template import parse_skeleton
from curriculum import services as curriculum_services
from curriculum.models import SessionKind
from demo import reports
from demo.accounts import DEMO_DOMAIN, DemoContext, demo_user
from networks import services as network_services
from networks.models import PeerCoaching, PeerGroup, PeerGroupMembership
from outcomes import services as outcome_services
from outcomes.models import Consent

SLUG = "health-equity-scholars"

# The scholars' home institutions, each a partner organization of the program.
INSTITUTIONS = [
    ("Grady Health System", "GA"),
    ("University of New Mexico Hospital", "NM"),
    ("Hennepin Healthcare", "MN"),
    ("Queen's Medical Center", "HI"),
    ("Lurie Children's Hospital", "IL"),
    ("Harborview Medical Center", "WA"),
]

SCHOLARS = [
    ("Adaeze", "Nwosu", "Attending physician, emergency medicine"),
    ("Benjamin", "Yazzie", "Family physician"),
    ("Camila", "Restrepo", "Nurse practitioner, primary care"),
    ("Dana", "Kealoha", "Pediatric hospitalist"),
    ("Elijah", "Foster", "Clinical pharmacist"),
    ("Farah", "Siddiqui", "Obstetrician-gynecologist"),
    ("Gabriel", "Lindgren", "Psychiatrist"),
    ("Hana", "Watanabe", "Physician assistant, internal medicine"),
    ("Isaiah", "Mbeki", "Nurse manager, maternity care"),
    ("Julia", "Castañeda", "Community health physician"),
    ("Kofi", "Asante", "Respiratory therapist"),
]

# The project phases every new Advocacy Action Project starts with (days after the start).
PROJECT_TEMPLATE = """Ground the project at your institution
- Project charter agreed with your institutional sponsor | 30
- Baseline data on the disparity gathered | 75
Advocate for the change
- Stakeholder map and advocacy brief shared with your peer coach | 120
- Proposal presented to a decision-making body | 180
Sustain and share
- Measures of change reported | 240
- Poster for the final gathering | 260"""

PROJECTS = [
    ("Interpreters at every emergency triage", ["patient", "organizational"]),
    ("Housing screening in family medicine visits", ["patient", "community"]),
    ("Extended clinic hours for shift workers", ["organizational"]),
    ("Asthma action plans with school nurses", ["community"]),
    ("Pharmacy deserts: a mail-order benefit for Medicaid members", ["community", "societal"]),
    ("Doula coverage for the hospital's Medicaid births", ["organizational", "societal"]),
    ("Peer support for patients after a psychiatric stay", ["patient"]),
    ("Heat-illness protocols for outdoor workers", ["community", "societal"]),
    ("Respectful maternity care training on every shift", ["organizational"]),
    ("Environmental triggers on the asthma clinic's intake", ["patient", "community"]),
    ("Air-quality alerts in the patient portal", ["community"]),
]


def seed(ctx: DemoContext) -> None:
    scholars_program(ctx)


def scholars_program(ctx: DemoContext) -> Program:
    program = _program()
    director = demo_user(
        f"scholars.director@{DEMO_DOMAIN}", "Dr. Keisha Monroe", time_zone="America/Chicago"
    )
    ProgramStaff.objects.get_or_create(
        program=program, user=director, defaults={"role": StaffRole.DIRECTOR}
    )
    ProgramStaff.objects.get_or_create(
        program=program, user=ctx.staff, defaults={"role": StaffRole.COORDINATOR}
    )
    cohort = _cohort(ctx, program, ctx.frameworks[1])
    enrollments = [_enroll(cohort, i) for i in range(len(SCHOLARS) * ctx.scale)]
    _schedule(cohort, director)
    plans = [_project(ctx, e, i) for i, e in enumerate(enrollments)]
    _pairs(ctx, cohort, enrollments, director)
    _a_result(plans[0])
    # The coordinator now staffs this program too: their weekly digest of it, as the reports
    # seeder (which ran before this program existed) gives for each program they staff.
    reports.seed(ctx)
    ctx.objects.update(scholars_program=program, scholars_cohort=cohort)
    ctx.logins["scholar"] = enrollments[0].user.email
    return program


def _program() -> Program:
    program, _ = Program.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "Health Equity Scholars Program",
            "description": (
                "Mid-career clinicians bring an Advocacy Action Project from their home "
                "institution: an online launch workshop, monthly sessions with faculty and "
                "peers, learning modules with practice-based assignments, intentional peer "
                "coaching in pairs and a two-day in-person final gathering."
            ),
            "default_time_zone": "America/Chicago",
            "coaching_entitlement_unit": "sessions",
            "coaching_entitlement_amount": 0,  # peers coach each other: no coach to book
            "participant_singular": "scholar",
            "participant_plural": "scholars",
            "plan_name": "Advocacy Action Project",
            "plan_short_name": "project",
            "plan_intro": (
                "Your project advances health equity at your home institution and in the "
                "communities it serves."
            ),
            "group_singular": "peer-coaching pair",
            "group_plural": "peer-coaching pairs",
            "group_size_min": 2,
            "group_size_max": 3,
            "plan_sections": {
                "initiative": {
                    "label": "Project at your home institution",
                    "help": "The change you are leading where you practise, and who sponsors it.",
                },
                "equity_aim": {
                    "label": "Who benefits",
                    "help": "The patients or community and the disparity the project reduces.",
                },
                "stakeholders": {"label": "Allies and decision-makers", "help": ""},
            },
            # Clinicians' projects are not policy work: the policy levers section is hidden.
            "plan_template": {
                "hidden": ["policy_levers"],
                "goals": parse_skeleton(PROJECT_TEMPLATE),
            },
        },
    )
    for name, _state in INSTITUTIONS:
        partner, _ = PartnerOrganization.objects.get_or_create(name=name)
        program.partners.add(partner)
    return program


def _cohort(ctx, program, framework) -> Cohort:
    """The current year, from October (the final gathering is in June), in Chicago's zone."""
    year = ctx.today.year if ctx.today.month >= 10 else ctx.today.year - 1
    cohort, _ = Cohort.objects.update_or_create(
        program=program,
        name=f"{year}–{year + 1} scholars",
        defaults={
            "start_date": date(year, 10, 1),
            "end_date": date(year + 1, 9, 30),
            "status": CohortStatus.ACTIVE,
            "time_zone": "America/Chicago",
            "framework": framework,
        },
    )
    return cohort


def _enroll(cohort, index) -> Enrollment:
    first, last, title = SCHOLARS[index % len(SCHOLARS)]
    institution, state = INSTITUTIONS[index % len(INSTITUTIONS)]
    suffix = f"{index}" if index >= len(SCHOLARS) else ""
    email = f"scholar.{slugify(first)}.{slugify(last)}{suffix}@{DEMO_DOMAIN}"
    user = demo_user(email, f"{first} {last}", time_zone=time_zone_for_state(state))
    enrollment, _ = Enrollment.objects.get_or_create(
        cohort=cohort,
        user=user,
        defaults={
            "state": state,
            "agency": institution,
            "title": title,
            "sector": Sector.CLINICAL,
            "bio": f"{title} at {institution}.",
            "directory_opt_in": True,
            "status": EnrollmentStatus.ACTIVE,
            "status_changed_at": timezone.now(),
            "partner": PartnerOrganization.objects.get(name=institution),
        },
    )
    return enrollment


def _local(cohort, day: date, hour: int) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo(cohort.time_zone)
    )


def _schedule(cohort, director) -> None:
    if cohort.sessions.exists():
        return
    year = cohort.start_date.year
    video = "https://zoom.example.org/j/scholars-"
    # The online launch workshop: two sessions of three hours.
    for part, day in ((1, 6), (2, 8)):
        curriculum_services.session_create(
            cohort=cohort,
            kind=SessionKind.LAUNCH,
            title=f"Launch workshop, part {part} of 2",
            starts_at=_local(cohort, date(year, 10, day), 11),
            ends_at=_local(cohort, date(year, 10, day), 14),
            video_url=f"{video}launch",
            description="Meet your fellow scholars and faculty; bring your project idea.",
            facilitators=[director],
        )
    curriculum_services.session_series_create(
        cohort=cohort,
        title="Monthly session with faculty and peers",
        weekday=2,
        week=3,
        start_time=datetime.time(12, 0),
        end_time=datetime.time(13, 30),
        first_month=date(year, 11, 1),
        last_month=date(year + 1, 5, 1),
        video_url=f"{video}monthly",
        facilitators=[director],
    )
    modules = [
        ("Structural racism in clinical care", date(year, 10, 1), date(year, 12, 20)),
        ("Poverty, policy and access to care", date(year + 1, 1, 5), date(year + 1, 3, 20)),
        ("Environmental justice", date(year + 1, 3, 23), date(year + 1, 5, 29)),
    ]
    for order, (title, starts, ends) in enumerate(modules, start=1):
        module = curriculum_services.module_save(
            cohort=cohort, order=order, title=title, starts_on=starts, ends_on=ends
        )
        curriculum_services.assignment_save(
            module=module,
            title=f"Practice: {title.lower()}",
            instructions="Apply the module at your institution and write one page on it.",
            due_at=_local(cohort, ends, 17),
        )
    # The in-person final gathering, over two days.
    curriculum_services.session_create(
        cohort=cohort,
        kind=SessionKind.FINAL,
        title="Final gathering: projects presented",
        starts_at=_local(cohort, date(year + 1, 6, 11), 9),
        ends_at=_local(cohort, date(year + 1, 6, 12), 15),
        venue="Morehouse School of Medicine",
        address="720 Westview Dr SW, Atlanta, GA 30310",
        facilitators=[director],
    )


def _project(ctx, enrollment, index) -> ActionPlan:
    """The scholar's project, started from the template; its steps due by today are done."""
    plan = ActionPlan.objects.filter(enrollment=enrollment).first()
    if plan is not None:
        return plan
    title, levels = PROJECTS[index % len(PROJECTS)]
    plan = plan_services.plan_create(
        enrollment=enrollment,
        by=enrollment.user,
        title=title,
        initiative=f"{title}, led from {enrollment.agency}.",
        equity_aim="Patients who now wait longest or are served least well.",
        focus_levels=levels,
    )
    # Most scholars keep pace; every fourth one is a step behind.
    done_by = ctx.today - timedelta(days=30 if index % 4 == 3 else 0)
    for milestone in Milestone.objects.filter(goal__plan=plan, due_date__lte=done_by):
        milestone.status = MilestoneStatus.DONE
        milestone.completed_on = milestone.due_date
        milestone.save(update_fields=["status", "completed_on", "updated_at"])
    return plan


def _pairs(ctx, cohort, enrollments, director) -> None:
    """Peer-coaching pairs (the last one a trio when the number is odd), each meeting every
    three weeks, with the first conversation of each pair logged."""
    if PeerGroup.objects.filter(cohort=cohort).exists():
        return
    teams = [enrollments[i : i + 2] for i in range(0, len(enrollments) - 1, 2)]
    if len(enrollments) % 2:
        teams[-1].append(enrollments[-1])
    first = max(cohort.start_date + timedelta(days=14), ctx.today - timedelta(weeks=6))
    for number, members in enumerate(teams, start=1):
        pair = PeerGroup.objects.create(
            cohort=cohort,
            name=f"Pair {number}" if len(members) == 2 else f"Trio {number}",
            video_url="https://zoom.example.org/j/scholars-pairs",
        )
        for enrollment in members:
            PeerGroupMembership.objects.create(group=pair, enrollment=enrollment)
        network_services.meetings_schedule_series(
            group=pair,
            first_date=first,
            weekday=number % 5,
            start_time=datetime.time(7 + number % 3),
            duration_minutes=45,
            every_weeks=3,
            count=6,
        )
        meeting = pair.meetings.filter(ends_at__lt=timezone.now()).order_by("starts_at").first()
        if meeting is not None and not PeerCoaching.objects.filter(meeting=meeting).exists():
            network_services.peer_coaching_record(
                meeting=meeting,
                coach=members[0],
                coachee=members[1],
                note="Rehearsed the pitch to the quality committee; try leading with the data.",
                by=members[0].user,
            )


def _a_result(plan) -> None:
    if plan.results.exists():
        return
    cohort = plan.enrollment.cohort
    outcome_services.result_create(
        plan=plan,
        by=plan.enrollment.user,
        kind="practice",
        title="Interpreters now join triage by video in every bay",
        story="The emergency department made video interpreting part of triage.",
        achieved_on=min(cohort.start_date + timedelta(days=45), cohort.local_date()),
        jurisdiction=plan.enrollment.state,
        focus_levels=["patient", "organizational"],
        people_reached=2400,
        reach_source="Emergency visits with a language other than English, one quarter",
        consent=Consent.FUNDERS,
    )
