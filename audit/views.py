import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.csv_export import csv_download

from . import actions
from .access import get_log_for_viewer
from .forms import LogFilterForm
from .selectors import entries_for, export_values

EXPORT_HEADER = [
    "When (UTC)",
    "What happened",
    "Action key",
    "Done by",
    "Done by (email)",
    "Program",
    "About",
    "About (type)",
    "About (id)",
    "Details",
    "IP address",
]


def _entries(request):
    access = get_log_for_viewer(request.user)
    form = LogFilterForm(request.GET or None, programs=access.programs)
    entries = entries_for(
        all_programs=access.all_programs, program_ids=list(access.programs), **form.filters()
    )
    return access, form, entries


@require_GET
def log(request):
    access, form, entries = _entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for entry in page:
        entry.label = actions.label(entry.action)
        entry.program_name = access.programs.get(entry.program_id, "")
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "access": access},
    )


@require_GET
def export(request):
    access, form, entries = _entries(request)
    programs = access.programs

    def rows():
        for (
            created_at,
            action,
            actor_name,
            actor_email,
            program_id,
            target_label,
            target_type,
            target_id,
            details,
            ip_address,
        ) in export_values(entries):
            yield [
                f"{created_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S}",
                actions.label(action),
                action,
                actor_name or "",
                actor_email or "",
                programs.get(program_id, program_id or ""),
                target_label,
                target_type,
                target_id,
                "; ".join(f"{key}: {value}" for key, value in details.items()),
                ip_address or "",
            ]

    stamp = f"{timezone.now():%Y-%m-%d}"
    program = form.filters().get("program_id") if form.is_bound else None
    return csv_download(
        f"audit-log-{stamp}.csv", EXPORT_HEADER, rows(), program=program, subject="Audit log"
    )
