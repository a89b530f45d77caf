"""The roles a person has anywhere in the site, for the navigation and the start page.

Roles are not a field on the user: they follow from relations that the product apps own.
So the question "is this person a coach anywhere?" is answered by the app that owns coach
profiles: each app registers, in its `AppConfig.ready()`, the rows whose existence gives a
navigation role (`register_navigation_role`). `viewer_roles` asks them all in one query, once
per request. Questions about one object (may this person read this cohort, this plan?) are
answered by the app that owns the data: `cohorts/roles.py`, `coaching/roles.py`,
`networks/roles.py` (see docs/ARCHITECTURE.md, "Roles").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from django.db.models import Exists, QuerySet

from .models import User


def is_site_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@dataclass(frozen=True)
class ViewerRoles:
    """What kinds of person the viewer is anywhere in the site: drives navigation and the
    start page, never object access (that is always checked against the object)."""

    admin: bool = False
    staff: bool = False
    coach: bool = False
    fellow: bool = False
    facilitator: bool = False

    @property
    def any(self) -> bool:
        return self.admin or self.staff or self.coach or self.fellow or self.facilitator


# role name -> a function of a user id giving the rows that make that user have the role.
_NAVIGATION_ROLES: dict[str, Callable[[int], QuerySet]] = {}
_REGISTRABLE = {f.name for f in fields(ViewerRoles)} - {"admin"}


def register_navigation_role(name: str, rows_for_user: Callable[[int], QuerySet]) -> None:
    """Called by the app that owns the data, e.g. coaching: a coach is someone with a coach
    profile, `lambda user_id: CoachProfile.objects.filter(user_id=user_id)`."""
    if name not in _REGISTRABLE:
        raise ValueError(f"{name!r} is not a navigation role ({sorted(_REGISTRABLE)}).")
    known = _NAVIGATION_ROLES.get(name)
    if known is not None and known is not rows_for_user:
        raise ValueError(f"The navigation role {name!r} is already answered by {known}.")
    _NAVIGATION_ROLES[name] = rows_for_user


def viewer_roles(user) -> ViewerRoles:
    """One query (none for anonymous visitors), kept on the user object for the request:
    the next request asks again, so a role given or taken shows at once."""
    if not user.is_authenticated:
        return ViewerRoles()
    cached = getattr(user, "_cw_roles", None)
    if cached is not None:
        return cached
    probes = {name: Exists(rows(user.pk)) for name, rows in _NAVIGATION_ROLES.items()}
    row = (User.objects.filter(pk=user.pk).values(**probes).first() if probes else None) or {}
    roles = ViewerRoles(admin=user.is_superuser, **{name: bool(row.get(name)) for name in probes})
    user._cw_roles = roles
    return roles
