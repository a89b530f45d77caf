from celery import shared_task

from .emails import reference_request_send


@shared_task(
    name="admissions.tasks.send_reference_request",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_reference_request(reference_id: int) -> bool:
    """Emails a referee their link (queued when the applicant names them)."""
    return reference_request_send(reference_id=reference_id) is not None
