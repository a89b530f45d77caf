"""Writes of a cohort's modules, sessions (one-off or monthly series), speakers and materials."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from cohorts.models import Cohort
from notifications import hooks

from ..models import (
    Competency,
    Material,
    Module,
    Session,
    SessionKind,
    Speaker,
    Submission,
)
from ..selectors import series_datetimes
from ..uploads import delete_after_commit, validate_upload

# --- Modules -------------------------------------------------------------------------------


@transaction.atomic
def module_save(
    *,
    cohort: Cohort,
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


@transaction.atomic
def module_delete(*, module: Module) -> None:
    """Deletes a module with its assignments (its sessions stay, without a module). Files of
    the submissions deleted with it leave storage once the deletion is committed."""
    for submission in Submission.objects.filter(assignment__module=module).exclude(file=""):
        delete_after_commit(submission.file)
    module.delete()


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
def session_create(*, cohort: Cohort, facilitators: Iterable[User] = (), **fields: Any) -> Session:
    session = Session(cohort=cohort, **{k: v for k, v in fields.items() if k in SESSION_FIELDS})
    session.full_clean()
    session.save()
    session.facilitators.set(facilitators)
    return session


@transaction.atomic
def session_update(
    *, session: Session, facilitators: Iterable[User] | None = None, **fields: Any
) -> Session:
    """Saves changes; a change of time or place bumps the calendar sequence and tells
    the attendees (through notifications.hooks, after commit)."""
    if session.is_cancelled:
        raise ValidationError("This session was cancelled and can no longer be changed.")
    changes = {name: value for name, value in fields.items() if name in SESSION_FIELDS}
    moved = any(
        name in changes and changes[name] != getattr(session, name) for name in TIME_AND_PLACE
    )
    if moved:
        session.sequence += 1
    model_update(session, data=changes, also=["sequence"])
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


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Deletes a session with its speakers, materials and attendance; uploaded materials
    leave storage once the deletion is committed (a rollback keeps them)."""
    for material in session.materials.exclude(file=""):
        delete_after_commit(material.file)
    session.delete()


@transaction.atomic
def session_series_create(
    *,
    cohort: Cohort,
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
    facilitators: Iterable[User] = (),
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
        local_day = cohort.local_date(starts_at)
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
def material_add(
    *, session: Session, title: str, url: str = "", file: UploadedFile | None = None
) -> Material:
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
    delete_after_commit(material.file)
    material.delete()
