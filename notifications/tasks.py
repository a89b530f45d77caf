"""Celery tasks: they take ids, load, and call the notifications code."""

from celery import shared_task
from django.conf import settings

from .delivery import deliver_batch
from .sweep import run_sweep


@shared_task(name="notifications.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    """Run by beat every two minutes (see CELERY_BEAT_SCHEDULE)."""
    report = run_sweep()
    return {"written": report.written, "queued": report.queued_count}


@shared_task(
    bind=True,
    name="notifications.tasks.send_batch",
    acks_late=True,
    max_retries=5,
    ignore_result=True,
)
def send_batch(self, ids: list[int]) -> dict:
    """Sends one batch of ledger rows. Rows that failed are retried (until they reach
    NOTIFICATIONS_MAX_ATTEMPTS and are marked failed); the rest are done."""
    outcome = deliver_batch(ids)
    if outcome.failed:
        countdown = getattr(settings, "NOTIFICATIONS_RETRY_SECONDS", 60)
        raise self.retry(args=[outcome.failed], countdown=countdown)
    return {
        "sent": len(outcome.sent),
        "skipped": len(outcome.skipped),
        "failed": len(outcome.gave_up),
    }
