from celery import shared_task

from .invitations import invitation_send


@shared_task(
    name="cohorts.tasks.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_invitation(invitation_id: int) -> bool:
    """Emails an invitation with a new link (queued on commit by the invitation services)."""
    return invitation_send(invitation_id=invitation_id)
