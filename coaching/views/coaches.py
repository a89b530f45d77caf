"""Coach pages: a coach's own start page and sessions, coach profiles, and a program's
coaches for its staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from cohorts.access import get_program_for_staff
from cohorts.terms import use_person_terms

from .. import selectors, services
from ..access import (
    get_coach_profile_for_viewer,
    get_coach_profile_in_program,
    get_own_coach_profile,
)
from ..forms import AddCoachForm, CoachProfileForm
from ..models import SessionStatus


@require_GET
def coach_home(request):
    now = timezone.now()
    month = selectors.coach_month(request.user, now)
    if month is None:
        raise Http404("You are not a coach here.")
    return render(
        request,
        "coaching/coach_home.html",
        {
            "month": month,
            "fellows": selectors.coach_fellows(request.user, now),
            "to_log": selectors.sessions_to_log(request.user, now),
            "upcoming": selectors.upcoming_sessions_for_coach(request.user, now),
        },
    )


@require_GET
def coach_session_list(request):
    get_own_coach_profile(request.user)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    return render(
        request,
        "coaching/session_list.html",
        {
            "sessions": selectors.coach_sessions(request.user, query=query, status=status),
            "query": query,
            "status": status,
            "statuses": SessionStatus.choices,
        },
    )


@require_GET
def coach_detail(request, code):
    profile = get_coach_profile_for_viewer(request.user, code)
    profile = selectors.coach_profile_detail(profile)
    use_person_terms(request, profile.user)  # the coach's programs, not the viewer's
    return render(
        request,
        "coaching/coach_detail.html",
        {
            "profile": profile,
            "is_self": profile.user_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def coach_edit(request, code):
    profile = get_coach_profile_for_viewer(request.user, code)
    form = CoachProfileForm(posted(request), instance=profile)
    use_person_terms(request, profile.user).speak_form(form)
    if save_form(
        form,
        lambda data: services.coach_profile_update(
            profile=profile,
            data={k: v for k, v in data.items() if k != "expertise"},
            expertise=data["expertise"],
        ),
    ):
        messages.success(request, "The coach profile is saved.")
        return redirect(profile.get_absolute_url())
    return render(request, "coaching/coach_edit.html", {"profile": profile, "form": form})


def _coach_list(request, program, form, status=200):
    return render(
        request,
        "coaching/coach_list.html",
        {"program": program, "profiles": selectors.program_coaches(program), "form": form},
        status=status,
    )


@require_GET
def coach_list(request, slug):
    program = get_program_for_staff(request.user, slug)
    return _coach_list(request, program, AddCoachForm())


@require_POST
def coach_program_add(request, slug):
    program = get_program_for_staff(request.user, slug)
    form = AddCoachForm(request.POST)
    if save_form(form, lambda _: services.coach_program_add(profile=form.profile, program=program)):
        messages.success(request, f"{form.profile.user} now coaches for {program}.")
        return redirect("coaching:coach_list", slug=program.slug)
    return _coach_list(request, program, form)


@require_POST
def coach_program_remove(request, slug, code):
    program = get_program_for_staff(request.user, slug)
    profile = get_coach_profile_in_program(program, code)
    try:
        services.coach_program_remove(profile=profile, program=program)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{profile.user} no longer coaches for {program}.")
    return redirect("coaching:coach_list", slug=program.slug)
