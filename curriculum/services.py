"""Every write of the curriculum app. Each function is atomic and validates with
`full_clean()`, so a bad value gives a clear message and nothing half-saved."""

from __future__ import annotations

import calendar
import datetime
import uuid
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cohorts.models import Enrollment, EnrollmentStatus
from notifications import hooks

from .models import (
    AssessmentPhase,
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    BehaviouralIndicator,
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
from .uploads import validate_upload

DEFAULT_SCALE = [
    (1, "Emerging", "Aware of the competency; beginning to practise it."),
    (2, "Developing", "Practises it with support, in familiar situations."),
    (3, "Proficient", "Practises it reliably on one's own."),
    (4, "Advanced", "Practises it in complex situations and helps others grow in it."),
    (5, "Leading", "Shapes how the organization and its partners practise it."),
]

# --- Frameworks ----------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *, name: str, slug: str, description: str = "", levels=DEFAULT_SCALE
) -> CompetencyFramework:
    framework = CompetencyFramework(name=name, slug=slug, description=description)
    framework.full_clean()
    framework.save()
    for value, label, level_description in levels:
        level = ProficiencyLevel(
            framework=framework, value=value, label=label, description=level_description
        )
        level.full_clean()
        level.save()
    return framework


@transaction.atomic
def framework_update(
    *, framework: CompetencyFramework, name: str, slug: str, description: str
) -> CompetencyFramework:
    framework.name, framework.slug, framework.description = name, slug, description
    framework.full_clean()
    framework.save()
    return framework


@transaction.atomic
def domain_save(
    *,
    framework: CompetencyFramework,
    name: str,
    description: str = "",
    order: int = 0,
    domain: CompetencyDomain | None = None,
) -> CompetencyDomain:
    domain = domain or CompetencyDomain(framework=framework)
    domain.name, domain.description, domain.order = name, description, order
    domain.full_clean()
    domain.save()
    return domain


@transaction.atomic
def competency_save(
    *,
    domain: CompetencyDomain,
    name: str,
    description: str = "",
    order: int = 0,
    indicators: Iterable[str] = (),
    competency: Competency | None = None,
) -> Competency:
    competency = competency or Competency(domain=domain)
    competency.domain = domain
    competency.name, competency.description, competency.order = name, description, order
    competency.full_clean()
    competency.save()
    competency.indicators.all().delete()
    texts = [text.strip() for text in indicators if text.strip()]
    for position, text in enumerate(texts, start=1):
        indicator = BehaviouralIndicator(competency=competency, text=text, order=position)
        indicator.full_clean(exclude=["competency"])
        indicator.save()
    return competency


@transaction.atomic
def scale_save(*, framework: CompetencyFramework, levels: list[tuple[int, str, str]]):
    """Replaces the framework's scale. Levels fellows have already used cannot be removed."""
    values = [value for value, _, _ in levels]
    if len(levels) < 2:
        raise ValidationError("A scale needs at least two levels.")
    if len(set(values)) != len(values):
        raise ValidationError("Each level needs its own value.")
    if sorted(values) != list(range(1, len(values) + 1)):
        raise ValidationError("Level values must run 1, 2, 3, … without gaps.")
    existing = {level.value: level for level in framework.levels.all()}
    for value, label, description in levels:
        level = existing.pop(value, None) or ProficiencyLevel(framework=framework, value=value)
        level.label, level.description = label, description
        level.full_clean()
        level.save()
    for level in existing.values():
        try:
            level.delete()
        except ProtectedError as exc:
            raise ValidationError(
                f"Level {level.value} ({level.label}) has been used in self-assessments "
                "and cannot be removed."
            ) from exc


EXPORT_FORMAT = "cohortwise.competency-framework"


@transaction.atomic
def framework_import(*, data, name: str = "", slug: str = "") -> CompetencyFramework:
    """Builds a new framework from exported JSON: everything or nothing. Raises a
    ValidationError listing every problem found, each with where it is."""
    errors: list[str] = []

    def need(obj, key, where, kind=str, required=True):
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None or (kind is str and isinstance(value, str) and not value.strip()):
            if required:
                errors.append(f"{where}: “{key}” is required.")
            return kind() if kind in (str, list) else None
        if not isinstance(value, kind):
            errors.append(f"{where}: “{key}” must be a {kind.__name__}.")
            return kind() if kind in (str, list) else None
        return value

    if not isinstance(data, dict):
        raise ValidationError("The file must hold one JSON object (a framework).")
    if data.get("format") not in (None, EXPORT_FORMAT):
        raise ValidationError(f"This is not a competency framework export ({EXPORT_FORMAT}).")
    name = name or need(data, "name", "framework")
    slug = slug or need(data, "slug", "framework")
    description = need(data, "description", "framework", required=False)
    raw_levels = need(data, "scale", "framework", kind=list)
    levels = []
    for i, raw in enumerate(raw_levels):
        where = f"scale level {i + 1}"
        value = need(raw, "value", where, kind=int)
        label = need(raw, "label", where)
        levels.append((value, label, need(raw, "description", where, required=False)))
    raw_domains = need(data, "domains", "framework", kind=list)
    if not raw_domains and "domains" in data:
        errors.append("framework: a framework needs at least one domain.")
    if errors:
        raise ValidationError(errors)
    if CompetencyFramework.objects.filter(slug=slug).exists():
        raise ValidationError(
            f"A framework with the short name “{slug}” already exists: choose another."
        )
    try:
        framework = framework_create(name=name, slug=slug, description=description, levels=[])
        scale_save(framework=framework, levels=levels)
    except ValidationError as exc:
        raise ValidationError([f"framework: {m}" for m in exc.messages]) from exc
    for d, raw_domain in enumerate(raw_domains):
        where = f"domain {d + 1}"
        domain_name = need(raw_domain, "name", where)
        competencies = need(raw_domain, "competencies", where, kind=list)
        if errors:
            continue
        try:
            domain = domain_save(
                framework=framework,
                name=domain_name,
                description=need(raw_domain, "description", where, required=False),
                order=d + 1,
            )
        except ValidationError as exc:
            errors.extend(f"{where}: {m}" for m in exc.messages)
            continue
        for c, raw_comp in enumerate(competencies):
            cwhere = f"{where}, competency {c + 1}"
            comp_name = need(raw_comp, "name", cwhere)
            indicators = need(raw_comp, "indicators", cwhere, kind=list, required=False)
            if not all(isinstance(text, str) for text in indicators):
                errors.append(f"{cwhere}: indicators must be text.")
            if errors:
                continue
            try:
                competency_save(
                    domain=domain,
                    name=comp_name,
                    description=need(raw_comp, "description", cwhere, required=False),
                    order=c + 1,
                    indicators=indicators,
                )
            except ValidationError as exc:
                errors.extend(f"{cwhere}: {m}" for m in exc.messages)
    if errors:
        # Raising inside the atomic block rolls back everything created above.
        raise ValidationError(errors)
    return framework


# --- Modules -------------------------------------------------------------------------------


@transaction.atomic
def module_save(
    *,
    cohort,
    order: int,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    competencies: Iterable[Competency] = (),
    module: Module | None = None,
) -> Module:
    module = module or Module(cohort=cohort)
    module.order, module.title, module.description = order, title, description
    module.starts_on, module.ends_on = starts_on, ends_on
    module.full_clean(validate_constraints=False)
    if Module.objects.filter(cohort=cohort, order=order).exclude(pk=module.pk).exists():
        raise ValidationError({"order": f"Module {order} already exists in this cohort."})
    competencies = list(competencies)
    foreign = [c for c in competencies if c.domain.framework_id != cohort.framework_id]
    if foreign:
        raise ValidationError({"competencies": "Pick competencies of the cohort's framework."})
    module.save()
    module.competencies.set(competencies)
    return module


# --- Sessions ------------------------------------------------------------------------------

SESSION_FIELDS = (
    "kind",
    "title",
    "description",
    "topic",
    "module",
    "starts_at",
    "ends_at",
    "video_url",
    "venue",
    "address",
)
# A change of any of these moves the event in people's calendars.
TIME_AND_PLACE = ("starts_at", "ends_at", "video_url", "venue", "address")


@transaction.atomic
def session_create(*, cohort, facilitators=(), **fields) -> Session:
    session = Session(cohort=cohort, **{k: v for k, v in fields.items() if k in SESSION_FIELDS})
    session.full_clean()
    session.save()
    session.facilitators.set(facilitators)
    return session


@transaction.atomic
def session_update(*, session: Session, facilitators=None, **fields) -> Session:
    """Saves changes; a change of time or place bumps the calendar sequence and tells
    the attendees (through notifications.hooks, after commit)."""
    if session.is_cancelled:
        raise ValidationError("This session was cancelled and can no longer be changed.")
    before = {name: getattr(session, name) for name in TIME_AND_PLACE}
    for name, value in fields.items():
        if name in SESSION_FIELDS:
            setattr(session, name, value)
    session.full_clean()
    moved = any(getattr(session, name) != before[name] for name in TIME_AND_PLACE)
    if moved:
        session.sequence += 1
    session.save()
    if facilitators is not None:
        session.facilitators.set(facilitators)
    if moved:
        hooks.calendar_event_changed(session, cancelled=False)
    return session


@transaction.atomic
def session_cancel(*, session: Session, now: datetime.datetime | None = None) -> Session:
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled.")
    session.cancelled_at = now or timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    hooks.calendar_event_changed(session, cancelled=True)
    return session


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


@transaction.atomic
def session_series_create(
    *,
    cohort,
    title: str,
    weekday: int,
    week: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_month: datetime.date,
    last_month: datetime.date,
    kind: str = SessionKind.MONTHLY,
    video_url: str = "",
    venue: str = "",
    address: str = "",
    facilitators=(),
) -> list[Session]:
    """Creates one session a month (e.g. the second Tuesday, 13:00–14:30 in the cohort's zone)."""
    if end_time <= start_time:
        raise ValidationError({"end_time": "The session must end after it starts."})
    if (last_month.year, last_month.month) < (first_month.year, first_month.month):
        raise ValidationError({"last_month": "The last month must come after the first."})
    times = series_datetimes(
        time_zone=cohort.time_zone,
        weekday=weekday,
        week=week,
        start_time=start_time,
        end_time=end_time,
        first_month=first_month,
        last_month=last_month,
    )
    if not times:
        raise ValidationError("These settings give no dates.")
    series = uuid.uuid4()
    sessions = []
    for starts_at, ends_at in times:
        local_day = starts_at.astimezone(zoneinfo.ZoneInfo(cohort.time_zone)).date()
        if not cohort.start_date <= local_day <= cohort.end_date:
            raise ValidationError(
                {"last_month": f"{local_day:%d %b %Y} falls outside the cohort's dates."}
            )
        session = session_create(
            cohort=cohort,
            kind=kind,
            title=f"{title} — {local_day:%B %Y}",
            starts_at=starts_at,
            ends_at=ends_at,
            video_url=video_url,
            venue=venue,
            address=address,
            facilitators=facilitators,
        )
        session.series = series
        session.save(update_fields=["series"])
        sessions.append(session)
    return sessions


@transaction.atomic
def speaker_add(*, session: Session, name: str, affiliation: str = "", bio: str = "") -> Speaker:
    speaker = Speaker(
        session=session,
        name=name,
        affiliation=affiliation,
        bio=bio,
        order=session.speakers.count() + 1,
    )
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def material_add(*, session: Session, title: str, url: str = "", file=None) -> Material:
    if file:
        try:
            validate_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    material = Material(session=session, title=title, url=url, file=file or "")
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def speaker_update(*, speaker: Speaker, name: str, affiliation: str = "", bio: str = "") -> Speaker:
    speaker.name, speaker.affiliation, speaker.bio = name, affiliation, bio
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def speaker_remove(*, speaker: Speaker) -> None:
    speaker.delete()


@transaction.atomic
def material_remove(*, material: Material) -> None:
    """Removes a material; an uploaded file leaves storage once the removal is committed
    (so a rolled-back removal never loses the file)."""
    file_name, storage = material.file.name, material.file.storage
    material.delete()
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))


# --- Attendance ----------------------------------------------------------------------------


def roster_for(cohort):
    """Who attendance is taken for: active fellows and, in a finished cohort, alumni."""
    return Enrollment.objects.filter(
        cohort=cohort, status__in=EnrollmentStatus.with_cohort_access()
    ).select_related("user")


@transaction.atomic
def attendance_record(
    *, session: Session, marks: dict, by, now: datetime.datetime | None = None
) -> int:
    """Saves the whole roster's attendance at once. `marks` maps enrollment pk → status.
    Refuses (saving nothing) a cancelled or future session, an unknown status, or a person
    not on the roster."""
    now = now or timezone.now()
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: there is no attendance to take.")
    if session.starts_at > now:
        raise ValidationError("Attendance can be taken once the session has started.")
    roster = {e.pk: e for e in roster_for(session.cohort)}
    unknown = set(marks) - set(roster)
    if unknown:
        raise ValidationError("Some people are not on this cohort's roster.")
    bad = [status for status in marks.values() if status not in AttendanceStatus.values]
    if bad:
        raise ValidationError(f"“{bad[0]}” is not an attendance status.")
    existing = {a.enrollment_id: a for a in session.attendance.all()}
    changed = []
    new = []
    for enrollment_id, status in marks.items():
        record = existing.get(enrollment_id)
        if record is None:
            new.append(
                Attendance(
                    session=session, enrollment_id=enrollment_id, status=status, recorded_by=by
                )
            )
        elif record.status != status:
            record.status, record.recorded_by = status, by
            changed.append(record)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "updated_at"])
    return len(new) + len(changed)


# --- Assignments ---------------------------------------------------------------------------


@transaction.atomic
def assignment_save(
    *,
    module: Module,
    title: str,
    instructions: str,
    due_at: datetime.datetime,
    assignment: Assignment | None = None,
) -> Assignment:
    assignment = assignment or Assignment(module=module)
    assignment.title, assignment.instructions, assignment.due_at = title, instructions, due_at
    assignment.full_clean()  # the due date within the cohort: Assignment.clean
    assignment.save()
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Deletes an assignment nobody has submitted to; refused once fellows have submitted
    (see Assignment.deletion_refusal)."""
    refusal = assignment.deletion_refusal()
    if refusal:
        raise ValidationError(refusal)
    assignment.delete()


@transaction.atomic
def submission_submit(
    *,
    assignment: Assignment,
    enrollment: Enrollment,
    text: str = "",
    file=None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Creates or revises the fellow's submission; refused once feedback has been given."""
    now = now or timezone.now()
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only active fellows can submit work.")
    if enrollment.cohort_id != assignment.module.cohort_id:
        raise ValidationError("This assignment belongs to another cohort.")
    submission = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, enrollment=enrollment)
        .first()
    )
    if submission is not None and not submission.can_revise:
        raise ValidationError("Feedback has been given, so this submission can no longer change.")
    if file:
        try:
            validate_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    text = (text or "").strip()
    has_file = bool(file) or bool(submission and submission.file)
    if not text and not has_file:
        raise ValidationError({"text": "Write your response or attach a file."})
    if submission is None:
        submission = Submission(assignment=assignment, enrollment=enrollment, revision=0)
    submission.text = text
    if file:
        submission.file = file
    submission.submitted_at = now
    submission.revision += 1
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def submission_review(
    *, submission: Submission, feedback: str, complete: bool, by, now=None
) -> Submission:
    now = now or timezone.now()
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": "Write some feedback for the fellow."})
    submission.feedback, submission.feedback_by = feedback, by
    submission.feedback_at = submission.feedback_at or now
    submission.completed_at = (submission.completed_at or now) if complete else None
    submission.full_clean()
    submission.save()
    return submission


# --- Self-assessments ----------------------------------------------------------------------


@transaction.atomic
def window_save(
    *,
    cohort,
    phase: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    window: AssessmentWindow | None = None,
) -> AssessmentWindow:
    window = window or AssessmentWindow(cohort=cohort)
    window.phase, window.opens_on, window.closes_on = phase, opens_on, closes_on
    window.full_clean(validate_constraints=False)
    if AssessmentWindow.objects.filter(cohort=cohort, phase=phase).exclude(pk=window.pk).exists():
        raise ValidationError(
            {"phase": f"This cohort already has a {AssessmentPhase(phase).label.lower()} window."}
        )
    window.save()
    return window


@transaction.atomic
def window_delete(*, window: AssessmentWindow) -> None:
    """Deletes a window nobody has rated themselves in; fellows' ratings are never lost."""
    refusal = window.deletion_refusal()
    if refusal:
        raise ValidationError(refusal)
    window.delete()


def cohort_today(cohort, now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(cohort.time_zone)).date()


@transaction.atomic
def self_assessment_submit(
    *,
    window: AssessmentWindow,
    enrollment: Enrollment,
    ratings: dict,
    now: datetime.datetime | None = None,
) -> SelfAssessment:
    """`ratings` maps competency pk → (level value, note). Every competency of the cohort's
    framework must be rated on its scale, inside an open window; a fellow may revise while
    the window is open."""
    cohort = window.cohort
    now = now or timezone.now()
    if enrollment.cohort_id != cohort.pk or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only active fellows of this cohort can rate themselves here.")
    if not window.is_open_on(cohort_today(cohort, now)):
        raise ValidationError(
            f"The {window.get_phase_display().lower()} window is open "
            f"{window.opens_on:%d %b} – {window.closes_on:%d %b %Y}, not today."
        )
    if cohort.framework_id is None:
        raise ValidationError("This cohort has no competency framework.")
    competencies = {
        c.pk: c for c in Competency.objects.filter(domain__framework_id=cohort.framework_id)
    }
    levels = {
        lvl.value: lvl for lvl in ProficiencyLevel.objects.filter(framework_id=cohort.framework_id)
    }
    errors = {}
    if set(ratings) - set(competencies):
        raise ValidationError("Some ratings are for competencies outside this framework.")
    for pk, competency in competencies.items():
        value, _note = ratings.get(pk, (None, ""))
        if value is None:
            errors[pk] = f"Rate “{competency.name}”."
        elif value not in levels:
            errors[pk] = f"{value} is not on the scale ({min(levels)}–{max(levels)})."
    if errors:
        raise ValidationError({str(pk): message for pk, message in errors.items()})
    assessment, created = SelfAssessment.objects.get_or_create(
        window=window, enrollment=enrollment, defaults={"submitted_at": now}
    )
    if not created:
        assessment.submitted_at = now
        assessment.save(update_fields=["submitted_at", "updated_at"])
        assessment.ratings.all().delete()
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessment,
                competency_id=pk,
                level=levels[ratings[pk][0]],
                note=(ratings[pk][1] or "").strip()[:1000],
            )
            for pk in competencies
        ]
    )
    return assessment
