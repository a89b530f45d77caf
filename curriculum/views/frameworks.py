"""The competency framework library: staff of any program read it; they edit frameworks that
only their own programs use (site admins edit all)."""

import json
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.csv_export import csv_download

from .. import selectors, services
from ..access import (
    get_competency_for_editor,
    get_domain_for_editor,
    get_framework_for_editor,
    get_framework_for_viewer,
    require_framework_library,
)
from ..forms import (
    CompetencyForm,
    DomainForm,
    FrameworkForm,
    FrameworkImportForm,
    FrameworkTextForm,
    ScaleForm,
)
from ..framework_text import CSV_COLUMNS, parse_csv, parse_outline, to_csv_rows, to_outline
from ..selectors import framework_domains, frameworks_list
from ..services import DEFAULT_SCALE
from ._util import form_page, posted, posted_files, save_form, save_then_redirect


@require_GET
def framework_list(request):
    require_framework_library(request.user)
    return render(request, "curriculum/framework_list.html", {"frameworks": frameworks_list()})


@require_http_methods(["GET", "POST"])
def framework_create(request):
    require_framework_library(request.user)
    form = FrameworkForm(posted(request))
    done = save_then_redirect(
        request,
        form,
        services.framework_create,
        success="Framework created with a five-level scale.",
        then=lambda framework: framework,
    )
    return done or form_page(request, form, "New competency framework")


@require_http_methods(["GET", "POST"])
def framework_import(request):
    require_framework_library(request.user)
    form = FrameworkImportForm(posted(request), posted_files(request))
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


@require_http_methods(["GET", "POST"])
def framework_from_text(request):
    """A whole framework from an outline or a CSV: a preview of domains, competencies and
    indicators, then one step that creates it all (or nothing)."""
    require_framework_library(request.user)
    form = FrameworkTextForm(posted(request), posted_files(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        text, kind = form.cleaned_data["text"], form.cleaned_data["format"]
        preview = save_form(
            form,
            lambda _: parse_csv(text) if kind == form.CSV else parse_outline(text),
            errors_at="file" if form.cleaned_data.get("file") else "text",
        )
        if preview is not None:
            preview["scale"] = [
                {"value": v, "label": label, "description": d} for v, label, d in DEFAULT_SCALE
            ]
            if form.cleaned_data["confirm"]:
                framework = save_form(
                    form,
                    lambda data: services.framework_import(
                        data=preview, name=data["name"], slug=data["slug"]
                    ),
                    errors_at="text",
                )
                if framework is None:
                    preview = None
                else:
                    messages.success(request, f"Created “{framework.name}”.")
                    return redirect(framework)
    return render(
        request,
        "curriculum/framework_from_text.html",
        {"form": form, "preview": preview, "text": form.data.get("text", "")},
    )


@require_GET
def framework_detail(request, code):
    framework, permissions = get_framework_for_viewer(request.user, code)
    cohorts, other_cohorts = selectors.framework_users(framework, request.user)
    return render(
        request,
        "curriculum/framework_detail.html",
        {
            "framework": framework,
            "can_edit": permissions.can_manage,
            "domains": framework_domains(framework),
            "levels": framework.levels.order_by("value"),
            "cohorts": cohorts,
            "other_cohorts": other_cohorts,
        },
    )


@require_http_methods(["GET", "POST"])
def framework_edit(request, code):
    framework = get_framework_for_editor(request.user, code)
    form = FrameworkForm(posted(request), instance=framework)
    done = save_then_redirect(
        request,
        form,
        partial(services.framework_update, framework=framework),
        success="Framework saved.",
        then=framework,
    )
    return done or form_page(request, form, f"Edit {framework.name}", back=framework)


@require_GET
def framework_export(request, code):
    framework, _ = get_framework_for_viewer(request.user, code)
    kind = request.GET.get("format", "json")
    if kind == "csv":
        return csv_download(
            f"{framework.slug}.csv",
            CSV_COLUMNS,
            to_csv_rows(selectors.framework_export(framework)),
            subject=str(framework),
        )
    if kind == "outline":
        response = HttpResponse(
            to_outline(selectors.framework_export(framework)),
            content_type="text/plain; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{framework.slug}.txt"'
        return response
    response = HttpResponse(
        json.dumps(selectors.framework_export(framework), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}.json"'
    return response


@require_http_methods(["GET", "POST"])
def scale_edit(request, code):
    framework = get_framework_for_editor(request.user, code)
    form = ScaleForm(posted(request), initial={"levels": ScaleForm.as_text(framework)})
    done = save_then_redirect(
        request,
        form,
        partial(services.scale_save, framework=framework),
        success="Scale saved.",
        then=framework,
        errors_at="levels",
    )
    return done or form_page(
        request, form, f"Proficiency scale of {framework.name}", back=framework
    )


@require_http_methods(["GET", "POST"])
def domain_create(request, code):
    framework = get_framework_for_editor(request.user, code)
    return _domain_page(request, framework, None, f"New domain in {framework.name}")


@require_http_methods(["GET", "POST"])
def domain_edit(request, code):
    domain = get_domain_for_editor(request.user, code)
    return _domain_page(request, domain.framework, domain, f"Edit domain “{domain.name}”")


def _domain_page(request, framework, domain, title):
    form = DomainForm(posted(request), instance=domain, framework=framework)
    done = save_then_redirect(
        request,
        form,
        partial(services.domain_save, framework=framework, domain=domain),
        success="Domain saved." if domain else "Domain added.",
        then=framework,
    )
    return done or form_page(request, form, title, back=framework)


@require_http_methods(["GET", "POST"])
def competency_create(request, code):
    domain = get_domain_for_editor(request.user, code)
    return _competency_page(request, domain, None, f"New competency in “{domain.name}”")


@require_http_methods(["GET", "POST"])
def competency_edit(request, code):
    competency = get_competency_for_editor(request.user, code)
    return _competency_page(request, competency.domain, competency, f"Edit “{competency.name}”")


def _competency_page(request, domain, competency, title):
    form = CompetencyForm(posted(request), instance=competency, domain=domain)
    done = save_then_redirect(
        request,
        form,
        partial(services.competency_save, domain=domain, competency=competency),
        success="Competency saved." if competency else "Competency added.",
        then=domain.framework,
    )
    return done or form_page(request, form, title, back=domain.framework)
