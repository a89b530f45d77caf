"""Demo: two competency frameworks (a five-domain public-sector leadership framework and the
seven evolutions of collective leadership), and for each cohort a year of sessions with
modules, attendance, practice assignments and self-assessments."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from cohorts.models import EnrollmentStatus
from curriculum import selectors, services
from curriculum.models import (
    AssessmentPhase,
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    Competency,
    CompetencyFramework,
    Module,
    ProficiencyLevel,
    Rating,
    SelfAssessment,
    Session,
    SessionKind,
    Submission,
)
from curriculum.notices import SESSION_24H
from curriculum.services.cohort_copy import cohort_copy
from demo.accounts import DemoContext
from demo.notifications import demo_logins, demo_notification
from notifications.ledger import event_occurrence, event_snapshot, row

PUBLIC_SECTOR = {
    "name": "Public-Sector Leadership Framework",
    "slug": "public-sector-leadership",
    "description": (
        "One language for leadership shared by the consortium's partner organizations: "
        "leadership is practised at every level, not tied to a position on the org chart."
    ),
    "domains": [
        (
            "Leading self",
            [
                ("Self-awareness", ["Names how their identity and role shape what they see"]),
                ("Resilience", ["Recovers from setbacks and helps the team do the same"]),
                ("Ethical judgment", ["Makes the values behind a decision explicit"]),
            ],
        ),
        (
            "Leading others",
            [
                ("Developing others", ["Gives timely, specific feedback", "Delegates to grow"]),
                ("Building inclusive teams", ["Ensures every voice is heard in meetings"]),
            ],
        ),
        (
            "Leading change",
            [
                ("Systems thinking", ["Maps the system around a problem before acting"]),
                ("Adaptive strategy", ["Adjusts plans as evidence comes in"]),
            ],
        ),
        (
            "Leading for equity",
            [
                ("Centering community voice", ["Brings people most affected into decisions"]),
                ("Using data for equity", ["Disaggregates data to find who is left out"]),
            ],
        ),
        (
            "Leading across boundaries",
            [
                ("Cross-sector collaboration", ["Builds shared goals with partner agencies"]),
                ("Policy advocacy", ["Frames a policy change for legislators and the public"]),
            ],
        ),
    ],
}

SEVEN_EVOLUTIONS = {
    "name": "Seven Evolutions of Collective Leadership",
    "slug": "seven-evolutions",
    "description": "Leadership as something groups do together, in seven evolutions.",
    "domains": [
        (
            "Collectively envisioning the future",
            [("Shared vision", ["Invites many voices into imagining what could be"])],
        ),
        (
            "Building collective leadership spaces",
            [("Holding space", ["Creates settings where people lead together"])],
        ),
        (
            "Supporting those ready to act",
            [("Enabling action", ["Removes barriers for people ready to move"])],
        ),
        (
            "Moving beyond the technical to trust",
            [("Relational trust", ["Invests in relationships before tasks"])],
        ),
        (
            "Deepening personal awareness and growth",
            [("Reflective practice", ["Makes time to reflect on their own leadership"])],
        ),
        (
            "Advancing emergent and adaptive strategy",
            [("Emergent strategy", ["Learns from small experiments and adapts"])],
        ),
        (
            "Centering truth and healing",
            [("Truth-telling", ["Acknowledges past harms openly"])],
        ),
    ],
}

SEMINARS = [
    (
        11,
        "Structural racism and health",
        "Structural racism",
        [("Dr. Camara Jones", "Morehouse School of Medicine", "Physician and epidemiologist.")],
    ),
    (
        1,
        "Poverty and the safety net",
        "Poverty",
        [("Dr. Luis Ortega", "Urban Institute", "Studies income support programs.")],
    ),
    (
        3,
        "Health policy and access to care",
        "Health policy and access",
        [
            ("Maria Chen", "State Health Access Data Assistance Center", "Medicaid analyst."),
            ("Dr. James Begay", "Navajo Area Indian Health Service", "Rural access expert."),
        ],
    ),
    (
        5,
        "Environmental justice",
        "Environmental justice",
        [("Dr. Robert Bullard", "Texas Southern University", "Environmental justice scholar.")],
    ),
]

MODULES = [
    ("Leading self", 9, 11, "Leading self", "Write a leadership story: a moment that shaped you."),
    ("Leading for equity", 12, 2, "Leading for equity", "Disaggregate one program's data."),
    ("Leading change", 3, 5, "Leading change", "Map the system around your initiative."),
    ("Leading across boundaries", 6, 8, "Leading across boundaries", "Draft a policy brief."),
]


def _framework(spec) -> CompetencyFramework:
    framework = CompetencyFramework.objects.filter(slug=spec["slug"]).first()
    if framework is not None:
        return framework
    framework = services.framework_create(
        name=spec["name"], slug=spec["slug"], description=spec["description"]
    )
    for d, (domain_name, competencies) in enumerate(spec["domains"], start=1):
        domain = services.domain_save(framework=framework, name=domain_name, order=d)
        for c, (name, indicators) in enumerate(competencies, start=1):
            services.competency_save(
                domain=domain,
                name=name,
                description=f"{name} in public-sector leadership work.",
                order=c,
                indicators=indicators,
            )
    return framework


def _local(cohort, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(cohort.time_zone)
    )


def _month_date(start_year: int, month: int) -> datetime.date:
    return datetime.date(start_year if month >= 9 else start_year + 1, month, 1)


def _on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _schedule(cohort, staff) -> list[Session]:
    """A year of sessions (created once): launch workshop in two parts, monthly sessions,
    four seminars with speakers, office hours and a two-day final gathering."""
    if cohort.sessions.exists():
        return list(cohort.sessions.all())
    year = cohort.start_date.year
    zoom = "https://zoom.example.org/j/heli-"
    modules = []
    for order, (title, first, last, domain_name, task) in enumerate(MODULES, start=1):
        end = _month_date(year, last)
        end = min(cohort.end_date, end.replace(day=28))
        module = services.module_save(
            cohort=cohort,
            order=order,
            title=title,
            starts_on=max(cohort.start_date, _month_date(year, first)),
            ends_on=end,
            description=f"Readings, a seminar and a practice assignment on {title.lower()}.",
            competencies=Competency.objects.filter(
                domain__framework=cohort.framework, domain__name=domain_name
            ),
        )
        services.assignment_save(
            module=module,
            title=f"Practice: {title.lower()}",
            instructions=f"{task} Share two pages with your coach and peer group.",
            due_at=_local(cohort, end, 23, 0),
        )
        modules.append(module)
    # The launch on the Monday and Wednesday from mid-September, never at a weekend (the
    # next years are copies of this one, whole weeks later).
    launch = _on_or_after(datetime.date(year, 9, 15), 0)
    for part, day in ((1, launch), (2, launch + datetime.timedelta(days=2))):
        session = services.session_create(
            cohort=cohort,
            kind=SessionKind.LAUNCH,
            title=f"Launch workshop, part {part} of 2",
            module=modules[0],
            starts_at=_local(cohort, day, 13),
            ends_at=_local(cohort, day, 16),
            video_url=f"{zoom}launch",
            description="Meet your cohort, coaches and the leadership framework.",
            facilitators=[staff],
        )
    services.session_series_create(
        cohort=cohort,
        title="Monthly session",
        weekday=1,
        week=2,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(14, 30),
        first_month=datetime.date(year, 10, 1),
        last_month=datetime.date(year + 1, 6, 1),
        video_url=f"{zoom}monthly",
        facilitators=[staff],
    )
    services.session_series_create(
        cohort=cohort,
        title="Office hours",
        kind=SessionKind.OFFICE_HOURS,
        weekday=4,
        week=1,
        start_time=datetime.time(12, 0),
        end_time=datetime.time(13, 0),
        first_month=datetime.date(year, 10, 1),
        last_month=datetime.date(year, 12, 1),
        video_url=f"{zoom}office-hours",
    )
    for month, title, topic, speakers in SEMINARS:
        month_start = _month_date(year, month)
        held_on = selectors.nth_weekday(month_start.year, month_start.month, 3, 3)
        assert held_on is not None  # every month has a third Thursday
        seminar_module = next((m for m in modules if m.starts_on <= held_on <= m.ends_on), None)
        session = services.session_create(
            cohort=cohort,
            kind=SessionKind.SEMINAR,
            title=f"Seminar: {title}",
            topic=topic,
            module=seminar_module,
            starts_at=_local(cohort, held_on, 14),
            ends_at=_local(cohort, held_on, 16),
            video_url=f"{zoom}seminar-{month}",
        )
        for name, affiliation, bio in speakers:
            services.speaker_add(session=session, name=name, affiliation=affiliation, bio=bio)
        services.material_add(
            session=session,
            title=f"Reading list: {topic.lower()}",
            url=f"https://library.example.org/heli/{month}",
        )
    # One event over two days (a Tuesday and Wednesday in mid-July): pages, emails and the
    # feed name both days.
    gathering = _on_or_after(datetime.date(year + 1, 7, 14), 1)
    services.session_create(
        cohort=cohort,
        kind=SessionKind.FINAL,
        title="Final gathering",
        starts_at=_local(cohort, gathering, 9),
        ends_at=_local(cohort, gathering + datetime.timedelta(days=1), 16),
        venue="Hotel Albuquerque at Old Town",
        address="800 Rio Grande Blvd NW, Albuquerque, NM 87104",
        facilitators=[staff],
    )
    return list(cohort.sessions.all())


def _attendance(ctx, cohort, enrollments, staff, now):
    held = Session.objects.held_before(now).filter(cohort=cohort)
    attendees = [e for e in enrollments if e.status in EnrollmentStatus.with_cohort_access()]
    done = set(
        Attendance.objects.filter(session__cohort=cohort).values_list("session_id", flat=True)
    )
    weights = [
        (AttendanceStatus.PRESENT, 80),
        (AttendanceStatus.LATE, 8),
        (AttendanceStatus.EXCUSED, 6),
        (AttendanceStatus.ABSENT, 6),
    ]
    statuses = [s for s, w in weights for _ in range(w)]
    rows = [
        Attendance(
            session=s,
            enrollment=e,
            day_number=number,
            status=ctx.rng.choice(statuses),
            recorded_by=staff,
        )
        for s in held.select_related("cohort")
        if s.pk not in done
        for number in range(1, len(s.local_days()) + 1)
        for e in attendees
    ]
    Attendance.objects.bulk_create(rows, batch_size=500)


def _submissions(ctx, cohort, enrollments, staff, now):
    active = [e for e in enrollments if e.status in EnrollmentStatus.with_cohort_access()]
    for assignment in Assignment.objects.filter(
        module__cohort=cohort, module__starts_on__lte=now.date()
    ):
        if assignment.submissions.exists():
            continue
        rows = []
        for i, enrollment in enumerate(active):
            if i % 7 == 6:
                continue  # a few have not submitted
            late = i % 5 == 4
            submitted = assignment.due_at + datetime.timedelta(days=2 if late else -3)
            if submitted > now:
                continue
            reviewed = assignment.due_at + datetime.timedelta(days=10) <= now and i % 3 != 2
            rows.append(
                Submission(
                    assignment=assignment,
                    enrollment=enrollment,
                    text=f"{enrollment.user.full_name}'s response: what I tried at "
                    f"{enrollment.agency}, what happened, and what I will do next.",
                    submitted_at=submitted,
                    feedback="Clear and honest; bring the stakeholder map to coaching."
                    if reviewed
                    else "",
                    feedback_by=staff if reviewed else None,
                    feedback_at=submitted + datetime.timedelta(days=5) if reviewed else None,
                    completed_at=submitted + datetime.timedelta(days=5) if reviewed else None,
                )
            )
        Submission.objects.bulk_create(rows)


# (month, day) each window opens and closes; months from September belong to the cohort's
# first year. The past cohort had its midpoint in February.
WINDOWS = [
    (AssessmentPhase.BASELINE, (9, 8), (10, 6)),
    (AssessmentPhase.MIDPOINT, (2, 1), (2, 28)),
    (AssessmentPhase.FINAL, (7, 15), (8, 15)),
]
# The current cohort's midpoint is early in November, so that a demo seeded from mid-November
# on shows each fellow's growth from baseline to midpoint (the February one would still be
# months away for most of the demo's life).
CURRENT_MIDPOINT = ((11, 2), (11, 13))


def _windows(cohort, current: bool) -> list[tuple[str, datetime.date, datetime.date]]:
    year = cohort.start_date.year

    def day(month_day):
        month, number = month_day
        return datetime.date(year if month >= 9 else year + 1, month, number)

    windows: list[tuple[str, datetime.date, datetime.date]] = []
    for phase, opens, closes in WINDOWS:
        if current and phase == AssessmentPhase.MIDPOINT:
            opens, closes = CURRENT_MIDPOINT
        windows.append((phase, day(opens), min(day(closes), cohort.end_date)))
    return windows


def _window(cohort, phase, opens, closes) -> AssessmentWindow:
    """The cohort's window of this phase at the planned dates. A window nobody has rated in
    yet is moved to them (so a demo seeded before this plan changed follows it); one with
    ratings is left as it is."""
    window = AssessmentWindow.objects.filter(cohort=cohort, phase=phase).first()
    planned = (window.opens_on, window.closes_on) == (opens, closes) if window else False
    if window is None or (not planned and not window.assessments.exists()):
        window = services.window_save(
            cohort=cohort, phase=phase, opens_on=opens, closes_on=closes, window=window
        )
    return window


def _assessments(ctx, cohort, enrollments, today, *, current: bool):
    """Windows for the three phases; ratings in every window that has opened by today,
    growing a little from one phase to the next."""
    levels = {lvl.value: lvl for lvl in ProficiencyLevel.objects.filter(framework=cohort.framework)}
    competencies = list(Competency.objects.filter(domain__framework=cohort.framework))
    active = [e for e in enrollments if e.status in EnrollmentStatus.with_cohort_access()]
    for step, (phase, opens, closes) in enumerate(_windows(cohort, current)):
        window = _window(cohort, phase, opens, closes)
        opens, closes = window.opens_on, window.closes_on
        if opens > today or window.assessments.exists():
            continue
        submitted_day = min(today, opens + datetime.timedelta(days=6))
        submitted_at = datetime.datetime.combine(
            submitted_day, datetime.time(15, 0), tzinfo=datetime.UTC
        )
        # The demo fellow leaves the open window for the browser; everyone else has rated.
        raters = [e for e in active if not (opens <= today <= closes and e.user == ctx.fellow)]
        assessments = SelfAssessment.objects.bulk_create(
            [SelfAssessment(window=window, enrollment=e, submitted_at=submitted_at) for e in raters]
        )
        ratings = []
        for assessment in assessments:
            for competency in competencies:
                value = min(5, max(1, ctx.rng.choice([1, 2, 2, 3]) + step))
                ratings.append(
                    Rating(assessment=assessment, competency=competency, level=levels[value])
                )
        Rating.objects.bulk_create(ratings, batch_size=1000)


def _past_year(ctx, cohort) -> list[Session]:
    """The past cohort's framework and year of sessions, the one the current cohort's was
    copied from."""
    public_sector = _framework(PUBLIC_SECTOR)
    if cohort.framework_id != public_sector.pk:
        cohort.framework = public_sector
        cohort.save(update_fields=["framework", "updated_at"])
    return _schedule(cohort, ctx.staff)


def cohort_copied_from(ctx, source, *, name, start_date, end_date):
    """A new cohort started from `source` as staff do it (curriculum/services/cohort_copy.py):
    the same modules, sessions, speakers, materials, assignments and windows, each session on
    the same weekday and local time whole weeks later, nobody enrolled. Staff then name the
    facilitators of the new year's sessions: the same as the year before."""
    _past_year(ctx, source)
    cohort = cohort_copy(
        source=source, name=name, start_date=start_date, end_date=end_date, by=ctx.staff
    )
    earlier = source.sessions.filter(cancelled_at__isnull=True).order_by("starts_at", "pk")
    later = cohort.sessions.order_by("starts_at", "pk")
    for before, after in zip(earlier.prefetch_related("facilitators"), later, strict=True):
        after.facilitators.set(before.facilitators.all())
    return cohort


def seed(ctx: DemoContext) -> None:
    public_sector = _framework(PUBLIC_SECTOR)
    collective = _framework(SEVEN_EVOLUTIONS)
    now = timezone.now()
    staff = ctx.staff
    sessions_by_cohort = {}
    for cohort, enrollments in (
        (ctx.current_cohort, ctx.current_enrollments),
        (ctx.past_cohort, ctx.past_enrollments),
    ):
        if cohort.framework_id != public_sector.pk:
            cohort.framework = public_sector
            cohort.save(update_fields=["framework", "updated_at"])
        sessions_by_cohort[cohort.pk] = _schedule(cohort, staff)
        _attendance(ctx, cohort, enrollments, staff, now)
        _submissions(ctx, cohort, enrollments, staff, now)
        _assessments(
            ctx, cohort, enrollments, ctx.today, current=cohort.pk == ctx.current_cohort.pk
        )
    ctx.objects.update(
        framework=public_sector,
        frameworks=[public_sector, collective],
        sessions=sessions_by_cohort[ctx.current_cohort.pk],
        past_sessions=sessions_by_cohort[ctx.past_cohort.pk],
        modules=list(Module.objects.filter(cohort=ctx.current_cohort)),
    )
    _sample_notifications(ctx, now.replace(microsecond=0))
    _next_year(ctx)


def _next_year(ctx) -> None:
    """Next year's cohort (planned), started from this year's as staff do it: the same
    sessions, speakers, materials, modules, assignments and windows 52 weeks later, nobody
    enrolled yet (curriculum/services/cohort_copy.py)."""
    current = ctx.current_cohort
    name = f"{current.start_date.year + 1}–{current.end_date.year + 1} cohort"
    if current.program.cohorts.filter(name=name).exists():
        return
    year = datetime.timedelta(weeks=52)
    cohort_copy(
        source=current,
        name=name,
        start_date=current.start_date + year,
        end_date=current.end_date + year,
        by=ctx.staff,
    )


def _sample_notifications(ctx, now) -> None:
    """Each demo fellow was reminded (yesterday, and read it) of their next session."""
    for user in demo_logins(ctx):
        enrollment = user.enrollments.filter(status=EnrollmentStatus.ACTIVE).first()
        if enrollment is None:
            continue
        session = (
            Session.objects.scheduled()
            .filter(cohort=enrollment.cohort, starts_at__gt=now)
            .order_by("starts_at")
            .first()
        )
        if session is None:
            continue
        note = row(
            recipient_id=user.pk,
            kind=SESSION_24H.key,
            subject_type="curriculum.session",
            subject_id=session.pk,
            occurrence=event_occurrence(session.starts_at),
            due_at=now - datetime.timedelta(days=1),
            enrollment_id=enrollment.pk,
            title=f"Reminder: {session.calendar_title}",
            url=session.get_absolute_url(),
            payload=event_snapshot(session),
        )
        demo_notification(note, sent_at=now - datetime.timedelta(days=1), read=True)
