"""Coaching pages. Every view calls an access helper first (coaching/access.py), then a
form, selector or service. Views that handle private notes mark them sensitive so error
reports never carry them."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.csv_export import csv_download
from cohorts.access import get_cohort_for_staff, get_cohort_for_viewer, get_program_for_staff
from cohorts.models import Enrollment

from . import selectors, services
from .access import (
    get_assignment_for_staff,
    get_coach_profile_for_viewer,
    get_coach_profile_in_program,
    get_enrollment_for_coaching,
    get_own_coach_profile,
    get_session_for_author,
    get_session_for_fellow,
    get_session_for_viewer,
)
from .forms import (
    AddCoachForm,
    AssignForm,
    CoachProfileForm,
    EndAssignmentForm,
    PreferencesForm,
    ReflectionForm,
    RescheduleForm,
    SessionForm,
)
from .models import CoachingPreferences, CoachProfile, SessionStatus


def _apply_errors(form, exc: ValidationError):
    """Puts a service's ValidationError next to the fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Coach pages --------------------------------------------------------------------------


@require_GET
def coach_home(request):
    profile = get_own_coach_profile(request.user)
    now = timezone.now()
    return render(
        request,
        "coaching/coach_home.html",
        {
            "profile": profile,
            "fellows": selectors.coach_fellows(request.user, now),
            "to_log": selectors.sessions_to_log(request.user, now),
            "upcoming": selectors.upcoming_sessions_for_coach(request.user, now),
            "hours_this_month": selectors.hours_this_month(request.user, now),
            "month_start": selectors.month_bounds(now)[0],
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
    profile = (
        CoachProfile.objects.select_related("user")
        .prefetch_related("expertise__domain", "programs")
        .get(pk=profile.pk)
    )
    return render(
        request,
        "coaching/coach_detail.html",
        {
            "profile": profile,
            "active_count": profile.user.coach_assignments.active().count(),
            "is_self": profile.user_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def coach_edit(request, code):
    profile = get_coach_profile_for_viewer(request.user, code)
    form = CoachProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expertise"}
        try:
            services.coach_profile_update(
                profile=profile, data=data, expertise=form.cleaned_data["expertise"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
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
    if form.is_valid():
        try:
            services.coach_program_add(profile=form.profile, program=program)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
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


# --- A fellow's coaching ------------------------------------------------------------------


@require_GET
def enrollment_coaching(request, code):
    access = get_enrollment_for_coaching(request.user, code)
    enrollment = selectors.enrollment_with_stats(access.enrollment.pk)
    return render(
        request,
        "coaching/enrollment_coaching.html",
        {
            "access": access,
            "enrollment": enrollment,
            "entitlement": enrollment.entitlement,
            "sessions": selectors.sessions_of_enrollment(enrollment),
            "history": list(selectors.assignment_history(enrollment)),
            "burndown": selectors.enrollment_burndown(enrollment),
        },
    )


@require_http_methods(["GET", "POST"])
def assign_coach(request, code):
    access = get_enrollment_for_coaching(request.user, code)
    if not access.staff:
        raise PermissionDenied("Only program staff assign coaches.")
    enrollment = access.enrollment
    matches = selectors.coach_matches(enrollment)
    current = enrollment.coach_assignments.active().select_related("coach").first()
    form = AssignForm(request.POST or None, matches=matches)
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_assign(
                enrollment=enrollment,
                coach=form.cleaned_data["coach"],
                assigned_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['coach']} now coaches {enrollment.user}."
            )
            return redirect("coaching:enrollment_coaching", code=enrollment.code)
    return render(
        request,
        "coaching/assign.html",
        {"enrollment": enrollment, "matches": matches, "current": current, "form": form},
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request, code):
    assignment = get_assignment_for_staff(request.user, code)
    enrollment = assignment.enrollment
    if not assignment.is_active:
        messages.info(request, "This assignment has already ended.")
        return redirect("coaching:enrollment_coaching", code=enrollment.code)
    form = EndAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_assignment_end(assignment=assignment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{assignment.coach} no longer coaches {enrollment.user}.")
            return redirect("coaching:no_coach", code=enrollment.cohort.code)
    return render(
        request,
        "coaching/assignment_end.html",
        {"assignment": assignment, "enrollment": enrollment, "form": form},
    )


@sensitive_post_parameters("private_note")
@sensitive_variables()  # every frame below: notes may sit in any of them
@require_http_methods(["GET", "POST"])
def session_create(request, code):
    access = get_enrollment_for_coaching(request.user, code)
    if not access.coach:
        raise PermissionDenied("Only the fellow's coach adds coaching sessions.")
    enrollment = access.enrollment
    form = SessionForm(request.POST or None, cohort=enrollment.cohort)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        competencies = data.pop("competencies")
        private_note = data.pop("private_note")
        try:
            session = services.coaching_session_create(
                enrollment=enrollment,
                coach=request.user,
                data=data,
                competencies=competencies,
                private_note=private_note,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The session is saved.")
            return redirect(session.get_absolute_url())
    return render(request, "coaching/session_form.html", {"enrollment": enrollment, "form": form})


@require_http_methods(["GET", "POST"])
def preferences(request, code):
    access = get_enrollment_for_coaching(request.user, code)
    if not access.fellow:
        raise PermissionDenied("Only the fellow sets their coaching preferences.")
    enrollment = access.enrollment
    prefs = CoachingPreferences.objects.filter(enrollment=enrollment).first()
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.coaching_preferences_update(
            enrollment=enrollment,
            share_summaries_with_staff=form.cleaned_data["share_summaries_with_staff"],
            languages=form.cleaned_data["languages"],
        )
        messages.success(request, "Your coaching preferences are saved.")
        return redirect("coaching:preferences", code=enrollment.code)
    return render(
        request,
        "coaching/preferences.html",
        {"enrollment": enrollment, "form": form, "prefs": prefs},
    )


# --- One session --------------------------------------------------------------------------


@require_GET
def session_detail(request, code):
    access = get_session_for_viewer(request.user, code)
    session = access.session
    note = selectors.private_note_for_author(session, request.user) if access.author else None
    return render(
        request,
        "coaching/session_detail.html",
        {
            "access": access,
            "session": session,
            "competencies": session.competencies.select_related("domain"),
            "private_note": note,
            "now": timezone.now(),
        },
    )


@sensitive_post_parameters("private_note")
@sensitive_variables()  # every frame below: notes may sit in any of them
@require_http_methods(["GET", "POST"])
def session_edit(request, code):
    session = get_session_for_author(request.user, code)
    note = selectors.private_note_for_author(session, request.user)
    form = SessionForm(
        request.POST or None,
        instance=session,
        cohort=session.enrollment.cohort,
        private_note=note.body if note else "",
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        competencies = data.pop("competencies")
        private_note = data.pop("private_note")
        try:
            services.coaching_session_update(
                session=session,
                by=request.user,
                data=data,
                competencies=competencies,
                private_note=private_note,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The session is saved.")
            return redirect(session.get_absolute_url())
    return render(
        request,
        "coaching/session_form.html",
        {"enrollment": session.enrollment, "form": form, "session": session},
    )


@require_http_methods(["GET", "POST"])
def session_reschedule(request, code):
    session = get_session_for_author(request.user, code)
    initial = {
        "starts_at": timezone.localtime(session.starts_at),
        "duration_minutes": session.duration_minutes,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.coaching_session_reschedule(
                session=session, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The session is moved; the fellow is told.")
            return redirect(session.get_absolute_url())
    return render(request, "coaching/session_reschedule.html", {"session": session, "form": form})


@require_POST
def session_cancel(request, code):
    session = get_session_for_author(request.user, code)
    try:
        services.coaching_session_cancel(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The session is cancelled; the fellow is told.")
    return redirect(session.get_absolute_url())


@require_http_methods(["GET", "POST"])
def session_reflection(request, code):
    session = get_session_for_fellow(request.user, code)
    form = ReflectionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        services.coaching_session_reflect(
            session=session, fellow=request.user, text=form.cleaned_data["fellow_reflection"]
        )
        messages.success(request, "Your reflection is saved.")
        return redirect(session.get_absolute_url())
    return render(request, "coaching/session_reflection.html", {"session": session, "form": form})


# --- Cohort-wide --------------------------------------------------------------------------


@require_GET
def coverage(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    rows = selectors.coverage_rows(cohort)
    pace = request.GET.get("pace", "")
    shown = [r for r in rows if r.entitlement.pace == pace] if pace else rows
    return render(
        request,
        "coaching/coverage.html",
        {
            "cohort": cohort,
            "rows": shown,
            "all_rows": rows,
            "pace": pace,
            "burndown": selectors.cohort_burndown(cohort, rows),
            "without_coach": sum(
                1 for r in rows if r.status == "active" and not r.active_assignments
            ),
        },
    )


@require_GET
def no_coach(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    return render(
        request,
        "coaching/no_coach.html",
        {"cohort": cohort, "enrollments": selectors.fellows_without_coach(cohort)},
    )


EXPORT_HEADER = [
    "Fellow",
    "Email",
    "State or territory",
    "Agency",
    "Coach",
    "Date (UTC)",
    "Start (UTC)",
    "Duration (minutes)",
    "Hours",
    "Mode",
    "Status",
    "Counts against entitlement",
    "Competencies",
]


@require_GET
def export_hours(request, code):
    """Coaching hours as CSV: staff get the cohort, a coach their own fellows. Facts only
    (PRODUCT.md: when, how long, status, competencies): never topics, the shared summary,
    the reflection or private notes."""
    cohort, can_manage = get_cohort_for_viewer(request.user, code)
    if can_manage:
        sessions = selectors.export_sessions(cohort)
    elif Enrollment.objects.filter(
        cohort=cohort,
        coach_assignments__coach=request.user,
        coach_assignments__ended_at__isnull=True,
    ).exists():
        sessions = selectors.export_sessions(cohort, coach=request.user)
    else:
        raise PermissionDenied("Only staff and coaches export coaching hours.")

    def rows():
        for s in sessions.iterator(chunk_size=500):
            start = s.starts_at.astimezone(datetime.UTC)
            yield [
                s.enrollment.user.full_name,
                s.enrollment.user.email,
                s.enrollment.state,
                s.enrollment.agency,
                s.coach.full_name,
                f"{start:%Y-%m-%d}",
                f"{start:%H:%M}",
                s.duration_minutes,
                f"{s.duration_minutes / 60:.2f}",
                s.get_mode_display(),
                s.get_status_display(),
                "yes" if s.counts_against_entitlement else "no",
                "; ".join(c.name for c in s.competencies.all()),
            ]

    filename = f"coaching-hours-{slugify(cohort.name) or 'cohort'}.csv"
    return csv_download(filename, EXPORT_HEADER, rows())
