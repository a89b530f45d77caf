"""Writing to the audit log, and the retention purge: the only deletion it ever sees.

`record(action=..., by=..., target=..., program=..., details=...)` is called by the service
that does the action, inside its transaction, so an action that rolls back leaves no entry
and an entry never claims what did not happen. Details are short facts (a role, a count, a
file name), never a coaching note, a plan's text or anything else confidential.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User

from .models import AuditEntry

TARGET_LABEL_LENGTH = 200
# Created by migration 0003; the purge drops and re-creates it in its transaction.
SQLITE_DELETE_TRIGGER = "audit_entry_no_delete"


def _current_request() -> HttpRequest | None:
    # allauth's middleware keeps the request of this thread; outside a request (a task, a
    # command) there is none and the entry has no address.
    from allauth.core import context

    return context.request


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the proxy that settings.SECURE_PROXY_SSL_HEADER trusts, the client is the
    # first X-Forwarded-For address; locally REMOTE_ADDR.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return address or None


def _program_id(program: Model | int | None) -> int | None:
    if program is None:
        return None
    return program if isinstance(program, int) else program.pk


def _actor(by: User | None, request: HttpRequest | None) -> User | None:
    if by is not None:
        return by if getattr(by, "pk", None) else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(
    *,
    action: str,
    by: User | None = None,
    target: Model | None = None,
    program: Model | int | None = None,
    details: dict | None = None,
    request: HttpRequest | None = None,
    target_label: str = "",
) -> AuditEntry:
    """Writes one entry. `by` defaults to the signed-in user of the current request;
    `target` is any model instance (its type, `code` or pk and str() are kept)."""
    request = request if request is not None else _current_request()
    entry = AuditEntry(
        action=action,
        actor=_actor(by, request),
        program_id=_program_id(program),
        details=details or {},
        ip_address=_client_ip(request),
    )
    if target is not None:
        meta = target._meta
        entry.target_type = f"{meta.app_label}.{meta.model_name}"
        entry.target_id = str(getattr(target, "code", None) or target.pk)
        entry.target_label = (target_label or str(target))[:TARGET_LABEL_LENGTH]
    elif target_label:
        entry.target_label = target_label[:TARGET_LABEL_LENGTH]
    entry.save()
    return entry


@contextmanager
def deletes_allowed() -> Iterator[None]:
    """Lets DELETE through the append-only triggers for the rest of the `with` block, inside
    the caller's transaction: on PostgreSQL the trigger of migration 0002 lets it through
    while `cohortwise.audit_purge` is set; on SQLite the trigger of migration 0003 is dropped
    and created again, so no other connection ever sees the table without it."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("deletes_allowed() needs a transaction")
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL cohortwise.audit_purge = 'on'")
        elif connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("RESET cohortwise.audit_purge")
            elif connection.vendor == "sqlite":
                cursor.execute(
                    f"CREATE TRIGGER {SQLITE_DELETE_TRIGGER} BEFORE DELETE ON {table} BEGIN "
                    "SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)'); END"
                )


@transaction.atomic
def entries_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Deletes entries older than settings.AUDIT_RETENTION_DAYS, in SQL (the model and the
    queryset refuse deletion)."""
    days = settings.AUDIT_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with deletes_allowed(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE created_at < %s", [cutoff])  # noqa: S608
        return cursor.rowcount
