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

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from accounts.models import User
from cohorts.models import GROUP_MEETING_FIELDS, Cohort
from cohorts.services import cohort_create

from ..models import AssessmentWindow, Assignment, Material, Module, Session, Speaker
from ..selectors.cohort_copy import CopyPlan, cohort_copy_plan
from ..uploads import StoredFiles, files_removed_on_rollback


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
