from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry


def entries_for(
    *,
    all_programs: bool,
    program_ids: Iterable[int],
    program_id: int | None = None,
    action: str = "",
    actor_email: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries a viewer may read, filtered, with the actor joined. Staff read entries
    tied to their programs; the site admin also reads those tied to none (sign-ins, the
    admin site)."""
    entries = AuditEntry.objects.select_related("actor")
    if not all_programs:
        entries = entries.in_programs(program_ids)
    if program_id is not None:
        entries = entries.filter(program_id=program_id)
    if action:
        entries = entries.filter(action=action)
    if actor_email:
        entries = entries.filter(actor__email__iexact=actor_email.strip())
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


EXPORT_COLUMNS = (
    "created_at",
    "action",
    "actor__full_name",
    "actor__email",
    "program_id",
    "target_label",
    "target_type",
    "target_id",
    "details",
    "ip_address",
)


def export_values(entries: QuerySet[AuditEntry]) -> Iterator[tuple[Any, ...]]:
    """The export's columns of `entries` as plain values through one cursor, newest first:
    no model instances, one query however many entries (the log grows without end)."""
    rows = entries.order_by("-created_at", "-id").values_list(*EXPORT_COLUMNS)
    return rows.iterator(chunk_size=2000)
