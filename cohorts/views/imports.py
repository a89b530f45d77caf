"""Roster CSV import: upload → dry run (row by row) → import all valid rows, or nothing."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, posted_files, save_form

from ..access import get_cohort_for_staff, get_roster_import_for_staff
from ..forms import RosterUploadForm
from ..geography import StateOrTerritory
from ..models import Sector
from ..roster_import import (
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    ImportChanged,
    ImportFileError,
    plan_import,
    read_upload,
    roster_import_apply,
    roster_import_upload,
    template_csv,
)
from ..selectors import not_yet_invited


@require_http_methods(["GET", "POST"])
def roster_import(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = RosterUploadForm(posted(request), posted_files(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = read_upload(upload)
            plan_import(cohort, text)  # whole-file problems are told now, not kept
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            roster_import = save_form(
                form,
                lambda data: roster_import_upload(
                    cohort=cohort,
                    by=request.user,
                    filename=upload.name,
                    text=text,
                    as_alumni=data.get("as_alumni", False),
                ),
            )
            if roster_import is not None:
                return redirect(roster_import)
    return render(
        request,
        "cohorts/roster_import.html",
        {
            "cohort": cohort,
            "form": form,
            "columns": TEMPLATE_COLUMNS,
            "required": REQUIRED_COLUMNS,
            "states": StateOrTerritory.choices,
            "sectors": Sector.choices,
        },
    )


@require_GET
def roster_import_template(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    filename = f"roster-template-{cohort.program.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def roster_import_preview(request, code):
    """The dry run: what importing would do, row by row. Nothing is written."""
    roster_import = get_roster_import_for_staff(request.user, code)
    cohort = roster_import.cohort
    if roster_import.applied_at:
        return render(
            request,
            "cohorts/roster_import_done.html",
            {
                "cohort": cohort,
                "roster_import": roster_import,
                "waiting": not_yet_invited(cohort).count(),
            },
        )
    try:
        plan = plan_import(cohort, roster_import.content)
    except ImportFileError as exc:  # only if the rules changed since the upload
        messages.error(request, str(exc))
        return redirect("cohorts:roster_import", code=cohort.code)
    return render(
        request,
        "cohorts/roster_import_preview.html",
        {"cohort": cohort, "roster_import": roster_import, "plan": plan},
    )


@require_POST
def roster_import_apply_view(request, code):
    roster_import = get_roster_import_for_staff(request.user, code)
    try:
        plan = roster_import_apply(
            roster_import=roster_import, by=request.user, digest=request.POST.get("digest", "")
        )
    except ImportChanged as exc:
        messages.warning(request, f"{exc} Nothing was imported; check the dry run again.")
        return redirect(roster_import)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:roster_import", code=roster_import.cohort.code)
    created, updated = len(plan.to_create), len(plan.to_update)
    messages.success(
        request,
        f"Imported: {created} fellow{pluralize(created)} added, {updated} updated.",
    )
    return redirect(roster_import)
