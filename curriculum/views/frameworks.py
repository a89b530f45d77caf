"""The competency framework library: staff of any program read it; they edit frameworks that
only their own programs use (site admins edit all)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..access import (
    get_competency_for_editor,
    get_domain_for_editor,
    get_framework_for_editor,
    get_framework_for_viewer,
    require_framework_library,
)
from ..forms import CompetencyForm, DomainForm, FrameworkForm, FrameworkImportForm, ScaleForm
from ..selectors import framework_domains, frameworks_list
from ._util import apply_errors, posted_data, posted_files


@require_GET
def framework_list(request):
    require_framework_library(request.user)
    return render(request, "curriculum/framework_list.html", {"frameworks": frameworks_list()})


@require_http_methods(["GET", "POST"])
def framework_create(request):
    require_framework_library(request.user)
    form = FrameworkForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Framework created with a five-level scale.")
            return redirect(framework)
    return render(
        request, "curriculum/form.html", {"form": form, "title": "New competency framework"}
    )


@require_http_methods(["GET", "POST"])
def framework_import(request):
    require_framework_library(request.user)
    form = FrameworkImportForm(posted_data(request), posted_files(request))
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_import(
                data=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Imported “{framework.name}”.")
            return redirect(framework)
    return render(
        request, "curriculum/framework_import.html", {"form": form, "import_errors": errors}
    )


@require_GET
def framework_detail(request, code):
    framework, can_edit = get_framework_for_viewer(request.user, code)
    return render(
        request,
        "curriculum/framework_detail.html",
        {
            "framework": framework,
            "can_edit": can_edit,
            "domains": framework_domains(framework),
            "levels": framework.levels.order_by("value"),
            "cohorts": framework.cohorts.select_related("program"),
        },
    )


@require_http_methods(["GET", "POST"])
def framework_edit(request, code):
    framework = get_framework_for_editor(request.user, code)
    form = FrameworkForm(posted_data(request), instance=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update(framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Framework saved.")
            return redirect(framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Edit {framework.name}", "back": framework},
    )


@require_GET
def framework_export(request, code):
    framework, _ = get_framework_for_viewer(request.user, code)
    response = HttpResponse(
        json.dumps(selectors.framework_export(framework), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}.json"'
    return response


@require_http_methods(["GET", "POST"])
def scale_edit(request, code):
    framework = get_framework_for_editor(request.user, code)
    current = "\n".join(
        f"{lvl.label} — {lvl.description}" if lvl.description else lvl.label
        for lvl in framework.levels.order_by("value")
    )
    form = ScaleForm(posted_data(request), initial={"levels": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_save(framework=framework, levels=form.cleaned_data["levels"])
        except ValidationError as exc:
            form.add_error("levels", exc)
        else:
            messages.success(request, "Scale saved.")
            return redirect(framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Proficiency scale of {framework.name}", "back": framework},
    )


@require_http_methods(["GET", "POST"])
def domain_create(request, code):
    framework = get_framework_for_editor(request.user, code)
    form = DomainForm(posted_data(request), initial={"order": framework.domains.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_save(framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Domain added.")
            return redirect(framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"New domain in {framework.name}", "back": framework},
    )


@require_http_methods(["GET", "POST"])
def domain_edit(request, code):
    domain = get_domain_for_editor(request.user, code)
    form = DomainForm(
        posted_data(request),
        initial={"name": domain.name, "description": domain.description, "order": domain.order},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_save(framework=domain.framework, domain=domain, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Domain saved.")
            return redirect(domain.framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Edit domain “{domain.name}”", "back": domain.framework},
    )


@require_http_methods(["GET", "POST"])
def competency_create(request, code):
    domain = get_domain_for_editor(request.user, code)
    form = CompetencyForm(posted_data(request), initial={"order": domain.competencies.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_save(domain=domain, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Competency added.")
            return redirect(domain.framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"New competency in “{domain.name}”", "back": domain.framework},
    )


@require_http_methods(["GET", "POST"])
def competency_edit(request, code):
    competency = get_competency_for_editor(request.user, code)
    framework = competency.domain.framework
    form = CompetencyForm(
        posted_data(request),
        initial={
            "name": competency.name,
            "description": competency.description,
            "order": competency.order,
            "indicators": "\n".join(i.text for i in competency.indicators.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_save(
                domain=competency.domain, competency=competency, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Competency saved.")
            return redirect(framework)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Edit “{competency.name}”", "back": framework},
    )
