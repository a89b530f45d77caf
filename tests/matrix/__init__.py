"""The project-wide permission matrix.

Each app has a module here (`tests/matrix/<app>.py`) with a list `CASES`. A Case names a URL
pattern, how to build its arguments from the cast, and the status each role gets. Roles not
listed get `default`. `tests/test_permission_matrix.py` walks every case for every role and
fails when any URL pattern of the project is missing from the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from ..personas import ROLES

LOGIN = "login"  # expected for anonymous visitors: a redirect to the login page


@dataclass
class Case:
    name: str  # "namespace:url_name"
    expect: dict[str, int | str]
    kwargs: Callable[[object], dict] = field(default=lambda cast: {})
    method: str = "get"
    data: Callable[[object], dict] | None = None
    default: int | str = 404
    label: str = ""  # tells apart two cases of one URL (e.g. GET and POST)
    setup: Callable[[object], None] | None = None  # extra objects the URL needs

    def status_for(self, role: str):
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return LOGIN
        return self.default

    def url(self, cast) -> str:
        return reverse(self.name, kwargs=self.kwargs(cast))

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'[' + self.label + ']' if self.label else ''}"


def all_roles(status, **overrides):
    """`all_roles(200, anonymous=LOGIN)`: the same status for every role but the overrides."""
    table = dict.fromkeys(ROLES, status)
    table.update(overrides)
    return table
