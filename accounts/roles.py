"""The roles a person has anywhere in the site, for the navigation and the start page.

Roles are not a field on the user: they follow from relations that the product apps own.
So the question "is this person a coach anywhere?" is answered by the app that owns coach
profiles: each app registers, in its `AppConfig.ready()`, the rows whose existence gives a
navigation role (`register_navigation_role`), and the figures the navigation shows (the
unread count: `register_navigation_count`). `viewer_roles` asks them all in one query, once
per request. Questions about one object (may this person read this cohort, this plan?) are
answered by the app that owns the data: `cohorts/roles.py`, `coaching/roles.py`,
`networks/roles.py` (see docs/ARCHITECTURE.md, "Roles").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields

from django.db import connection
from django.db.models import CharField, Exists, F, Func, IntegerField, QuerySet, Subquery

from .compiled import CompiledQuery
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
    # Not a navigation role: whether a program asks this person to use two-factor
    # authentication beyond the staff rule (accounts/mfa.py), asked in the same query.
    mfa_by_program: bool = False
    # Not a role either: the figures the navigation shows (e.g. "unread_notifications"),
    # each counted by the app that owns the rows, in the same query.
    counts: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def any(self) -> bool:
        return self.admin or self.staff or self.coach or self.fellow or self.facilitator

    @property
    def must_use_mfa(self) -> bool:
        """The site admin and program staff always; others where a program says so."""
        return self.admin or self.staff or self.mfa_by_program


# role name -> a function of a user id giving the rows that make that user have the role.
_NAVIGATION_ROLES: dict[str, Callable[[int], QuerySet]] = {}
_REGISTRABLE = {f.name for f in fields(ViewerRoles)} - {"admin", "mfa_by_program", "counts"}
# count name -> a function of a user id giving the rows to count (notifications: unread ones).
_NAVIGATION_COUNTS: dict[str, Callable[[int], QuerySet]] = {}
# Rows whose existence means a program asks the user to use two-factor authentication
# (coaching: coaches of a program with `coaches_need_mfa`).
_MFA_RULES: list[Callable[[int], QuerySet]] = []
# name -> a function of (request, the page's resolved URL or None) giving a
# `RequestProbe`, or None when the page needs nothing asked: per-page answers every page
# would otherwise ask in a query of its own (cohorts: the words of the page's program).
_REQUEST_PROBES: dict[str, Callable] = {}


@dataclass(frozen=True)
class RequestProbe:
    """One more column of the navigation's query, and what to do with its value.

    `build(**values)` gives the column's expression from the request's own inputs (`values`:
    ids, codes, slugs) and nothing else of the request; `shape` names whatever else decides
    the expression's form (e.g. "the URL names a program by its slug"). The query is compiled
    to SQL once per process and shape, then run with each request's values: building and
    compiling it cost more worker time than anything else a page does."""

    build: Callable[..., object]
    answer: Callable[[object, object], None]  # (request, value)
    values: Mapping[str, object] = field(default_factory=dict)
    shape: Hashable = None


def register_request_probe(name: str, probe: Callable) -> None:
    known = _REQUEST_PROBES.get(name)
    if known is not None and known is not probe:
        raise ValueError(f"The request probe {name!r} is already answered by {known}.")
    _REQUEST_PROBES[name] = probe


def register_mfa_rule(rows_for_user: Callable[[int], QuerySet]) -> None:
    if rows_for_user not in _MFA_RULES:
        _MFA_RULES.append(rows_for_user)


def register_navigation_role(name: str, rows_for_user: Callable[[int], QuerySet]) -> None:
    """Called by the app that owns the data, e.g. coaching: a coach is someone with a coach
    profile, `lambda user_id: CoachProfile.objects.filter(user_id=user_id)`."""
    if name not in _REGISTRABLE:
        raise ValueError(f"{name!r} is not a navigation role ({sorted(_REGISTRABLE)}).")
    known = _NAVIGATION_ROLES.get(name)
    if known is not None and known is not rows_for_user:
        raise ValueError(f"The navigation role {name!r} is already answered by {known}.")
    _NAVIGATION_ROLES[name] = rows_for_user


def register_navigation_count(name: str, rows_for_user: Callable[[int], QuerySet]) -> None:
    """Called by the app that owns the rows, e.g. notifications: the unread count is
    `lambda user_id: Notification.objects.filter(recipient_id=user_id).unread()`. Read it
    with `viewer_roles(user).counts[name]`."""
    known = _NAVIGATION_COUNTS.get(name)
    if known is not None and known is not rows_for_user:
        raise ValueError(f"The navigation count {name!r} is already answered by {known}.")
    _NAVIGATION_COUNTS[name] = rows_for_user


def count_of(rows: QuerySet) -> Subquery:
    """The number of `rows`, as a column of another query."""
    # COUNT as a plain function, not an aggregate: a scalar subquery with no GROUP BY.
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


class _JoinedIds(Func):
    """The ids of a subquery's rows as one "1,5,9" string (no GROUP BY: a scalar subquery)."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="GROUP_CONCAT(%(expressions)s, ',')")


def joined_values(rows: QuerySet, field: str = "pk") -> Subquery:
    """One column of `rows`' values as a "1,5,9" string, for a query asking it alongside
    others (a request probe, an annotation); read back with `parse_ids` or `split_values`."""
    joined = rows.order_by().annotate(ids=_JoinedIds(F(field))).values("ids")
    return Subquery(joined, output_field=CharField())


def split_values(value) -> list[str]:
    return [part for part in (value or "").split(",") if part]


def parse_ids(value) -> set[int]:
    return {int(part) for part in split_values(value)}


def known_viewer_roles(user) -> ViewerRoles | None:
    """The roles `viewer_roles` found for this user object in this request, if it was asked."""
    return getattr(user, "_cw_roles", None)


def viewer_roles(user, request=None, match=None) -> ViewerRoles:
    """One query (none for anonymous visitors), kept on the user object for the request:
    the next request asks again, so a role given or taken shows at once. Given the request
    (and its resolved URL), the same query also answers the registered request probes."""
    if not user.is_authenticated:
        return ViewerRoles()
    cached = getattr(user, "_cw_roles", None)
    if cached is not None:
        return cached
    asked: dict[str, RequestProbe] = {}
    if request is not None:
        for name, probe in _REQUEST_PROBES.items():
            found = probe(request, match)
            if found is not None:
                asked[f"probe_{name}"] = found
    values = {("", "user_id"): user.pk}
    for name, found in asked.items():
        values.update({(name, key): value for key, value in found.values.items()})
    row = _ROLES_QUERY.first(_query_shape(asked, values), values, _roles_query(asked))
    for name, found in asked.items():
        found.answer(request, row.get(name))
    roles = ViewerRoles(
        admin=user.is_superuser,
        mfa_by_program=any(row.get(f"mfa_{i}") for i in range(len(_MFA_RULES))),
        **{name: bool(row.get(name)) for name in _NAVIGATION_ROLES},
        counts={name: row.get(f"count_{name}") or 0 for name in _NAVIGATION_COUNTS},
    )
    user._cw_roles = roles
    return roles


def _query_shape(asked: Mapping[str, RequestProbe], values: Mapping) -> tuple:
    """Everything that decides the SQL of the navigation's query but its values."""
    return (
        connection.vendor,
        tuple(_NAVIGATION_ROLES.items()),
        tuple(_MFA_RULES),
        tuple(_NAVIGATION_COUNTS.items()),
        tuple(
            (name, _REQUEST_PROBES[name[len("probe_") :]], found.shape)
            for name, found in asked.items()
        ),
        tuple((key, type(value)) for key, value in values.items()),
    )


def _roles_query(asked: Mapping[str, RequestProbe]) -> Callable[[Mapping], QuerySet]:
    """The navigation's query for these probes, as a function of its values."""

    def build(values: Mapping) -> QuerySet:
        user_id = values[("", "user_id")]
        columns: dict[str, object] = {
            name: Exists(rows(user_id)) for name, rows in _NAVIGATION_ROLES.items()
        }
        columns.update({f"mfa_{i}": Exists(rows(user_id)) for i, rows in enumerate(_MFA_RULES)})
        columns.update(
            {f"count_{name}": count_of(rows(user_id)) for name, rows in _NAVIGATION_COUNTS.items()}
        )
        for name, found in asked.items():
            own = {key: values[(name, key)] for key in found.values}
            columns[name] = found.build(**own)
        return User.objects.filter(pk=user_id).values(**columns)

    return build


_ROLES_QUERY = CompiledQuery()
