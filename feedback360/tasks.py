"""Rater emails go through the notification ledger (feedback360/emails.py, found by the
notification sweep). These two tasks remain so that messages queued before that change are
still understood; each only writes ledger rows, which the ledger sends once."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="feedback360.tasks.send_rater_email")
def send_rater_email(nomination_id: int, purpose: str) -> int:
    from notifications.hooks import notify

    from .emails import _nominations, rater_row

    now = timezone.now()
    return notify([rater_row(n, purpose, now) for n in _nominations([nomination_id])])


@shared_task(name="feedback360.tasks.remind_raters")
def remind_raters() -> int:
    from notifications.ledger import record

    from .emails import scan

    return record(scan(timezone.now()))
