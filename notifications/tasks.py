"""Celery tasks: they take ids, load, and call the notifications code."""

from celery import shared_task

from .delivery import deliver_batch
from .sweep import run_sweep


@shared_task(name="notifications.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    """Run by beat every two minutes (see CELERY_BEAT_SCHEDULE)."""
    report = run_sweep()
    return {"written": report.written, "queued": report.queued_count}


@shared_task(
    name="notifications.tasks.send_batch",
    acks_late=True,
    ignore_result=True,
)
def send_batch(ids: list[int]) -> dict:
    """Sends one batch of ledger rows. A row that failed for now is pending again with a later
    due time, and a row not tried because the mail server is down is left for the next sweep:
    the sweep queues both again, so nothing depends on this task being retried."""
    outcome = deliver_batch(ids)
    return {
        "sent": len(outcome.sent),
        "skipped": len(outcome.skipped),
        "failed": len(outcome.gave_up),
        "retrying": len(outcome.failed),
        "waiting": len(outcome.waiting),
        # The rest, so that the worker's log accounts for every id of the batch.
        "postponed": len(outcome.postponed),
        "held": len(outcome.held),
        "in_app": len(outcome.in_app),
        "taken": len(outcome.taken),
        "not_pending": len(ids) - outcome.handled(),
    }
