"""The beat sweep: every few minutes, find what is due, write it to the ledger, fan it out.

1. Each scan (registered by its app, see registry.py) finds what is due with a few set-based
   queries and returns unsaved ledger rows; the ones already in the ledger are filtered out
   (`ledger.record`: one indexed read per subject type) and the rest inserted in bulk, so a
   repeated sweep writes nothing.
2. Pending rows past their cut-off (the session started) are marked skipped, never sent late
   (failed, with the reason, if the mail server kept failing until then).
3. Rows left `sending` by a worker that died (or whose database connection was lost) after
   claiming them are pending again once no live worker can still hold them
   (NOTIFICATIONS_SENDING_STALE_SECONDS, longer than a task may run).
4. Due, unsent rows not queued recently are handed to workers in batches of ids. A batch lost
   with a worker or a broker restart is queued again after NOTIFICATIONS_REQUEUE_AFTER_SECONDS
   (under two sweep intervals, so within two sweeps). Queueing a row twice is harmless: only a
   `pending` row can be claimed, by one worker.

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
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Left
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
    return datetime.timedelta(seconds=_setting("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", 200))


def sending_stale_after() -> datetime.timedelta:
    default = (_setting("CELERY_TASK_TIME_LIMIT", 180) or 180) + 20
    return datetime.timedelta(seconds=_setting("NOTIFICATIONS_SENDING_STALE_SECONDS", default))


@dataclass
class SweepReport:
    locked_out: bool = False
    written: int = 0
    stale: int = 0
    recovered: int = 0
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
    # A row that never failed is skipped; one the mail server kept failing is failed, so that
    # staff see it (and may send it again).
    stale = Notification.objects.filter(state=State.PENDING, expires_at__lte=now).update(
        state=Case(When(attempts__gt=0, then=Value(State.FAILED)), default=Value(State.SKIPPED)),
        skip_reason="stale",
        last_error=Case(
            When(
                attempts__gt=0,
                then=Left(Concat(Value("Stale while retrying: "), F("last_error")), 200),
            ),
            default=F("last_error"),
        ),
    )
    return written, stale


def recover_interrupted(now) -> int:
    """Step 3: rows a dead worker left `sending` are pending again. The mail server may have
    accepted the message before the worker died: sent again, it keeps its Message-ID."""
    lost = Notification.objects.filter(
        state=State.SENDING, sending_since__lt=now - sending_stale_after()
    ).update(
        state=State.PENDING,
        sending_since=None,
        queued_at=None,
        last_error="Interrupted while sending (may have been delivered)",
    )
    if lost:
        log.warning("%s notifications were interrupted while sending; they go again", lost)
    return lost


def fan_out(now, limit: int | None = None) -> list[list[int]]:
    """Step 4: due and unsent rows, in batches of ids, to the workers."""
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
        recovered = recover_interrupted(now)
        batches = fan_out(now)
    report = SweepReport(written=written, stale=stale, recovered=recovered, queued=batches)
    log.info(
        "Sweep: %s new ledger rows, %s stale, %s queued in %s batches",
        written,
        stale,
        report.queued_count,
        len(batches),
    )
    return report
