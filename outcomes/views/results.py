"""Results on a plan: add, read, edit, the fellow's consent, staff verification, deletion
and the evidence file."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, posted_files, save_form

from .. import services
from ..access import get_plan_to_record, get_result_for_viewer
from ..forms import ConsentForm, ResultForm, VerifyForm


@require_http_methods(["GET", "POST"])
def result_add(request, code):
    plan, permissions = get_plan_to_record(request.user, code)
    form = ResultForm(
        posted(request), posted_files(request), plan=plan, ask_consent=permissions.is_owner
    )
    result = save_form(
        form,
        lambda _: services.result_create(plan=plan, by=request.user, **form.service_data()),
    )
    if result:
        messages.success(request, "The result is recorded. Thank you for telling it.")
        return redirect(result)
    return render(
        request,
        "outcomes/result_form.html",
        {"form": form, "plan": plan, "result": None, "access": permissions},
    )


@require_GET
def result_detail(request, code):
    result, permissions = get_result_for_viewer(request.user, code)
    return render(
        request,
        "outcomes/result_detail.html",
        {
            "result": result,
            "plan": result.plan,
            "access": permissions,
            "consent_form": ConsentForm(initial={"consent": result.consent})
            if permissions.can_consent
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def result_edit(request, code):
    result, permissions = get_result_for_viewer(request.user, code)
    permissions.require("can_record", "Only the fellow and program staff change results.")
    form = ResultForm(
        posted(request),
        posted_files(request),
        instance=result,
        plan=result.plan,
        ask_consent=permissions.is_owner,
    )
    saved = save_form(
        form,
        lambda _: services.result_update(result=result, by=request.user, **form.service_data()),
    )
    if saved:
        messages.success(request, "The result is saved.")
        return redirect(saved)
    return render(
        request,
        "outcomes/result_form.html",
        {"form": form, "plan": result.plan, "result": result, "access": permissions},
    )


@require_POST
def result_consent(request, code):
    result, permissions = get_result_for_viewer(request.user, code)
    permissions.require("can_consent", "Only the fellow decides who may see their result.")
    form = ConsentForm(request.POST)
    if save_form(
        form,
        lambda data: services.result_set_consent(
            result=result, by=request.user, consent=data["consent"]
        ),
    ):
        messages.success(request, f"Saved: {result.get_consent_display().lower()}.")
        return redirect(result)
    return render(
        request,
        "outcomes/result_detail.html",
        {"result": result, "plan": result.plan, "access": permissions, "consent_form": form},
        status=400,
    )


@require_POST
def result_verify(request, code):
    result, permissions = get_result_for_viewer(request.user, code)
    permissions.require("can_verify", "Only program staff verify results.")
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose verified or not verified.")
        return redirect(result)
    services.result_verify(result=result, by=request.user, verified=form.cleaned_data["verified"])
    messages.success(
        request, "Marked verified." if result.is_verified else "No longer marked verified."
    )
    return redirect(result)


@require_http_methods(["GET", "POST"])
def result_delete(request, code):
    result, permissions = get_result_for_viewer(request.user, code)
    permissions.require("can_record", "Only the fellow and program staff delete results.")
    if request.method == "POST":
        plan = result.plan
        services.result_delete(result=result, by=request.user)
        messages.success(request, "The result is deleted.")
        return redirect(plan)
    return render(request, "outcomes/result_delete.html", {"result": result, "plan": result.plan})


@require_GET
def evidence_download(request, code):
    """The evidence file, to those who see the result in full, as a download of the type
    checked when it was uploaded (never shown inline)."""
    result, permissions = get_result_for_viewer(request.user, code)
    if not permissions.can_read_all or not result.evidence_file:
        raise Http404("No evidence file.")
    try:
        handle = result.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404("The evidence file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=result.evidence_name or "evidence",
        content_type=result.evidence_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
