"""What /health/ reports besides the database and the worker heartbeat: apps above accounts
add a section of their own here (notifications: how many wait to be sent and why), without
accounts importing them. Each check returns something JSON can carry, and must be cheap (a
load balancer calls the page often) and never include anyone's personal data (it is public).
"""

from __future__ import annotations

from collections.abc import Callable

_CHECKS: dict[str, Callable[[], dict]] = {}


def register(name: str, check: Callable[[], dict]) -> None:
    _CHECKS[name] = check


def sections() -> dict[str, dict]:
    return {name: check() for name, check in _CHECKS.items()}
