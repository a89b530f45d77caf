"""Sending what the ledger says is due: claim each row, decide how it goes out, send, mark.

Each row is claimed and marked in one short transaction around its send:
`select_for_update(skip_locked=True)` (where the database has it) and a conditional
`UPDATE ... WHERE state = 'pending'` whose row count must be 1. If the worker dies before the
commit the row is pending again and the next sweep sends it; a second worker holding the same
id finds the row taken and moves on. The only way to send twice is a mail server accepting a
message and the database commit failing right after it.

A send that raises is counted on the row (`attempts`) and the row stays pending for a retry;
at `NOTIFICATIONS_MAX_ATTEMPTS` (default 5) it is marked failed and never tried again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import registry
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
    failed: list[int] = field(default_factory=list)  # raised, still pending: retry these
    gave_up: list[int] = field(default_factory=list)  # raised the last allowed time
    taken: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Decision:
    action: str  # "email", "hold", "in_app", "skip", "postpone"
    reason: str = ""
    until: object = None


class Preferences:
    """Delivery choices and quiet hours of the recipients of one batch (two queries), and the
    rows the registered skip rules hold back (a withdrawn fellow, staff who left)."""

    def __init__(self, rows: list[Notification]):
        user_ids = {n.recipient_id for n in rows}
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
        if topic is None:
            return Delivery.IMMEDIATE
        return self.delivery.get((user_id, topic), Delivery.IMMEDIATE)

    def quiet_hours(self, user_id):
        found = self.settings.get(user_id) or NotificationSettings()
        return found.quiet_start, found.quiet_end


def decide(n: Notification, prefs: Preferences, now) -> Decision:
    """The rules of PRODUCT.md, in order. Pure: reads the row and the preferences only."""
    recipient = n.recipient
    kind = registry.kind(n.kind)
    if not recipient.is_active:
        return Decision("skip", "inactive")
    if n.pk in prefs.withheld:
        return Decision("skip", prefs.withheld[n.pk])
    if n.expires_at and now >= n.expires_at:
        return Decision("skip", "stale")
    if n.pk in prefs.kind_skips:
        return Decision("skip", prefs.kind_skips[n.pk])
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
        if in_quiet_hours(now, recipient.time_zone, start, end):
            until = end_of_quiet_hours(now, recipient.time_zone, start, end)
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
    for n in rows:
        try:
            _deliver_one(n, prefs, now, outcome)
        except Exception as exc:
            if count_failure(n.pk, exc):
                log.exception("Sending notification %s failed for the last time", n.pk)
                outcome.gave_up.append(n.pk)
            else:
                log.exception("Sending notification %s failed; it stays pending", n.pk)
                outcome.failed.append(n.pk)
    return outcome


def max_attempts() -> int:
    return max(1, getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


@transaction.atomic
def count_failure(pk: int, exc: BaseException) -> bool:
    """Counts one failed attempt; True when that was the last one (the row is now failed)."""
    limit = max_attempts()
    Notification.objects.filter(pk=pk, state=State.PENDING).update(
        attempts=F("attempts") + 1,
        last_error=type(exc).__name__[:100],
        # `attempts` here is the value before this UPDATE.
        state=Case(
            When(attempts__gte=limit - 1, then=Value(State.FAILED)),
            default=Value(State.PENDING),
        ),
    )
    return Notification.objects.filter(pk=pk, state=State.FAILED).exists()


def _claim(pk, **changes) -> bool:
    """Takes the row if it is still pending; False when another worker has it or had it."""
    if connection.features.has_select_for_update_skip_locked:
        free = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=State.PENDING)
            .values_list("pk", flat=True)
        )
        if not list(free):
            return False
    return Notification.objects.filter(pk=pk, state=State.PENDING).update(**changes) == 1


def _deliver_one(n: Notification, prefs: Preferences, now, outcome: Outcome) -> None:
    decision = decide(n, prefs, now)
    with transaction.atomic():
        if decision.action == "postpone":
            # Quiet hours hold the email only: the notice shows in the list from now on.
            shown = Coalesce(F("sent_at"), Value(now))
            if _claim(n.pk, due_at=decision.until, queued_at=None, sent_at=shown):
                outcome.postponed.append(n.pk)
            return
        if decision.action == "skip":
            if _claim(n.pk, state=State.SKIPPED, skip_reason=decision.reason):
                outcome.skipped.append(n.pk)
            return
        if decision.action == "hold":
            if _claim(n.pk, state=State.HELD, sent_at=now):
                outcome.held.append(n.pk)
            return
        if decision.action == "in_app":
            if _claim(n.pk, state=State.IN_APP, sent_at=now):
                outcome.in_app.append(n.pk)
            return
        if not _claim(n.pk, state=State.SENT, sent_at=Coalesce(F("sent_at"), Value(now))):
            outcome.taken.append(n.pk)
            return
        held = []
        if n.kind == DAILY_DIGEST.key:
            held = list(
                Notification.objects.filter(recipient_id=n.recipient_id, state=State.HELD)
                .order_by("due_at", "pk")
                .select_for_update()
            )
            if not held:
                Notification.objects.filter(pk=n.pk).update(
                    state=State.SKIPPED, skip_reason="nothing held"
                )
                outcome.skipped.append(n.pk)
                return
            Notification.objects.filter(pk__in=[h.pk for h in held]).update(
                state=State.DIGESTED, digest=n
            )
        # Sent inside the transaction: if this raises or the process dies, the row is
        # pending again (and the held rows are still held).
        build_email(n, now=now, held=held).send()
        outcome.sent.append(n.pk)
