"""Emails to raters, through the notification ledger: the invitation and at most two reminders.

Raters have no account, so their ledger rows are addressed to their email (`recipient_email`)
and are about their nomination, the purpose being the occurrence ("invitation", "reminder_1",
"reminder_2"): the ledger's unique key makes a second invitation or a third reminder
impossible, and the rows get the ledger's guarantees (claimed before the mail server is
contacted, tried again with backoff while it is down, one Message-ID per row, failed rows
shown to staff to send again).

Each email carries its own link. Its token is derived from the row's code with the site's
secret (as Django derives password-reset tokens), so every send of one row (a retry, a send
after a crash, staff sending it again) carries the same link, and the token is stored
nowhere: only its hash, in a `RaterLink` made when the email is first built. Every link of a
rater works until they answer or the window closes."""

from __future__ import annotations

import base64
import datetime
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from notifications.ledger import row

from .models import Nomination, NominationStatus, RaterEmailPurpose, RaterLink

MAX_TOKEN_LENGTH = 100
LINK_SALT = "feedback360.rater-link"
NOMINATION = "feedback360.nomination"


def nomination_for_token(token: str) -> Nomination | None:
    """The nomination a rater's link belongs to, or None for a tampered or unknown link."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = (
        RaterLink.objects.select_related(
            "nomination__circle__window__cohort__program",
            "nomination__circle__window__cohort__framework",
            "nomination__circle__enrollment__user",
        )
        .filter(token_hash=RaterLink.hash_token(token))
        .first()
    )
    return link.nomination if link else None


def rater_url(token: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("feedback360:rate", kwargs={"token": token})


def link_token(notification) -> str:
    """The token of the link in this ledger row's email: the same for every send of it."""
    digest = salted_hmac(LINK_SALT, str(notification.code), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


# --- Ledger rows -------------------------------------------------------------------------------


def _nominations(ids):
    return Nomination.objects.filter(pk__in=list(ids)).select_related(
        "circle__window__cohort", "circle__enrollment__user"
    )


def rater_row(nomination: Nomination, purpose: str, now):
    """The ledger row of one email to a rater (nomination loaded with its window's cohort and
    its fellow)."""
    from .notices import RATER_INVITATION, RATER_REMINDER

    circle = nomination.circle
    window = circle.window
    is_reminder = purpose != RaterEmailPurpose.INVITATION
    fellow = circle.enrollment.user
    return row(
        recipient_email=nomination.email,
        kind=(RATER_REMINDER if is_reminder else RATER_INVITATION).key,
        subject_type=NOMINATION,
        subject_id=nomination.pk,
        occurrence=str(purpose),
        due_at=now,
        expires_at=window.ends_at,
        # The fellow's enrollment: nothing goes once they withdraw, and their program's
        # staff see a failed email to their rater.
        enrollment_id=circle.enrollment_id,
        title=f"{'Reminder: ' if is_reminder else ''}{fellow.full_name} asks for your feedback",
        payload={
            "recipient_name": nomination.name,
            "purpose": str(purpose),
            # Quiet hours and dates of someone without an account: the cohort's zone.
            "time_zone": window.cohort.time_zone,
        },
    )


def invitation_rows(nomination_ids, now) -> list:
    """Invitations to these nominations (one query)."""
    return [rater_row(n, RaterEmailPurpose.INVITATION, now) for n in _nominations(nomination_ids)]


def invite(nomination_ids, now) -> int:
    """Writes the invitations and sends them once the surrounding transaction commits."""
    from notifications.hooks import notify

    return notify(invitation_rows(nomination_ids, now))


# --- Sending (the ledger calls these through the kinds of notices.py) ---------------------------


def still_wanted(rows) -> dict[int, str]:
    """Rater rows of a batch that must not go out any more (one query): the rater answered,
    the nomination is gone or no longer invited, or the window has closed (early, too)."""
    now = timezone.now()
    found = {n.pk: n for n in _nominations({r.subject_id for r in rows})}
    skips = {}
    for r in rows:
        n = found.get(r.subject_id)
        if n is None or n.status != NominationStatus.INVITED:
            skips[r.pk] = "withdrawn"
        elif n.answered_at is not None:
            skips[r.pk] = "answered"
        else:
            window = n.circle.window
            if not window.is_open_on(window.cohort.local_date(now)):
                skips[r.pk] = "window closed"
    return skips


def _link_for(notification, nomination, now) -> str:
    """The row's link, recorded (its hash) the first time its email is built."""
    token = link_token(notification)
    purpose = notification.occurrence
    token_hash = RaterLink.hash_token(token)
    link = RaterLink.objects.filter(nomination=nomination, purpose=purpose).first()
    if link is None:
        try:
            with transaction.atomic():
                RaterLink.objects.create(
                    nomination=nomination, purpose=purpose, token_hash=token_hash, sent_at=now
                )
        except IntegrityError:  # built by a concurrent send of the same row meanwhile
            pass
    elif link.token_hash != token_hash:
        # A link of this purpose issued before the ledger sent rater emails: this row's link
        # takes its place (the earlier email was never confirmed sent).
        RaterLink.objects.filter(pk=link.pk).update(token_hash=token_hash)
    return token


def rater_context(notification, now) -> dict:
    """What the rater's email shows (templates/feedback360/email/rater.*), with its link."""
    nomination = Nomination.objects.select_related(
        "circle__window__cohort__program", "circle__enrollment__user"
    ).get(pk=notification.subject_id)
    circle = nomination.circle
    window = circle.window
    cohort = window.cohort
    with timezone.override(cohort.time_zone):
        return {
            "nomination": nomination,
            "fellow": circle.enrollment.user,
            "program": cohort.program,
            "window": window,
            "is_reminder": notification.occurrence != RaterEmailPurpose.INVITATION,
            "url": rater_url(_link_for(notification, nomination, now)),
            "last_day": window.closes_on,
            "time_zone": cohort.time_zone,
        }


# --- Reminders (a scan of the notification sweep) ----------------------------------------------

# The first reminder a week after the invitation (or sooner when the window closes within
# five days); the second three days before it closes. Written in the cohort's working hours.
FIRST_REMINDER_AFTER = datetime.timedelta(days=7)
FIRST_REMINDER_CLOSING_DAYS = 5
MIN_GAP = datetime.timedelta(days=2)
SECOND_REMINDER_CLOSING_DAYS = 3
WORKING_HOURS = range(9, 18)
# Plain strings: they are compared with the ledger's occurrences in sets of tuples.
INVITATION = RaterEmailPurpose.INVITATION.value
REMINDER_1 = RaterEmailPurpose.REMINDER_1.value
REMINDER_2 = RaterEmailPurpose.REMINDER_2.value


def _sent_times(nomination_ids) -> tuple[dict, set]:
    """nomination id → {purpose: when its email went}, from the ledger (and from the links of
    emails sent before the ledger carried them); and the (nomination, purpose) pairs the
    ledger holds in any state. Two queries."""
    from notifications.models import Notification, State

    sent: dict[int, dict[str, datetime.datetime]] = {}
    recorded = set()
    for nomination_id, purpose, state, sent_at in Notification.objects.filter(
        subject_type=NOMINATION, subject_id__in=nomination_ids
    ).values_list("subject_id", "occurrence", "state", "sent_at"):
        recorded.add((nomination_id, purpose))
        if state == State.SENT and sent_at is not None:
            sent.setdefault(nomination_id, {})[purpose] = sent_at
    for nomination_id, purpose, sent_at in RaterLink.objects.filter(
        nomination_id__in=nomination_ids
    ).values_list("nomination_id", "purpose", "sent_at"):
        if (nomination_id, purpose) not in recorded:
            sent.setdefault(nomination_id, {})[purpose] = sent_at
            recorded.add((nomination_id, purpose))
    return sent, recorded


def due_emails(now) -> list[tuple[Nomination, str]]:
    """(nomination, purpose) of every rater email due now: reminders, and an invitation the
    ledger does not hold yet. Three queries, whatever the number of raters."""
    awaiting = list(
        Nomination.objects.filter(
            status=NominationStatus.INVITED,
            answered_at__isnull=True,
            circle__window__closed_at__isnull=True,
        ).select_related("circle__window__cohort", "circle__enrollment__user")
    )
    if not awaiting:
        return []
    sent, recorded = _sent_times([n.pk for n in awaiting])
    due = []
    for n in awaiting:
        window = n.circle.window
        local = timezone.localtime(now, timezone=zoneinfo.ZoneInfo(window.cohort.time_zone))
        today = local.date()
        if not window.is_open_on(today) or local.hour not in WORKING_HOURS:
            continue
        if (n.pk, INVITATION) not in recorded:
            due.append((n, INVITATION))
            continue
        emails = sent.get(n.pk, {})
        invited = emails.get(INVITATION)
        first = emails.get(REMINDER_1)
        days_left = (window.closes_on - today).days
        if invited is None or (n.pk, REMINDER_2) in recorded:
            continue  # the invitation has not gone yet, or both reminders are written
        if (n.pk, REMINDER_1) not in recorded:
            if now - invited >= FIRST_REMINDER_AFTER or (
                days_left <= FIRST_REMINDER_CLOSING_DAYS and now - invited >= MIN_GAP
            ):
                due.append((n, REMINDER_1))
        elif (
            first is not None
            and days_left <= SECOND_REMINDER_CLOSING_DAYS
            and now - first >= MIN_GAP
        ):
            due.append((n, REMINDER_2))
    return due


def scan(now) -> list:
    """The sweep's scan: ledger rows for the rater emails due now."""
    return [rater_row(n, purpose, now) for n, purpose in due_emails(now)]
