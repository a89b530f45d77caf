"""The beat sweep: every few minutes, find what is due, write it to the ledger, fan it out.

1. Each scan (registered by its app, see registry.py) finds what is due with a few set-based
   queries and returns unsaved ledger rows; the ones already in the ledger are filtered out
   (`ledger.record`: one indexed read per subject type) and the rest inserted in bulk, so a
   repeated sweep writes nothing.
2. Pending rows past their cut-off (the session started) are marked skipped, never sent late.
3. Due, unsent rows not queued recently are handed to workers in batches of ids.

A cache lock makes a second beat harmless (and the ledger makes it harmless even without the
lock). Nothing is scheduled ahead with an ETA: if the broker or the worker is down, the rows
stay pending and the next sweep after it is back sends them.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from . import registry
from .enqueue import enqueue_on_commit
from .ledger import record
from .models import Notification, State

log = logging.getLogger(__name__)

LOCK_KEY = "cohortwise:notifications:sweep-lock"


def _setting(name: str, default):
    return getattr(settings, name, default)


def batch_size() -> int:
    return _setting("NOTIFICATIONS_BATCH_SIZE", 100)


def requeue_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=_setting("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", 600))


@dataclass
class SweepReport:
    locked_out: bool = False
    written: int = 0
    stale: int = 0
    queued: list[list[int]] = field(default_factory=list)

    @property
    def queued_count(self) -> int:
        return sum(len(b) for b in self.queued)


@contextmanager
def sweep_lock(timeout: int | None = None) -> Iterator[bool]:
    """True when this process holds the lock. It expires by itself if the holder dies."""
    token = uuid.uuid4().hex
    timeout = timeout or _setting("NOTIFICATIONS_SWEEP_LOCK_SECONDS", 240)
    acquired = cache.add(LOCK_KEY, token, timeout=timeout)
    try:
        yield acquired
    finally:
        if acquired and cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_due(now, scans: list[Callable] | None = None) -> tuple[int, int]:
    """Steps 1 and 2: ledger rows for everything due (from the registered scans, or the ones
    given), stale ones marked skipped."""
    written = 0
    for scan in scans if scans is not None else registry.scans():
        written += record(scan(now))
    stale = Notification.objects.filter(state=State.PENDING, expires_at__lte=now).update(
        state=State.SKIPPED, skip_reason="stale"
    )
    return written, stale


def fan_out(now, limit: int | None = None) -> list[list[int]]:
    """Step 3: due and unsent rows, in batches of ids, to the workers."""
    from .tasks import send_batch

    limit = limit or _setting("NOTIFICATIONS_MAX_PER_SWEEP", 50_000)
    ids = list(
        Notification.objects.due(now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after()))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    batches = list(chunks(ids, batch_size()))
    for batch in batches:
        # Raises when the broker is down: the rows stay unqueued for the next sweep.
        enqueue_on_commit(send_batch, batch)
        Notification.objects.filter(pk__in=batch, state=State.PENDING).update(queued_at=now)
    return batches


def run_sweep(now=None, scans=None) -> SweepReport:
    now = now or timezone.now()
    with sweep_lock() as acquired:
        if not acquired:
            log.info("Another sweep is running; this one stands down.")
            return SweepReport(locked_out=True)
        written, stale = write_due(now, scans)
        batches = fan_out(now)
    report = SweepReport(written=written, stale=stale, queued=batches)
    log.info(
        "Sweep: %s new ledger rows, %s stale, %s queued in %s batches",
        written,
        stale,
        report.queued_count,
        len(batches),
    )
    return report
