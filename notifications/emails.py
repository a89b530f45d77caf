"""Rendering a ledger row into an email: text and HTML parts from templates/email/ (or the
kind's own template), a link back to the page, and an .ics invitation for calendar events.
What a row says comes from its kind (registry.py), declared by the app that owns it."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import ical, registry
from .ledger import absolute
from .models import Notification
from .notices import DAILY_DIGEST

SUBJECT_PREFIX = "[Cohortwise] "


def describe(n: Notification, tz_name: str) -> dict:
    """Subject, opening sentence and detail lines of one notification, in the reader's zone."""
    text = registry.kind(n.kind).text(n, tz_name)
    return {"subject": text.subject, "intro": text.intro, "lines": text.lines}


def message_id(n: Notification) -> str:
    """The same for every send of one ledger row: a message sent again after a crash is
    recognised as the same message by servers and clients that de-duplicate."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] or "cohortwise.local"
    return f"<notification.{n.code}@{domain}>"


UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(n: Notification) -> str:
    """The secret of a one-click unsubscribe link: the row's code, signed (so only someone
    holding the email can use it)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(n.code))


def unsubscribe_headers(n: Notification) -> dict:
    """RFC 2369 / RFC 8058 one-click unsubscribe from this kind's topic (a kind without a
    topic, the daily digest, has none: it follows the person's other choices)."""
    if registry.kind(n.kind).topic is None or n.is_to_email:
        # No account to keep the choice on: an email-only row (a 360° rater) has none.
        return {}
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(n)})
    return {
        "List-Unsubscribe": f"<{settings.SITE_URL}{path}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def build_email(n: Notification, *, now, held=()) -> EmailMultiAlternatives:
    kind = registry.kind(n.kind)
    recipient = n.recipient  # None for a row addressed to an email
    tz_name = n.time_zone
    context = {
        # Someone without an account is greeted by the name the row carries, and has no
        # preferences page to be sent to.
        "recipient": recipient or {"display_name": n.to_name, "email": n.recipient_email},
        "notification": n,
        "url": absolute(n.url),
        "site_url": settings.SITE_URL,
        "preferences_url": (
            "" if n.is_to_email else f"{settings.SITE_URL}/notifications/preferences/"
        ),
        "time_zone": tz_name,
    }
    subject = n.title
    if kind.key == DAILY_DIGEST.key:
        template = "email/daily_digest"
        context["items"] = [{**describe(h, tz_name), "url": absolute(h.url)} for h in held]
        subject = f"Your Cohortwise digest: {len(held)} update{'s' if len(held) != 1 else ''}"
    elif kind.context is not None:
        template = kind.template
        context.update(kind.context(n, now))
    else:
        template = "email/notification"
        context.update(describe(n, tz_name))
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.to_address],
        headers={
            "X-Cohortwise-Notification": str(n.code),
            "Message-ID": message_id(n),
            **unsubscribe_headers(n),
        },
    )
    message.attach_alternative(html, "text/html")
    if kind.is_event:
        cancelled = kind.cancels_event
        data = ical.invitation(
            n.payload,
            url=absolute(n.url),
            attendee_email=n.to_address,
            attendee_name=recipient.display_name if recipient else n.to_name,
            now=now,
            cancelled=cancelled,
        )
        method = "CANCEL" if cancelled else "REQUEST"
        message.attach(
            "cancel.ics" if cancelled else "invite.ics",
            data.decode(),
            # Django adds the charset of a text part itself: naming it here declared it twice.
            f"text/calendar; method={method}",
        )
    return message
