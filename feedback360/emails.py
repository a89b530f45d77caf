"""Emails to raters: the invitation and at most two reminders, each with its own link.

Raters have no account, so each email is recorded as a `RaterLink` row (one per nomination
and purpose: the unique key that makes a second send impossible). The row and the email are
made in one transaction, inside the Celery task: the token exists only in the email, only
its hash is stored, and if the mail server refuses, no row is kept and the next reminder
scan (or the task's retry) tries again. Every link of a rater works until they answer or
the window closes."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Nomination, NominationStatus, RaterEmailPurpose, RaterLink

MAX_TOKEN_LENGTH = 100


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
    return settings.SITE_URL + reverse("feedback360:rate", kwargs={"token": token})


def enqueue_invitations(nomination_ids: list[int]) -> None:
    """After the commit that invited them, one task per rater sends the invitation."""
    enqueue_emails([(pk, RaterEmailPurpose.INVITATION) for pk in nomination_ids])


def enqueue_emails(items: list[tuple[int, str]]) -> None:
    from .tasks import send_rater_email

    items = list(items)
    transaction.on_commit(
        lambda: [send_rater_email.delay(pk, str(purpose)) for pk, purpose in items]
    )


def rater_email_send(*, nomination_id: int, purpose: str, now=None) -> bool:
    """Sends one email with a new link. False when there is nothing to send: already sent
    for this purpose, answered, withdrawn, or the window has closed."""
    now = now or timezone.now()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("circle__window__cohort__program", "circle__enrollment__user")
            .filter(pk=nomination_id)
            .first()
        )
        if nomination is None or nomination.status != NominationStatus.INVITED:
            return False
        window = nomination.circle.window
        if nomination.answered_at or not window.is_open_on(window.cohort.local_date(now)):
            return False
        if RaterLink.objects.filter(nomination=nomination, purpose=purpose).exists():
            return False
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                RaterLink.objects.create(
                    nomination=nomination,
                    purpose=purpose,
                    token_hash=RaterLink.hash_token(token),
                    sent_at=now,
                )
        except IntegrityError:  # sent by a concurrent task meanwhile
            return False
        # Sent inside the transaction: if the mail server refuses, the link is not kept.
        _email(nomination, purpose, token).send()
    return True


def _email(nomination: Nomination, purpose: str, token: str) -> EmailMultiAlternatives:
    circle = nomination.circle
    window = circle.window
    cohort = window.cohort
    with timezone.override(cohort.time_zone):
        context = {
            "nomination": nomination,
            "fellow": circle.enrollment.user,
            "program": cohort.program,
            "window": window,
            "is_reminder": purpose != RaterEmailPurpose.INVITATION,
            "url": rater_url(token),
            "last_day": window.closes_on,
            "time_zone": cohort.time_zone,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("feedback360/email/rater_subject.txt", context)
        text = render_to_string("feedback360/email/rater.txt", context)
        html = render_to_string("feedback360/email/rater.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[nomination.email],
    )
    message.attach_alternative(html, "text/html")
    return message


# --- Reminders ---------------------------------------------------------------------------------

# The first reminder a week after the invitation (or sooner when the window closes within
# five days); the second three days before it closes. Sent in the cohort's working hours.
FIRST_REMINDER_AFTER = datetime.timedelta(days=7)
FIRST_REMINDER_CLOSING_DAYS = 5
MIN_GAP = datetime.timedelta(days=2)
SECOND_REMINDER_CLOSING_DAYS = 3
WORKING_HOURS = range(9, 18)
RESEND_FAILED_AFTER = datetime.timedelta(minutes=30)


def due_reminders(now) -> list[tuple[int, str]]:
    """(nomination id, purpose) of every email due now (reminders, and invitations whose
    send failed): two queries, whatever the number of raters."""
    awaiting = list(
        Nomination.objects.filter(
            status=NominationStatus.INVITED,
            answered_at__isnull=True,
            circle__window__closed_at__isnull=True,
        ).select_related("circle__window__cohort")
    )
    if not awaiting:
        return []
    sent: dict[int, dict[str, datetime.datetime]] = {}
    for nomination_id, purpose, sent_at in RaterLink.objects.filter(
        nomination_id__in=[n.pk for n in awaiting]
    ).values_list("nomination_id", "purpose", "sent_at"):
        sent.setdefault(nomination_id, {})[purpose] = sent_at
    due = []
    for n in awaiting:
        window = n.circle.window
        cohort = window.cohort
        local = timezone.localtime(now, timezone=_zone(cohort.time_zone))
        today = local.date()
        if not window.is_open_on(today) or local.hour not in WORKING_HOURS:
            continue
        links = sent.get(n.pk, {})
        invited = links.get(RaterEmailPurpose.INVITATION)
        first = links.get(RaterEmailPurpose.REMINDER_1)
        days_left = (window.closes_on - today).days
        if invited is None:
            # The invitation's send failed (no row was kept): catch up.
            if now - n.invited_at >= RESEND_FAILED_AFTER:
                due.append((n.pk, RaterEmailPurpose.INVITATION.value))
            continue
        if RaterEmailPurpose.REMINDER_2 in links:
            continue
        if first is None:
            if now - invited >= FIRST_REMINDER_AFTER or (
                days_left <= FIRST_REMINDER_CLOSING_DAYS and now - invited >= MIN_GAP
            ):
                due.append((n.pk, RaterEmailPurpose.REMINDER_1.value))
        elif days_left <= SECOND_REMINDER_CLOSING_DAYS and now - first >= MIN_GAP:
            due.append((n.pk, RaterEmailPurpose.REMINDER_2.value))
    return due


def _zone(name):
    import zoneinfo

    return zoneinfo.ZoneInfo(name)
