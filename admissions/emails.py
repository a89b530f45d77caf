"""The referee's email. Referees have no account, so they are not in the notification
ledger; like 360° raters (feedback360/emails.py) the token is made inside the task, only its
hash is stored, and the link exists only in the email."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import LETTER_GRACE, ReferenceRequest

MAX_TOKEN_LENGTH = 100


def reference_for_token(token: str) -> ReferenceRequest | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        ReferenceRequest.objects.select_related(
            "application__applicant", "application__round__cohort__program"
        )
        .filter(token_hash=ReferenceRequest.hash_token(token))
        .first()
    )


def letter_url(token: str) -> str:
    return settings.SITE_URL + reverse("admissions:letter", kwargs={"token": token})


def enqueue_request(reference_id: int) -> None:
    from .tasks import send_reference_request

    transaction.on_commit(lambda: send_reference_request.delay(reference_id))


def reference_request_send(*, reference_id: int, now=None) -> str | None:
    """Sends the referee a new link (an earlier one stops working). Returns the token, or
    None when there is nothing to send (the letter arrived, or the request was removed)."""
    now = now or timezone.now()
    with transaction.atomic():
        reference = (
            ReferenceRequest.objects.select_for_update(of=("self",))
            .select_related("application__applicant", "application__round__cohort")
            .filter(pk=reference_id)
            .first()
        )
        if reference is None or reference.has_arrived:
            return None
        token = secrets.token_urlsafe(32)
        reference.token_hash = ReferenceRequest.hash_token(token)
        reference.sent_at = now
        reference.expires_at = reference.application.round.deadline + LETTER_GRACE
        reference.save(update_fields=["token_hash", "sent_at", "expires_at", "updated_at"])
        context = {
            "reference": reference,
            "applicant": reference.application.applicant,
            "round": reference.application.round,
            "url": letter_url(token),
        }
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}A letter of reference for "
            f"{reference.application.applicant.full_name}",
            body=render_to_string("admissions/email/reference_request.txt", context),
            to=[reference.email],
        )
        message.attach_alternative(
            render_to_string("admissions/email/reference_request.html", context), "text/html"
        )
        message.send()
    return token
