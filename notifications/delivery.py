"""Sending what the ledger says is due: claim each row, decide how it goes out, send, mark.

A row that goes out by email moves through three short steps, each its own transaction:

1. **Claim**: `pending` → `sending` (a conditional `UPDATE ... WHERE state = 'pending'` whose
   row count must be 1), committed *before* the mail server is contacted. A second worker
   holding the same id finds the row taken and moves on; the sweep never queues a `sending`
   row again while a worker may still be sending it.
2. **Send** on the batch's one connection (`mailer.Mailer`), with a Message-ID derived from
   the row, so a message sent again is recognised as the same one by servers and clients
   that de-duplicate.
3. **Mark sent**, retried on a fresh database connection if the first try fails.

The one window left for a second email: the mail server accepted the message and the worker
died (or the database stayed unreachable) before step 3 committed. The sweep then finds the
row still `sending` once no live worker can hold it (NOTIFICATIONS_SENDING_STALE_SECONDS,
longer than a task may run) and sends it again, with the same Message-ID.

A failure (`mailer.classify`) is permanent (failed at once, the server's reply kept for staff),
temporary (pending again, tried later with backoff until it would be stale) or an outage (the
same, and the rest of the batch waits without contacting the server: see mailer.py).
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import mailer, registry
from .emails import build_email
from .models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
    State,
)
from .notices import DAILY_DIGEST
from .timeutil import end_of_quiet_hours, in_quiet_hours, parse

log = logging.getLogger(__name__)

ONE_DAY_SECONDS = 24 * 3600


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    in_app: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    postponed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # failed for now: pending, tried again later
    gave_up: list[int] = field(default_factory=list)  # failed for good (rejected, or stale)
    waiting: list[int] = field(default_factory=list)  # not tried: the mail server is down
    taken: list[int] = field(default_factory=list)  # claimed by another worker first
    connections: int = 0

    def handled(self) -> int:
        """Rows of the batch that were pending and due when it ran, whatever became of them:
        each is in exactly one of the lists above."""
        return sum(len(value) for value in vars(self).values() if isinstance(value, list))


@dataclass(frozen=True)
class Decision:
    action: str  # "email", "hold", "in_app", "skip", "postpone"
    reason: str = ""
    until: object = None


class Preferences:
    """Delivery choices and quiet hours of the recipients of one batch (two queries), and the
    rows the registered skip rules hold back (a withdrawn fellow, staff who left)."""

    def __init__(self, rows: list[Notification]):
        # Rows addressed to an email have no account, so no choices: the defaults apply.
        user_ids = {n.recipient_id for n in rows if n.recipient_id is not None}
        self.delivery = {
            (p.user_id, p.topic): p.delivery
            for p in NotificationPreference.objects.filter(user_id__in=user_ids)
        }
        self.settings = {
            s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)
        }
        # Rules for every row (registered by apps: a withdrawn fellow gets nothing) ...
        self.withheld: dict[int, str] = {}
        for skip_rule in registry.skip_rules():
            for pk, reason in skip_rule(rows).items():
                self.withheld.setdefault(pk, reason)
        # ... and each kind's own, for its rows only (a staff digest goes to staff only).
        self.kind_skips: dict[int, str] = {}
        by_kind: dict[str, list[Notification]] = {}
        for n in rows:
            by_kind.setdefault(n.kind, []).append(n)
        for key, of_kind in by_kind.items():
            try:
                kind = registry.kind(key)
            except registry.UnknownKind:
                continue  # each of these rows fails on its own, in decide()
            if kind.skip is not None:
                self.kind_skips.update(kind.skip(of_kind))

    def delivery_for(self, user_id, kind) -> str:
        topic = registry.kind(kind).topic
        if topic is None or user_id is None:
            return Delivery.IMMEDIATE
        return self.delivery.get((user_id, topic), Delivery.IMMEDIATE)

    def quiet_hours(self, user_id):
        found = self.settings.get(user_id) or NotificationSettings()
        return found.quiet_start, found.quiet_end


def decide(n: Notification, prefs: Preferences, now) -> Decision:
    """The rules of PRODUCT.md, in order. Pure: reads the row and the preferences only."""
    recipient = n.recipient
    kind = registry.kind(n.kind)
    if recipient is not None and not recipient.is_active:
        return Decision("skip", "inactive")
    if n.pk in prefs.withheld:
        return Decision("skip", prefs.withheld[n.pk])
    if n.expires_at and now >= n.expires_at:
        return Decision("skip", "stale")
    if n.pk in prefs.kind_skips:
        return Decision("skip", prefs.kind_skips[n.pk])
    # An email-only row is never held nor kept in the app: there is no list to show it in.
    delivery = prefs.delivery_for(n.recipient_id, n.kind)
    if delivery == Delivery.NONE:
        return Decision("in_app")
    starts_at = parse(n.payload.get("starts_at"))
    less_than_a_day_ahead = (
        kind.is_event
        and starts_at is not None
        and (starts_at - now).total_seconds() <= ONE_DAY_SECONDS
    )
    if delivery == Delivery.DIGEST and not kind.urgent and not less_than_a_day_ahead:
        return Decision("hold")
    if not kind.ignores_quiet_hours:
        start, end = prefs.quiet_hours(n.recipient_id)
        tz_name = n.time_zone
        if in_quiet_hours(now, tz_name, start, end):
            until = end_of_quiet_hours(now, tz_name, start, end)
            if kind.urgent and starts_at is not None and starts_at <= until:
                return Decision("email")  # the change matters before the morning
            return Decision("postpone", until=until)
    return Decision("email")


def deliver_batch(ids, now=None) -> Outcome:
    now = now or timezone.now()
    outcome = Outcome()
    rows = list(
        Notification.objects.filter(pk__in=ids, state=State.PENDING, due_at__lte=now)
        .select_related("recipient", "enrollment")
        .order_by("due_at", "pk")
    )
    prefs = Preferences(rows)
    smtp = mailer.Mailer()
    down = False
    try:
        for n in rows:
            try:
                decision = decide(n, prefs, now)
            except Exception as exc:  # a row of a kind nobody registers any more
                log.exception("Deciding about notification %s failed", n.pk)
                _failed(n, mailer.Failure(mailer.TEMPORARY, type(exc).__name__), now, outcome)
                continue
            if decision.action != "email":
                _settle(n, decision, now, outcome)
                continue
            if down or mailer.must_wait(now):
                outcome.waiting.append(n.pk)
                continue
            down = _send(n, now, smtp, outcome)
    finally:
        smtp.drop()
    outcome.connections = smtp.opened
    if outcome.waiting:
        # Not tried: the next sweep queues them again, and they go once the server answers.
        Notification.objects.filter(pk__in=outcome.waiting, state=State.PENDING).update(
            queued_at=None
        )
    return outcome


def _claim(pk, **changes) -> bool:
    """Takes the row if it is still pending; False when another worker has it or had it.

    A row another transaction is writing is waited for, then checked again (the database
    re-reads a locked row's state before updating it): the sweep marking the row as queued
    leaves it pending and this claim takes it; another worker's claim has moved it off
    pending and this one finds nothing. Skipping locked rows instead would pass over rows the
    sweep was merely marking, which then wait for the requeue window."""
    return Notification.objects.filter(pk=pk, state=State.PENDING).update(**changes) == 1


def _settle(n: Notification, decision: Decision, now, outcome: Outcome) -> None:
    """Everything but an email: one transaction, nothing sent."""
    if decision.action == "postpone":
        # Quiet hours hold the email only: the notice shows in the list from now on.
        shown = Coalesce(F("sent_at"), Value(now))
        changes = {"due_at": decision.until, "queued_at": None, "sent_at": shown}
        done = outcome.postponed
    elif decision.action == "skip":
        changes, done = {"state": State.SKIPPED, "skip_reason": decision.reason}, outcome.skipped
    elif decision.action == "hold":
        changes, done = {"state": State.HELD, "sent_at": now}, outcome.held
    else:  # in_app
        changes, done = {"state": State.IN_APP, "sent_at": now}, outcome.in_app
    with transaction.atomic():
        if _claim(n.pk, **changes):
            done.append(n.pk)


def _claim_for_sending(n: Notification, now, outcome: Outcome) -> list[Notification] | None:
    """Step 1, committed before the mail server is contacted. Returns the rows a digest
    gathers (empty for anything else), or None when the row is not to be sent."""
    with transaction.atomic():
        # The claim's own time, not the batch's: a row near the end of a long batch must not
        # look abandoned to the sweep while this worker is still sending it.
        if not _claim(n.pk, state=State.SENDING, sending_since=timezone.now()):
            outcome.taken.append(n.pk)
            return None
        if n.kind != DAILY_DIGEST.key:
            return []
        held = list(
            Notification.objects.filter(recipient_id=n.recipient_id, state=State.HELD)
            .order_by("due_at", "pk")
            .select_for_update()
        )
        if not held:
            Notification.objects.filter(pk=n.pk).update(
                state=State.SKIPPED, skip_reason="nothing held", sending_since=None
            )
            outcome.skipped.append(n.pk)
            return None
        Notification.objects.filter(pk__in=[h.pk for h in held]).update(
            state=State.DIGESTED, digest=n
        )
        return held


def _send(n: Notification, now, smtp: mailer.Mailer, outcome: Outcome) -> bool:
    """Claims, sends and marks one row; True when the mail server is down (stop the batch)."""
    held = _claim_for_sending(n, now, outcome)
    if held is None:
        mailer.probe_not_used()
        return False
    try:
        message = build_email(n, now=now, held=held)
        smtp.send(message)
    except Exception as exc:
        failure = mailer.classify(exc)
        log.warning("Sending notification %s failed (%s): %s", n.pk, failure.kind, failure.reason)
        smtp.drop()
        _failed(n, failure, now, outcome)
        if failure.kind == mailer.OUTAGE:
            mailer.outage_recorded(failure.reason, timezone.now())
            return True
        mailer.outage_over()  # the server answered: it is up
        return False
    mailer.outage_over()
    mark_sent(n.pk, now)
    outcome.sent.append(n.pk)
    return False


def _reconnect() -> None:
    """Drops the current database connection; Django opens a fresh one on the next query."""
    connection.close()


def mark_sent(pk: int, now, tries: int | None = None) -> bool:
    """Step 3: `sending` → `sent`. The message is out: a lost update here would send it again,
    so a failed try is repeated on a fresh connection (a restarted database, a dropped
    connection) before giving up and leaving the row to the sweep."""
    tries = tries or int(getattr(settings, "NOTIFICATIONS_MARK_SENT_TRIES", 5))
    for attempt in range(1, tries + 1):
        try:
            with transaction.atomic():
                Notification.objects.filter(pk=pk, state=State.SENDING).update(
                    state=State.SENT,
                    sent_at=Coalesce(F("sent_at"), Value(now)),
                    sending_since=None,
                    failing_since=None,
                )
            return True
        except (OperationalError, InterfaceError):
            log.warning("Marking notification %s sent failed (try %s); reconnecting", pk, attempt)
            if attempt == tries:
                log.exception("Notification %s was sent but is not marked sent", pk)
                return False
            _reconnect()
            time.sleep(min(2.0, 0.1 * 2**attempt))
    return False


def _failed(n: Notification, failure: mailer.Failure, now, outcome: Outcome) -> None:
    """A try that failed: failed for good when permanent or when the next try would come too
    late, otherwise pending again with a later due time (backoff)."""
    attempts = n.attempts + 1
    failing_since = n.failing_since or now
    retry_at = now + mailer.backoff(attempts)
    deadline = n.expires_at or failing_since + datetime.timedelta(
        seconds=getattr(settings, "NOTIFICATIONS_RETRY_FOR_SECONDS", 24 * 3600)
    )
    common = {
        "attempts": F("attempts") + 1,
        "failing_since": failing_since,
        "sending_since": None,
        "queued_at": None,
    }
    give_up = failure.kind == mailer.PERMANENT or retry_at >= deadline
    if give_up:
        prefix = "Rejected" if failure.kind == mailer.PERMANENT else f"Stale after {attempts} tries"
        changes: dict[str, Any] = {
            **common,
            "state": State.FAILED,
            "last_error": f"{prefix}: {failure.reason}",
        }
    else:
        changes = {**common, "state": State.PENDING, "due_at": retry_at}
        changes["last_error"] = failure.reason[:200]
    changes["last_error"] = changes["last_error"][:200]
    try:
        with transaction.atomic():
            done = (
                Notification.objects.filter(
                    pk=n.pk, state__in=[State.PENDING, State.SENDING]
                ).update(**changes)
                == 1
            )
            # A digest that did not go: its rows are held again for the next one.
            Notification.objects.filter(digest_id=n.pk, state=State.DIGESTED).update(
                state=State.HELD, digest=None
            )
    except DatabaseError:
        log.exception("Counting the failure of notification %s failed", n.pk)
        return
    if done:
        (outcome.gave_up if give_up else outcome.failed).append(n.pk)
