"""One-click answers in emails: signed (django.core.signing), single-use and expiring links.

A link carries who it was sent to, the form, the occasion, the first question and the value
clicked, and the moment the occasion closes. Nothing is stored when it is made: it is
single-use because following it records a `Receipt` (one per person, form and occasion), so
the second use finds the receipt and records nothing. After recording, the person is sent to
the rest of the form through a second signed link naming only the response.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

ONE_CLICK_SALT = "feedback.one-click"
CONTINUE_SALT = "feedback.continue"
# The rest of the form may be answered for this long after the one-click answer.
CONTINUE_HOURS = 24
MAX_TOKEN_LENGTH = 600


class LinkError(Exception):
    """Why a link records nothing: "tampered", "expired" or "used" (with a message)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class OneClick:
    person_id: int
    form_id: int
    occasion: str
    question_id: int
    value: str
    expires_at: datetime.datetime


def one_click_token(
    *, person_id: int, form_id: int, occasion: str, question_id: int, value, expires_at
) -> str:
    return signing.dumps(
        {
            "p": person_id,
            "f": form_id,
            "o": occasion,
            "q": question_id,
            "v": str(value),
            "x": int(expires_at.timestamp()),
        },
        salt=ONE_CLICK_SALT,
        compress=True,
    )


def one_click_url(**kwargs) -> str:
    token = one_click_token(**kwargs)
    return settings.SITE_URL + reverse("feedback:one_click", kwargs={"token": token})


def read_one_click(token: str, now: datetime.datetime) -> OneClick:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("tampered", "This link is not valid: it may have been cut or changed.")
    try:
        data = signing.loads(token, salt=ONE_CLICK_SALT)
        click = OneClick(
            person_id=int(data["p"]),
            form_id=int(data["f"]),
            occasion=str(data["o"]),
            question_id=int(data["q"]),
            value=str(data["v"]),
            expires_at=datetime.datetime.fromtimestamp(int(data["x"]), tz=datetime.UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError(
            "tampered", "This link is not valid: it may have been cut or changed."
        ) from None
    if now >= click.expires_at:
        raise LinkError("expired", "This link has expired: the evaluation is closed.")
    return click


def continue_token(response_id) -> str:
    return signing.dumps({"r": str(response_id)}, salt=CONTINUE_SALT)


def read_continue(token: str) -> str:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("tampered", "This link is not valid: it may have been cut or changed.")
    try:
        data = signing.loads(token, salt=CONTINUE_SALT, max_age=CONTINUE_HOURS * 3600)
        return str(data["r"])
    except signing.SignatureExpired:
        raise LinkError("expired", "This link has expired.") from None
    except (signing.BadSignature, KeyError, TypeError):
        raise LinkError(
            "tampered", "This link is not valid: it may have been cut or changed."
        ) from None
