"""Demo data of reports: each demo staff member has this week's digest, unread."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cohorts.models import ProgramStaff
from demo.notifications import demo_logins, demo_notification
from notifications.ledger import row
from reports.notices import STAFF_DIGEST


def seed(ctx) -> None:
    now = timezone.now().replace(microsecond=0)
    monday = now.date() - datetime.timedelta(days=now.weekday())
    year, week, _ = monday.isocalendar()
    for user in demo_logins(ctx):
        for membership in ProgramStaff.objects.filter(user=user).select_related("program"):
            note = row(
                recipient_id=user.pk,
                kind=STAFF_DIGEST.key,
                subject_type="cohorts.program",
                subject_id=membership.program_id,
                occurrence=f"{year}-W{week:02d}",
                due_at=now - datetime.timedelta(hours=2),
                title=f"Weekly digest: {membership.program.name}",
                url=membership.program.get_absolute_url(),
                payload={"program_id": membership.program_id},
            )
            demo_notification(note, sent_at=now - datetime.timedelta(hours=2), read=False)
