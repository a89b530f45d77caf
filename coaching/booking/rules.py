"""The booking rules, as plain functions (no queries), with the words fellows read.

* **Entitlement**: what a fellow has used (completed sessions, no-shows) plus what they have
  booked and not yet had (scheduled sessions) may not pass the program's entitlement: in
  *sessions*, one more session must fit; in *hours*, the new session's minutes must fit.
* **Horizon**: a slot starts no sooner than the coach's notice and no later than how far
  ahead they take bookings.
* **Cut-off**: a fellow moves or cancels a scheduled session until the program's
  `coaching_change_cutoff_hours` before it starts; after that, they ask their coach.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

NOT_OPEN = (
    "Your coach does not take bookings here yet. Write to them to agree on a time; they "
    "add the session to your calendar."
)
NO_COACH = "You have no coach at the moment, so there is nothing to book."
SLOT_GONE = "That time is no longer free: someone may have just booked it. Please pick another."


@dataclass(frozen=True)
class Usage:
    sessions: int  # used or booked
    minutes: int
    booked: int  # of which scheduled, not yet held


def _amount(program) -> Decimal:
    return Decimal(program.coaching_entitlement_amount)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def entitlement_refusal(program, usage: Usage, minutes: int) -> str:
    """Why one more session of `minutes` would pass the fellow's entitlement ("" if not)."""
    amount = _amount(program)
    if program.coaching_entitlement_unit == "hours":
        used = Decimal(usage.minutes) / 60
        if (Decimal(usage.minutes + minutes) / 60) <= amount:
            return ""
        left = max(amount - used, Decimal(0)).quantize(Decimal("0.1"))
        return (
            f"Your program gives you {_number(amount)} hours of coaching and "
            f"{_number(left)} {'hour is' if left == 1 else 'hours are'} left once the sessions "
            f"you have had or booked are counted, so a {minutes}-minute session does not fit. "
            "Ask your coach or program staff if you need more."
        )
    if usage.sessions + 1 <= amount:
        return ""
    return (
        f"You have had or booked all {_number(amount)} coaching sessions your program gives "
        "you, so you cannot book another. Ask your coach or program staff if you need more."
    )


def horizon(availability, now) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and last moments a booked session may start."""
    return (
        now + datetime.timedelta(hours=availability.min_notice_hours),
        now + datetime.timedelta(days=availability.max_days_ahead),
    )


def change_deadline(session, program) -> datetime.datetime:
    return session.starts_at - datetime.timedelta(hours=program.coaching_change_cutoff_hours)


def fellow_may_change(session, program, now) -> bool:
    """The fellow may still move or cancel this session themselves."""
    return session.status == "scheduled" and now < change_deadline(session, program)


def cutoff_refusal(program) -> str:
    hours = program.coaching_change_cutoff_hours
    return (
        f"Sessions can be moved or cancelled here until {hours} hour{'s' if hours != 1 else ''} "
        "before they start. Please write to your coach instead."
    )
