"""A new cohort from an earlier one: its programme of the year (modules with their
competencies, sessions with speakers and materials, assignments, self-assessment windows)
moved to the new dates; never its people (fellows, coaches, groups, plans, attendance).

Sessions and assignment deadlines move by the whole number of weeks nearest to the distance
between the two start dates, so each keeps its weekday and its local time in the cohort's
zone (a Tuesday 18:00 stays a Tuesday 18:00, across a change of daylight saving time too),
and a monthly series stays one series. Module and self-assessment dates move by exactly
the distance between the start dates, so a module that began on the first day still does.
The coaching entitlement and thresholds are the program's and apply to the new cohort
unchanged."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from accounts.models import User
from cohorts.models import GROUP_MEETING_FIELDS, Cohort
from cohorts.services import cohort_create

from ..models import AssessmentWindow, Assignment, Material, Module, Session, Speaker
from ..uploads import StoredFiles, files_removed_on_rollback


@dataclass
class CopyPlan:
    """What a copy will create, with the new dates, before anything is saved."""

    source: Cohort
    name: str
    start_date: datetime.date
    end_date: datetime.date
    shift: datetime.timedelta  # sessions and deadlines: whole weeks
    day_shift: datetime.timedelta  # modules and self-assessment windows
    modules: list = field(default_factory=list)  # (module, starts_on, ends_on)
    sessions: list = field(default_factory=list)  # (session, starts_at, ends_at)
    assignments: list = field(default_factory=list)  # (assignment, due_at)
    windows: list = field(default_factory=list)  # (window, opens_on, closes_on)
    errors: list = field(default_factory=list)

    @property
    def speakers(self) -> int:
        return sum(len(s.speakers.all()) for s, _, _ in self.sessions)

    @property
    def materials(self) -> int:
        return sum(len(s.materials.all()) for s, _, _ in self.sessions)


def _week_shift(old: datetime.date, new: datetime.date) -> datetime.timedelta:
    return datetime.timedelta(weeks=round((new - old).days / 7))


def _moved(
    moment: datetime.datetime, shift: datetime.timedelta, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The same local weekday and time `shift` later, in the cohort's zone."""
    local = moment.astimezone(zone)
    return datetime.datetime.combine(local.date() + shift, local.time(), tzinfo=zone)


def cohort_copy_plan(
    *, source: Cohort, name: str, start_date: datetime.date, end_date: datetime.date
) -> CopyPlan:
    """The preview: every item of `source` with its date in the new cohort, and a clear
    message for each that would fall outside the new start and end dates."""
    if end_date <= start_date:
        raise ValidationError({"end_date": "The cohort must end after it starts."})
    zone = zoneinfo.ZoneInfo(source.time_zone)
    shift = _week_shift(source.start_date, start_date)
    day_shift = start_date - source.start_date
    plan = CopyPlan(source, name, start_date, end_date, shift, day_shift)

    def outside(what: str, day: datetime.date) -> None:
        if not start_date <= day <= end_date:
            side = "before the cohort starts" if day < start_date else "after the cohort ends"
            plan.errors.append(f"{what} would fall on {day:%a %-d %b %Y}, {side}.")

    for module in source.modules.prefetch_related("competencies").order_by("order"):
        starts, ends = module.starts_on + day_shift, module.ends_on + day_shift
        plan.modules.append((module, starts, ends))
        outside(f"Module {module.order} “{module.title}” (start)", starts)
        outside(f"Module {module.order} “{module.title}” (end)", ends)
    sessions = source.sessions.filter(cancelled_at__isnull=True).prefetch_related(
        "speakers", "materials"
    )
    for session in sessions.select_related("module"):
        starts = _moved(session.starts_at, shift, zone)
        ends = starts + (session.ends_at - session.starts_at)
        plan.sessions.append((session, starts, ends))
        outside(f"Session “{session.title}”", starts.date())
    for assignment in Assignment.objects.filter(module__cohort=source).select_related("module"):
        due = _moved(assignment.due_at, shift, zone)
        plan.assignments.append((assignment, due))
        outside(f"Assignment “{assignment.title}”", due.date())
    for window in source.assessment_windows.order_by("opens_on"):
        opens, closes = window.opens_on + day_shift, window.closes_on + day_shift
        plan.windows.append((window, opens, closes))
        outside(f"The {window.get_phase_display().lower()} self-assessment (opening)", opens)
        outside(f"The {window.get_phase_display().lower()} self-assessment (closing)", closes)
    return plan


def cohort_copy(
    *,
    source: Cohort,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    by: User,
) -> Cohort:
    """Creates the new cohort with copies of everything the preview lists, or nothing at
    all: anything that would fall outside the new dates refuses the whole copy, and a
    failure part-way saves no row and leaves no copied material file in storage."""
    plan = cohort_copy_plan(source=source, name=name, start_date=start_date, end_date=end_date)
    if plan.errors:
        raise ValidationError({"start_date": plan.errors})
    with files_removed_on_rollback() as files:
        return _copy(plan, source=source, by=by, files=files)


def _copy(plan: CopyPlan, *, source: Cohort, by: User, files: StoredFiles) -> Cohort:
    name, start_date, end_date = plan.name, plan.start_date, plan.end_date
    cohort = cohort_create(
        program=source.program,
        data={
            "name": name,
            "start_date": start_date,
            "end_date": end_date,
            "time_zone": source.time_zone,
            "framework": source.framework,
            **{name: getattr(source, name) for name in GROUP_MEETING_FIELDS},
        },
        by=by,
    )
    modules = {}
    for module, starts, ends in plan.modules:
        copy = Module(
            cohort=cohort,
            order=module.order,
            title=module.title,
            description=module.description,
            starts_on=starts,
            ends_on=ends,
        )
        copy.full_clean(validate_constraints=False)
        copy.save()
        copy.competencies.set(module.competencies.all())
        modules[module.pk] = copy
    series: dict[uuid.UUID, uuid.UUID] = {}
    for session, starts, ends in plan.sessions:
        session_copy = Session(
            cohort=cohort,
            module=modules.get(session.module_id),
            kind=session.kind,
            title=session.title,
            description=session.description,
            topic=session.topic,
            starts_at=starts,
            ends_at=ends,
            video_url=session.video_url,
            venue=session.venue,
            address=session.address,
            series=series.setdefault(session.series, uuid.uuid4()) if session.series else None,
        )
        session_copy.full_clean()
        session_copy.save()
        Speaker.objects.bulk_create(
            Speaker(
                session=session_copy,
                name=s.name,
                affiliation=s.affiliation,
                bio=s.bio,
                order=s.order,
            )
            for s in session.speakers.all()
        )
        for material in session.materials.all():
            new = Material(session=session_copy, title=material.title, url=material.url)
            if material.file:
                with material.file.open("rb") as handle:
                    new.file.save(
                        material.file.name.rsplit("/", 1)[-1],
                        ContentFile(handle.read()),
                        save=False,
                    )
                files.add(new.file)
            new.save()
    for assignment, due in plan.assignments:
        assignment_copy = Assignment(
            module=modules[assignment.module_id],
            title=assignment.title,
            instructions=assignment.instructions,
            due_at=due,
        )
        assignment_copy.full_clean()
        assignment_copy.save()
    for window, opens, closes in plan.windows:
        window_copy = AssessmentWindow(
            cohort=cohort, phase=window.phase, opens_on=opens, closes_on=closes
        )
        window_copy.full_clean()
        window_copy.save()
    return cohort
