"""Announcements: the lists (mine, a cohort's, a program's), one announcement with its
attachment, sending one and withdrawing one not sent yet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.downloads import file_download
from accounts.form_helpers import apply_errors, posted, posted_files
from cohorts.terms import use_person_terms, use_program_terms

from . import access, selectors, services
from .forms import AnnouncementForm


def _list(request, announcements, *, title, can_manage, context=None):
    announcements = list(announcements)
    sizes = selectors.audience_sizes(announcements) if can_manage else {}
    for a in announcements:
        a.audience_size = sizes.get(a.pk)
    return render(
        request,
        "announcements/list.html",
        {
            "title": title,
            "announcements": announcements,
            "can_manage": can_manage,
            "can_announce": can_manage,
            "now": timezone.now(),
            **(context or {}),
        },
    )


@require_GET
def mine(request):
    now = timezone.now()
    return _list(
        request,
        selectors.visible(request.user, now)[:100],
        title="Announcements",
        can_manage=False,
        context={"can_announce": bool(selectors.audience_options(request.user))},
    )


@require_GET
def cohort_announcements(request, code):
    cohort, can_manage = access.get_cohort_for_viewer(request.user, code)
    return _list(
        request,
        selectors.for_cohort(request.user, cohort, timezone.now()),
        title=f"Announcements · {cohort.name}",
        can_manage=can_manage,
        context={"cohort": cohort, "program": cohort.program},
    )


@require_GET
def program_announcements(request, slug):
    program, can_manage = access.get_program_for_viewer(request.user, slug)
    return _list(
        request,
        selectors.for_program(request.user, program, timezone.now()),
        title=f"Announcements · {program.name}",
        can_manage=can_manage,
        context={"program": program},
    )


@require_GET
def detail(request, code):
    now = timezone.now()
    announcement, permissions = access.get_announcement_for_viewer(request.user, code, now)
    use_program_terms(request, announcement.program)
    services.announcement_mark_read(announcement=announcement, by=request.user, now=now)
    opened = size = None
    if permissions.sees_receipts:
        opened = announcement.reads.count()
        size = selectors.audience_sizes([announcement])[announcement.pk]
    return render(
        request,
        "announcements/detail.html",
        {
            "announcement": announcement,
            "access": permissions,
            "opened": opened,
            "audience_size": size,
            "is_scheduled": announcement.send_at > now,
        },
    )


@require_GET
def attachment(request, code):
    announcement, _permissions = access.get_announcement_for_viewer(
        request.user, code, timezone.now()
    )
    if not announcement.attachment:
        raise Http404("No attachment.")
    response = file_download(request, announcement.attachment)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def create(request):
    options = access.get_audience_options(request.user)
    # Each audience is named in its program's words; the rest of the page in the writer's.
    use_person_terms(request, request.user)
    initial = {}
    if request.GET.get("to") in {o.key for o in options}:
        initial["audience"] = request.GET["to"]
    form = AnnouncementForm(
        posted(request), posted_files(request), options=options, initial=initial
    )
    if form.is_valid():
        try:
            announcement = services.announcement_create(
                by=request.user, now=timezone.now(), **form.service_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if announcement.send_at > timezone.now():
                messages.success(request, "The announcement is scheduled.")
            else:
                messages.success(request, "The announcement is sent.")
            return redirect(announcement)
    return render(request, "announcements/form.html", {"form": form})


@require_POST
def withdraw(request, code):
    now = timezone.now()
    announcement, permissions = access.get_announcement_for_viewer(request.user, code, now)
    permissions.require("can_withdraw", "Only program staff and the author withdraw it.")
    program = announcement.program
    try:
        services.announcement_withdraw(announcement=announcement, by=request.user, now=now)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(announcement)
    messages.success(request, "The announcement is withdrawn; nobody was told.")
    return redirect("announcements:program", slug=program.slug)
