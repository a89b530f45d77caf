"""Talking to the mail server: one connection per batch, what a failure means, and the
outage state shared by every worker.

A failure is one of three things (`classify`):
- **permanent**: the server rejected this message for good (a 5xx reply to the recipient or
  the message). Trying again gives the same answer: the row is failed at once and staff see
  the server's reply (a bad address on the roster is worth fixing).
- **temporary**: a 4xx reply for this message. The row is tried again later, with backoff.
- **outage**: the server cannot be reached, hangs (EMAIL_TIMEOUT), drops the connection,
  answers 421 or refuses the login. Every message would fail the same way, so the batch stops
  after this one try: the outage is recorded in the cache, the rows wait, and only one probe
  goes to the server at a time, each later than the one before, until it answers again.
"""

from __future__ import annotations

import contextlib
import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection

PERMANENT = "permanent"
TEMPORARY = "temporary"
OUTAGE = "outage"

OUTAGE_KEY = "cohortwise:notifications:mail-outage"
PROBE_KEY = "cohortwise:notifications:mail-probe"


def _setting(name: str, default):
    return getattr(settings, name, default)


def backoff(failures: int) -> datetime.timedelta:
    """How long to wait after the n-th failure in a row: doubling, capped."""
    first = _setting("NOTIFICATIONS_RETRY_SECONDS", 60)
    cap = _setting("NOTIFICATIONS_RETRY_MAX_SECONDS", 600)
    seconds = min(cap, first * 2 ** max(0, min(failures, 20) - 1))
    return datetime.timedelta(seconds=seconds)


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return " ".join(str(value).split())


def _reply(code, message) -> str:
    return f"{code} {_text(message)}".strip()


@dataclass(frozen=True)
class Failure:
    kind: str  # PERMANENT, TEMPORARY or OUTAGE
    reason: str


def classify(exc: BaseException) -> Failure:
    """What a send's exception means. SMTP replies are kept (code and text: what staff need to
    fix an address); other exceptions only by class name."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        reason = "; ".join(_reply(code, message) for code, message in replies)
        if replies and all(code >= 500 for code, _ in replies):
            return Failure(PERMANENT, reason)
        if any(code == 421 for code, _ in replies):
            return Failure(OUTAGE, reason)
        return Failure(TEMPORARY, reason)
    if isinstance(exc, smtplib.SMTPDataError):
        reason = _reply(exc.smtp_code, exc.smtp_error)
        if exc.smtp_code == 421:
            return Failure(OUTAGE, reason)
        return Failure(PERMANENT if exc.smtp_code >= 500 else TEMPORARY, reason)
    if isinstance(exc, smtplib.SMTPResponseException):
        # The sender refused, the greeting or the login failed, 421 "closing": the server
        # would answer every message the same way.
        return Failure(OUTAGE, _reply(exc.smtp_code, exc.smtp_error))
    if isinstance(exc, TimeoutError):
        return Failure(OUTAGE, "TimeoutError: no answer within EMAIL_TIMEOUT")
    if isinstance(exc, OSError):  # refused, reset, unreachable, TLS, disconnected
        return Failure(OUTAGE, type(exc).__name__)
    return Failure(TEMPORARY, type(exc).__name__)


class Mailer:
    """One connection to the mail server for a whole batch, opened at its first email (with
    the SMTP backend, EMAIL_TIMEOUT bounds every step)."""

    def __init__(self):
        self.connection = None
        self.opened = 0

    def send(self, message) -> None:
        if self.connection is None:
            connection = get_connection()
            connection.open()
            self.connection = connection
            self.opened += 1
        message.connection = self.connection
        message.send()

    def drop(self) -> None:
        """Closes the connection (after an error it may be unusable); the next send opens one."""
        if self.connection is not None:
            # A broken connection may fail to close too.
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None


# --- The outage, shared by every worker through the cache -----------------------------------


def code_of(reason: str) -> str:
    """The reply code or exception class a reason starts with (for public status pages)."""
    return (reason.split() or [""])[0].rstrip(":;")[:40]


def outage() -> dict | None:
    """{"since", "until", "failures", "reason"} while the mail server is failing, else None."""
    return cache.get(OUTAGE_KEY)


def outage_recorded(reason: str, now: datetime.datetime) -> dict:
    current = outage() or {"since": now.isoformat(), "failures": 0}
    failures = current["failures"] + 1
    state = {
        "since": current["since"],
        "failures": failures,
        "reason": reason[:200],
        "until": (now + backoff(failures)).isoformat(),
    }
    cache.set(OUTAGE_KEY, state, timeout=None)
    cache.delete(PROBE_KEY)
    return state


def outage_over() -> None:
    if cache.get(OUTAGE_KEY) is not None:
        cache.delete(OUTAGE_KEY)
    cache.delete(PROBE_KEY)


def probe_not_used() -> None:
    """The row this worker meant to probe with was not sent after all (another worker had
    it): another may probe at once rather than after the probe's hold."""
    if cache.get(OUTAGE_KEY) is not None:
        cache.delete(PROBE_KEY)


def must_wait(now: datetime.datetime) -> bool:
    """True while the server is known to be failing and this worker may not probe it. Once
    the wait is over, the first worker to ask takes the probe (an expiring cache key, so a
    probe that dies frees it); the others keep waiting until it succeeds."""
    state = outage()
    if state is None:
        return False
    if now < datetime.datetime.fromisoformat(state["until"]):
        return True
    hold = int(_setting("EMAIL_TIMEOUT", 25) or 25) * 4
    return not cache.add(PROBE_KEY, now.isoformat(), timeout=hold)
