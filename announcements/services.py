"""Writes of the announcements app."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.models import User
from cohorts.models import Cohort, Program
from curriculum.uploads import delete_after_commit, validate_upload
from networks.models import PeerGroup
from notifications.hooks import notify

from . import reminders, roles
from .models import Announcement, AnnouncementRead, Audience

# A time "now" typed in a form is a little in the past by the time it is saved.
PAST_GRACE = datetime.timedelta(minutes=5)


@transaction.atomic
def announcement_create(
    *,
    program: Program,
    audience: str,
    title: str,
    body: str,
    by: User,
    now: datetime.datetime,
    cohort: Cohort | None = None,
    peer_group: PeerGroup | None = None,
    important: bool = False,
    send_at: datetime.datetime | None = None,
    attachment: UploadedFile | None = None,
) -> Announcement:
    """Saves the announcement and, when it is sent now, writes a ledger row for each person
    of the audience (emailed after commit, per each person's choice). One set for later is
    sent by reminders.scan when its time comes."""
    if audience == Audience.PEER_GROUP and peer_group is not None:
        cohort = peer_group.cohort
    if not roles.may_announce(by, audience=audience, program=program, peer_group=peer_group):
        raise PermissionDenied("You cannot announce to this audience.")
    if send_at is not None and send_at < now - PAST_GRACE:
        raise ValidationError({"send_at": "This time has passed. Leave it empty to send now."})
    if attachment:
        try:
            validate_upload(attachment)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    announcement = Announcement(
        program=program,
        audience=audience,
        cohort=cohort,
        peer_group=peer_group,
        title=title.strip(),
        body=body.strip(),
        important=important,
        send_at=max(send_at, now) if send_at else now,
        author=by,
        attachment=attachment or "",
    )
    announcement.full_clean()
    announcement.save()
    if announcement.send_at <= now:
        notify(reminders.rows_for(announcement))
    return announcement


@transaction.atomic
def announcement_withdraw(*, announcement: Announcement, by: User, now: datetime.datetime) -> None:
    """Deletes an announcement that has not been sent yet (nobody was told)."""
    if not (roles.manages_program(by, announcement.program) or announcement.author_id == by.pk):
        raise PermissionDenied("Only program staff and the author withdraw an announcement.")
    if announcement.send_at <= now:
        raise ValidationError("This announcement has been sent: it can no longer be withdrawn.")
    if announcement.attachment:
        delete_after_commit(announcement.attachment)
    announcement.delete()


def announcement_mark_read(*, announcement: Announcement, by: User, now: datetime.datetime) -> bool:
    """Notes that `by` opened the announcement (the first time only); True if this was it.
    Staff and the author reading it are not counted: receipts count the audience."""
    if announcement.author_id == by.pk or roles.manages_program(by, announcement.program):
        return False
    if AnnouncementRead.objects.filter(announcement=announcement, user=by).exists():
        return False
    try:
        with transaction.atomic():
            AnnouncementRead.objects.create(announcement=announcement, user=by, opened_at=now)
    except IntegrityError:  # opened twice at the same moment: the other request noted it
        return False
    return True
