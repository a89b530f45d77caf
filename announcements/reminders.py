"""Telling an announcement's audience: the ledger rows, written at once for an announcement
sent now (services.announcement_create) and by `scan`, which the notifications sweep runs
every two minutes, for those whose time has come.

The ledger's unique key (recipient, kind, announcement, "sent") makes the scan harmless to
repeat: each person is told once, whether the row came from the service or a sweep. A
sweep missed while the site was down still tells the audience within `CATCH_UP`; after
that the announcement is only on its page (the row would expire unsent anyway).
"""

from __future__ import annotations

import datetime

from . import audience, formatting
from .models import Announcement
from .notices import ANNOUNCEMENT, ANNOUNCEMENT_IMPORTANT

CATCH_UP = datetime.timedelta(days=2)
# An announcement's email is not sent later than this after its time (the page keeps it).
EXPIRES_AFTER = datetime.timedelta(days=7)
SUBJECT_TYPE = "announcements.announcement"


def payload(announcement: Announcement) -> dict:
    author = announcement.author
    return {
        "title": announcement.title,
        "audience": announcement.audience_label,
        "program": announcement.program.name,
        "author": author.full_name if author else "",
        "text": formatting.plain_text(announcement.body),
        "attachment": announcement.attachment_name,
    }


def rows_for(announcement: Announcement) -> list:
    """One unsaved ledger row per person of the audience (the author is not told)."""
    from notifications.ledger import row

    kind = ANNOUNCEMENT_IMPORTANT if announcement.important else ANNOUNCEMENT
    frozen = payload(announcement)
    url = announcement.get_absolute_url()
    return [
        row(
            recipient_id=user_id,
            kind=kind.key,
            subject_type=SUBJECT_TYPE,
            subject_id=announcement.pk,
            occurrence="sent",
            due_at=announcement.send_at,
            expires_at=announcement.send_at + EXPIRES_AFTER,
            enrollment_id=enrollment_id,
            title=announcement.title,
            url=url,
            payload=frozen,
        )
        for user_id, enrollment_id in audience.members_with_enrollment(announcement)
        if user_id != announcement.author_id
    ]


def scan(now: datetime.datetime) -> list:
    due = Announcement.objects.filter(send_at__lte=now, send_at__gt=now - CATCH_UP).select_related(
        "program", "cohort", "peer_group", "author"
    )
    rows = []
    for announcement in due:
        rows.extend(rows_for(announcement))
    return rows
