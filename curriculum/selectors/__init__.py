"""Reads that feed the curriculum pages, each with its joins decided here."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, SupportsFloat

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.links import code_url
from accounts.viewer import Viewer
from cohorts.models import Cohort, Enrollment, EnrollmentStatus

from ..models import (
    EXPORT_FORMAT,
    AssessmentPhase,
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    Material,
    Module,
    ProficiencyLevel,
    Rating,
    SelfAssessment,
    Session,
    SessionKind,
    Speaker,
    Submission,
)

# --- Frameworks ----------------------------------------------------------------------------


def frameworks_list() -> QuerySet[CompetencyFramework]:
    return CompetencyFramework.objects.annotate(
        domain_count=Count("domains", distinct=True),
        competency_count=Count("domains__competencies", distinct=True),
        cohort_count=Count("cohorts", distinct=True),
    ).order_by("name")


def framework_domains(framework: CompetencyFramework) -> QuerySet[CompetencyDomain]:
    """Domains → competencies → indicators, in order, in three queries."""
    return framework.domains.prefetch_related(
        Prefetch(
            "competencies",
            queryset=Competency.objects.order_by("order", "name").prefetch_related("indicators"),
        )
    ).order_by("order", "name")


def framework_users(framework: CompetencyFramework, viewer: Viewer) -> tuple[list, int]:
    """The cohorts using the framework that the viewer may see, and how many others do
    (their names stay private: staff of one program see nothing of another)."""
    using = Cohort.objects.filter(framework=framework)
    visible = list(
        using.filter(pk__in=Cohort.objects.visible_to(viewer).values("pk"))
        .select_related("program")
        .order_by("program__name", "-start_date")
    )
    return visible, using.count() - len(visible)


def framework_export(framework: CompetencyFramework) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "name": framework.name,
        "slug": framework.slug,
        "description": framework.description,
        "scale": [
            {"value": lvl.value, "label": lvl.label, "description": lvl.description}
            for lvl in framework.levels.order_by("value")
        ],
        "domains": [
            {
                "name": domain.name,
                "description": domain.description,
                "competencies": [
                    {
                        "name": c.name,
                        "description": c.description,
                        "indicators": [i.text for i in c.indicators.all()],
                    }
                    for c in domain.competencies.all()
                ],
            }
            for domain in framework_domains(framework)
        ],
    }


# --- Modules, sessions ---------------------------------------------------------------------


def modules_of(cohort: Cohort) -> QuerySet[Module]:
    return (
        Module.objects.filter(cohort=cohort)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.select_related("domain")),
            Prefetch("assignments", queryset=Assignment.objects.order_by("due_at")),
        )
        .order_by("order")
    )


def _session_qs() -> QuerySet[Session]:
    return Session.objects.select_related("module", "cohort").prefetch_related(
        "speakers", "materials", "facilitators"
    )


@dataclass(frozen=True)
class MaterialLink:
    href: str
    title: str


@dataclass(frozen=True)
class ScheduledSession:
    """One session as the schedule lists it."""

    url: str
    title: str
    kind_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_cancelled: bool
    venue: str
    topic: str
    module: str | None  # as the module names itself: "Module 2: Policy"
    speakers: list[str]  # as each speaker names themselves: "Name, Affiliation"
    materials: list[MaterialLink]


# The schedule's three reads, compiled once (accounts/compiled.py): asked on every visit.
_SCHEDULE_QUERY = CompiledQuery()
_SCHEDULE_SPEAKERS_QUERY = CompiledQuery()
_SCHEDULE_MATERIALS_QUERY = CompiledQuery()


def _schedule_sessions(values: Mapping[str, Any]) -> QuerySet:
    return (
        Session.objects.filter(cohort=values["cohort_id"])
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "code",
            "kind",
            "title",
            "topic",
            "starts_at",
            "ends_at",
            "venue",
            "cancelled_at",
            "module_id",
            module_order=F("module__order"),
            module_title=F("module__title"),
        )
    )


def _schedule_speakers(values: Mapping[str, Any]) -> QuerySet:
    # The speakers' own order within each session (Speaker.Meta.ordering).
    return (
        Speaker.objects.filter(session__cohort=values["cohort_id"])
        .order_by("order", "pk")
        .values("session_id", "name", "affiliation")
    )


def _schedule_materials(values: Mapping[str, Any]) -> QuerySet:
    # The materials' own order within each session (Material.Meta.ordering).
    return (
        Material.objects.filter(session__cohort=values["cohort_id"])
        .order_by("created_at", "pk")
        .values("session_id", "code", "title", "url")
    )


def schedule_of(
    cohort: Cohort, now: datetime.datetime | None = None
) -> tuple[list[ScheduledSession], list[ScheduledSession]]:
    """(upcoming, past): upcoming soonest first; past most recent first, with materials.
    One read of the cohort's sessions (plus speakers and materials), split here, so the
    page costs the same whether or not both lists have sessions."""
    now = now or timezone.now()
    values = {"cohort_id": cohort.pk}
    speakers: dict[int, list[str]] = defaultdict(list)
    for row in _SCHEDULE_SPEAKERS_QUERY.rows(None, values, _schedule_speakers):
        speaker = Speaker(name=row["name"], affiliation=row["affiliation"])
        speakers[row["session_id"]].append(str(speaker))
    materials: dict[int, list[MaterialLink]] = defaultdict(list)
    for row in _SCHEDULE_MATERIALS_QUERY.rows(None, values, _schedule_materials):
        href = Material(code=row["code"], url=row["url"]).href
        materials[row["session_id"]].append(MaterialLink(href=href, title=row["title"]))
    kinds = dict(SessionKind.choices)
    sessions = [
        ScheduledSession(
            url=code_url("curriculum:session_detail", row["code"]),
            title=row["title"],
            kind_label=kinds.get(row["kind"], row["kind"]),
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            is_cancelled=row["cancelled_at"] is not None,
            venue=row["venue"],
            topic=row["topic"],
            module=(
                str(Module(order=row["module_order"], title=row["module_title"]))
                if row["module_id"] is not None
                else None
            ),
            speakers=speakers.get(row["pk"], []),
            materials=materials.get(row["pk"], []),
        )
        for row in _SCHEDULE_QUERY.rows(None, values, _schedule_sessions)
    ]
    upcoming = [s for s in sessions if s.ends_at > now]
    past = [s for s in reversed(sessions) if s.ends_at <= now]
    return upcoming, past


def session_for_page(session: Session) -> Session:
    return _session_qs().get(pk=session.pk)


def next_sessions(
    cohort: Cohort, *, limit: int = 3, now: datetime.datetime | None = None
) -> list[Session]:
    now = now or timezone.now()
    return list(
        Session.objects.scheduled()
        .filter(cohort=cohort, ends_at__gt=now)
        .select_related("module")
        .order_by("starts_at")[:limit]
    )


# --- Attendance ----------------------------------------------------------------------------


def attendance_rate(*, present: int, late: int, excused: int, absent: int) -> Fraction | None:
    """Share of the sessions a fellow was expected at that they came to (late counts as
    attended). Excused absences are not held against anyone, so they leave the count.
    None when nothing counts yet."""
    expected = present + late + absent
    if expected == 0:
        return None
    return Fraction(present + late, expected)


def as_percent(rate: Fraction | None) -> int | None:
    return None if rate is None else round(rate * 100)


@dataclass
class RateRow:
    subject: object
    present: int
    late: int
    excused: int
    absent: int

    @property
    def recorded(self) -> int:
        return self.present + self.late + self.excused + self.absent

    @property
    def rate(self) -> int | None:
        return as_percent(
            attendance_rate(
                present=self.present, late=self.late, excused=self.excused, absent=self.absent
            )
        )


def _rate_rows(subjects: Iterable[Any], field: str, filters: dict) -> list[RateRow]:
    """A RateRow per subject (session or enrollment), counted in one query grouped by
    `field` (session_id or enrollment_id)."""
    rows = (
        Attendance.objects.filter(**filters)
        .values(field)
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s in AttendanceStatus.values})
    )
    counts = {row[field]: row for row in rows}
    empty = dict.fromkeys(AttendanceStatus.values, 0)
    return [
        RateRow(subject, **{k: counts.get(subject.pk, empty)[k] for k in AttendanceStatus.values})
        for subject in subjects
    ]


def session_rates(cohort: Cohort, now: datetime.datetime | None = None) -> list[RateRow]:
    """Per session held so far: how many were present, late, excused, absent."""
    now = now or timezone.now()
    sessions = Session.objects.held_before(now).filter(cohort=cohort).order_by("starts_at")
    return _rate_rows(sessions, "session_id", {"session__cohort": cohort})


def fellow_rates(cohort: Cohort) -> list[RateRow]:
    """Per person on the roster, over the sessions that were not cancelled."""
    return _rate_rows(
        roster_of(cohort),
        "enrollment_id",
        {"session__cohort": cohort, "session__cancelled_at__isnull": True},
    )


def roster_of(cohort: Cohort | int) -> QuerySet[Enrollment]:
    """Whose attendance is taken: active fellows and, in a finished cohort, alumni."""
    return (
        Enrollment.objects.filter(cohort=cohort, status__in=EnrollmentStatus.with_cohort_access())
        .select_related("user")
        .order_by("user__full_name")
    )


@dataclass
class AttendanceRecord:
    """A fellow's mark for one day of a session held so far (`status` None: not recorded).
    `day` is set only for a session over several days."""

    session: object
    day: datetime.date | None
    status: str | None


def attendance_of(
    enrollment: Enrollment, now: datetime.datetime | None = None
) -> tuple[list[AttendanceRecord], RateRow]:
    """Every session day held so far with the fellow's mark, newest first, and the fellow's
    totals (a two-day gathering counts each day)."""
    now = now or timezone.now()
    sessions = list(
        Session.objects.held_before(now)
        .filter(cohort_id=enrollment.cohort_id)
        .select_related("cohort")
        .order_by("-starts_at")
    )
    marks = {
        (session_id, day_number): status
        for session_id, day_number, status in Attendance.objects.filter(
            enrollment=enrollment
        ).values_list("session_id", "day_number", "status")
    }
    records = []
    for session in sessions:
        days = session.local_days()
        for number, day in reversed(list(enumerate(days, start=1))):
            status = marks.get((session.pk, number))
            records.append(AttendanceRecord(session, day if len(days) > 1 else None, status))
    totals = dict.fromkeys(AttendanceStatus.values, 0)
    for record in records:
        if record.status:
            totals[record.status] += 1
    return records, RateRow(enrollment, **totals)


def attendance_sheet(
    session: Session, day_number: int = 1
) -> tuple[list[Enrollment], dict[int, str]]:
    """The roster with each person's current mark for one day of the session, for the staff
    attendance page."""
    roster = list(roster_of(session.cohort_id))
    marks = dict(
        session.attendance.filter(day_number=day_number).values_list("enrollment_id", "status")
    )
    return roster, marks


# --- Assignments ---------------------------------------------------------------------------


def submissions_for(assignment: Assignment) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(assignment=assignment)
        .select_related("enrollment__user", "assignment")
        .order_by("enrollment__user__full_name")
    )


def submission_of(assignment: Assignment, enrollment: Enrollment | None) -> Submission | None:
    """The fellow's own submission (None for viewers who are not fellows of the cohort)."""
    if enrollment is None:
        return None
    return Submission.objects.filter(assignment=assignment, enrollment=enrollment).first()


# --- Self-assessments ----------------------------------------------------------------------


def windows_of(cohort: Cohort, today: datetime.date) -> list[AssessmentWindow]:
    """The cohort's windows, each with how many fellows rated themselves in it (`submitted`)
    and its state today (`state`)."""
    windows: list[AssessmentWindow] = list(
        AssessmentWindow.objects.filter(cohort=cohort)
        .annotate(submitted=Count("assessments"))
        .order_by("opens_on")
    )
    for window in windows:
        window.state = window.state_on(today)
    return windows


def open_window_for(enrollment: Enrollment, today: datetime.date) -> AssessmentWindow | None:
    return (
        AssessmentWindow.objects.filter(
            cohort_id=enrollment.cohort_id, opens_on__lte=today, closes_on__gte=today
        )
        .order_by("opens_on")
        .first()
    )


def has_rated(window: AssessmentWindow, enrollment: Enrollment) -> bool:
    return SelfAssessment.objects.filter(window=window, enrollment=enrollment).exists()


def rating_form_data(
    framework: CompetencyFramework,
) -> tuple[list[CompetencyDomain], list[ProficiencyLevel]]:
    domains = list(framework_domains(framework))
    levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("value"))
    return domains, levels


def existing_ratings(window: AssessmentWindow, enrollment: Enrollment) -> dict:
    return {
        r.competency_id: r
        for r in Rating.objects.filter(
            assessment__window=window, assessment__enrollment=enrollment
        ).select_related("level")
    }


PHASE_ORDER = [AssessmentPhase.BASELINE, AssessmentPhase.MIDPOINT, AssessmentPhase.FINAL]


@dataclass
class GrowthRow:
    domain: CompetencyDomain
    baseline: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.latest is None:
            return None
        return round(self.latest - self.baseline, 1)


def growth_rows(
    framework: CompetencyFramework, ratings_filter: dict
) -> tuple[list[GrowthRow], str | None, int]:
    """Average level by domain at baseline and at the latest phase that has ratings."""
    averages = (
        Rating.objects.filter(**ratings_filter)
        .values("competency__domain_id", "assessment__window__phase")
        .annotate(avg=Avg("level__value"))
    )
    by_phase: dict[str, dict[int, float]] = defaultdict(dict)
    for row in averages:
        by_phase[row["assessment__window__phase"]][row["competency__domain_id"]] = row["avg"]
    later = [p for p in PHASE_ORDER[1:] if p in by_phase]
    latest_phase = later[-1] if later else None
    domains = list(CompetencyDomain.objects.filter(framework=framework).order_by("order", "name"))
    scale_max = (
        ProficiencyLevel.objects.filter(framework=framework)
        .order_by("-value")
        .values_list("value", flat=True)
        .first()
        or 5
    )
    rows = [
        GrowthRow(
            d,
            _round(by_phase.get(AssessmentPhase.BASELINE, {}).get(d.pk)),
            _round(by_phase.get(latest_phase, {}).get(d.pk)) if latest_phase else None,
        )
        for d in domains
    ]
    return rows, latest_phase, scale_max


def _round(value: SupportsFloat | None) -> float | None:
    return None if value is None else round(float(value), 1)


def growth_of(enrollment: Enrollment) -> tuple[list[GrowthRow], str | None, int]:
    framework = enrollment.cohort.framework
    if framework is None:
        return [], None, 5
    return growth_rows(framework, {"assessment__enrollment": enrollment})


def cohort_growth(cohort: Cohort) -> tuple[list[GrowthRow], str | None, int]:
    if cohort.framework is None:
        return [], None, 5
    return growth_rows(cohort.framework, {"assessment__window__cohort": cohort})


def growth_page(growth: tuple[list[GrowthRow], str | None, int]) -> dict:
    """What the growth chart partial needs, from growth_of or cohort_growth."""
    rows, latest_phase, scale_max = growth
    return {
        "rows": rows,
        "latest_phase": latest_phase,
        "scale_max": scale_max,
        "chart": growth_chart(rows, scale_max),
    }


def assessments_of(enrollment: Enrollment) -> list[SelfAssessment]:
    return list(
        SelfAssessment.objects.filter(enrollment=enrollment)
        .select_related("window")
        .order_by("window__opens_on")
    )


# --- Chart geometry (server-side SVG) ------------------------------------------------------

CHART_LABEL_WIDTH = 230
CHART_BAR_AREA = 420
CHART_ROW_HEIGHT = 56


@dataclass
class ChartBar:
    y: int
    width: int
    value: float | None


@dataclass
class ChartRow:
    label: str
    y: int
    baseline: ChartBar
    latest: ChartBar


def growth_chart(rows: list[GrowthRow], scale_max: int) -> dict:
    """Bar geometry for the growth chart: two bars per domain (baseline hatched, latest
    solid), each labelled with its value so colour is never the only cue."""
    chart_rows = []
    for i, row in enumerate(rows):
        top = 10 + i * CHART_ROW_HEIGHT
        chart_rows.append(
            ChartRow(
                label=row.domain.name,
                y=top,
                baseline=_bar(row.baseline, scale_max, top + 4),
                latest=_bar(row.latest, scale_max, top + 24),
            )
        )
    ticks = [
        {"value": v, "x": CHART_LABEL_WIDTH + round(v / scale_max * CHART_BAR_AREA)}
        for v in range(0, scale_max + 1)
    ]
    height = 10 + len(rows) * CHART_ROW_HEIGHT + 30
    return {
        "rows": chart_rows,
        "ticks": ticks,
        "height": height,
        "axis_y": height - 28,
        "left": CHART_LABEL_WIDTH,
        "width": CHART_LABEL_WIDTH + CHART_BAR_AREA + 50,
    }


def _bar(value: float | None, scale_max: int, y: int) -> ChartBar:
    width = 0 if value is None else round(value / scale_max * CHART_BAR_AREA)
    return ChartBar(y=y, width=width, value=value)


# --- The calendar of a monthly series ---------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date | None:
    """The `week`-th (1–4, or -1 for the last) `weekday` (0 = Monday) of a month."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if week == -1:
        return days[-1]
    return days[week - 1] if 1 <= week <= len(days) else None


def series_datetimes(
    *,
    time_zone: str,
    weekday: int,
    week: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_month: datetime.date,
    last_month: datetime.date,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Start and end (UTC) of each monthly meeting. Wall-clock times are kept in the given
    zone, so a 13:00 session stays at 13:00 across a daylight-saving change."""
    zone = zoneinfo.ZoneInfo(time_zone)
    year, month = first_month.year, first_month.month
    result = []
    while (year, month) <= (last_month.year, last_month.month):
        day = nth_weekday(year, month, weekday, week)
        if day is not None:
            starts = datetime.datetime.combine(day, start_time, tzinfo=zone)
            ends = datetime.datetime.combine(day, end_time, tzinfo=zone)
            result.append((starts.astimezone(datetime.UTC), ends.astimezone(datetime.UTC)))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return result
