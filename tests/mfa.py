"""Signing a test client in as if it had used its second factor (accounts/mfa.py).

`client_for` does this for every persona, so tests of other features reach their pages;
tests of the two-factor rule itself sign in with `force_login` alone, or through the real
login form with a TOTP code (`totp_code`)."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def mark_mfa_done(client, user=None) -> None:
    """The session of a force_login'ed client, as allauth leaves it after a TOTP check."""
    session = client.session
    user_id = user.pk if user is not None else session["_auth_user_id"]
    records = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user_id)
    session.save()


def give_totp(user, secret: str = SECRET) -> Authenticator:
    return TOTP.activate(user, secret).instance


# A code is good in its 30-second window only: one taken in the window's last seconds can
# reach the server in the next one on a busy machine, so wait for a fresh window instead.
FRESH_WINDOW_MARGIN = 4


def totp_code(secret: str = SECRET) -> str:
    left = 30 - time.time() % 30
    if left < FRESH_WINDOW_MARGIN:
        time.sleep(left + 0.05)
    counter = int(time.time()) // 30
    return f"{hotp_value(secret, counter):06d}"


__all__ = ["SECRET", "generate_totp_secret", "give_totp", "mark_mfa_done", "totp_code"]
