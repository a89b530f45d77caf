from celery import shared_task
from django.utils import timezone

from .emails import due_reminders, rater_email_send


@shared_task(
    name="feedback360.tasks.send_rater_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_rater_email(nomination_id: int, purpose: str) -> bool:
    """Emails a rater their invitation or a reminder, with a new link (queued on commit)."""
    return rater_email_send(nomination_id=nomination_id, purpose=purpose)


@shared_task(name="feedback360.tasks.remind_raters")
def remind_raters() -> int:
    """Hourly (beat): reminders due now, and invitations whose send failed."""
    due = due_reminders(timezone.now())
    for nomination_id, purpose in due:
        send_rater_email.delay(nomination_id, purpose)
    return len(due)
