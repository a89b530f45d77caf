"""The preview of a new cohort copied from an earlier one (`curriculum.services.cohort_copy`
creates it): every item with its new date, and what would fall outside the new cohort's
dates. It only reads, so the copy service and the preview page share it."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from cohorts.models import Cohort

from ..models import Assignment


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
