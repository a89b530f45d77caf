from celery import shared_task

from .services import entries_purge_expired


@shared_task
def purge_expired_entries() -> int:
    """Daily: the audit log keeps AUDIT_RETENTION_DAYS days of entries."""
    return entries_purge_expired()
