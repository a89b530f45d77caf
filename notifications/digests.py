"""The daily digest: one email a day collecting the notifications a person chose to have held
for it, at the end of their quiet hours."""

from __future__ import annotations

import datetime

from .ledger import row
from .models import Notification, State
from .notices import DAILY_DIGEST
from .timeutil import local_moment, zone

DEFAULT_QUIET_END = datetime.time(7, 0)


def scan_daily_digests(now) -> list[Notification]:
    """One digest a day per person with held notifications, at the end of their quiet hours."""
    people = (
        # Only people with an account have rows held (an email-only row is never held).
        Notification.objects.filter(state=State.HELD, recipient__isnull=False)
        .values(
            "recipient_id", "recipient__time_zone", "recipient__notification_settings__quiet_end"
        )
        .distinct()
    )
    rows = []
    for person in people:
        tz_name = person["recipient__time_zone"]
        today = now.astimezone(zone(tz_name)).date()
        at = person["recipient__notification_settings__quiet_end"] or DEFAULT_QUIET_END
        due_at = local_moment(today, at, tz_name)
        if now < due_at:
            continue
        rows.append(
            row(
                recipient_id=person["recipient_id"],
                kind=DAILY_DIGEST.key,
                subject_type="accounts.user",
                subject_id=person["recipient_id"],
                occurrence=today.isoformat(),
                due_at=due_at,
                title="Your daily digest",
                url="/notifications/",
            )
        )
    return rows
