from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "cohortwise:worker-heartbeat"


@shared_task(name="accounts.tasks.record_heartbeat")
def record_heartbeat() -> str:
    """Run by beat every minute on a worker: proves both are alive (see /health/)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
