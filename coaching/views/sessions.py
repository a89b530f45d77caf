"""One coaching session: the coach creates, edits, moves and cancels it; everyone allowed
reads it at their level of confidentiality; the fellow adds a reflection. Views that handle
private notes mark them sensitive so error reports never carry them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from cohorts.terms import terms_for_request

from .. import selectors, services
from ..access import (
    get_enrollment_for_coaching,
    get_session_for_author,
    get_session_for_fellow,
    get_session_for_viewer,
)
from ..booking import rules
from ..forms import ReflectionForm, RescheduleForm, SessionForm


def _session_arguments(cleaned_data: dict) -> dict:
    """A SessionForm's data as the session services take it: `data=`, `competencies=`,
    `private_note=`."""
    data = dict(cleaned_data)
    return {
        "competencies": data.pop("competencies"),
        "private_note": data.pop("private_note"),
        "data": data,
    }


@sensitive_post_parameters("private_note")
@sensitive_variables()  # every frame below: notes may sit in any of them
@require_http_methods(["GET", "POST"])
def session_create(request, code):
    enrollment, permissions = get_enrollment_for_coaching(request.user, code)
    if not permissions.is_coach:
        raise PermissionDenied("Only the fellow's coach adds coaching sessions.")
    form = SessionForm(posted(request), cohort=enrollment.cohort)
    terms_for_request(request).speak_form(form)
    session = save_form(
        form,
        lambda data: services.coaching_session_create(
            enrollment=enrollment, coach=request.user, **_session_arguments(data)
        ),
    )
    if session is not None:
        messages.success(request, "The session is saved.")
        return redirect(session.get_absolute_url())
    return render(request, "coaching/session_form.html", {"enrollment": enrollment, "form": form})


@require_GET
def session_detail(request, code):
    session, permissions = get_session_for_viewer(request.user, code)
    note = (
        selectors.private_note_for_author(session, request.user) if permissions.is_author else None
    )
    now = timezone.now()
    program = session.enrollment.cohort.program
    return render(
        request,
        "coaching/session_detail.html",
        {
            "access": permissions,
            "session": session,
            "competencies": session.competencies.select_related("domain"),
            "private_note": note,
            "now": now,
            "fellow_may_change": permissions.is_fellow
            and rules.fellow_may_change(session, program, now),
            "change_deadline": rules.change_deadline(session, program),
        },
    )


@sensitive_post_parameters("private_note")
@sensitive_variables()  # every frame below: notes may sit in any of them
@require_http_methods(["GET", "POST"])
def session_edit(request, code):
    session = get_session_for_author(request.user, code)
    note = selectors.private_note_for_author(session, request.user)
    form = SessionForm(
        posted(request),
        instance=session,
        cohort=session.enrollment.cohort,
        private_note=note.body if note else "",
    )
    terms_for_request(request).speak_form(form)
    saved = save_form(
        form,
        lambda data: services.coaching_session_update(
            session=session, by=request.user, **_session_arguments(data)
        ),
    )
    if saved is not None:
        messages.success(request, "The session is saved.")
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "coaching/session_form.html",
        {"enrollment": session.enrollment, "form": form, "session": session},
    )


@require_http_methods(["GET", "POST"])
def session_reschedule(request, code):
    session = get_session_for_author(request.user, code)
    initial = {
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
    }
    form = RescheduleForm(posted(request), initial=initial)
    if save_form(
        form,
        lambda data: services.coaching_session_reschedule(session=session, by=request.user, **data),
    ):
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
    form = ReflectionForm(posted(request), instance=session)
    if save_form(
        form,
        lambda data: services.coaching_session_reflect(
            session=session, fellow=request.user, text=data["fellow_reflection"]
        ),
    ):
        messages.success(request, "Your reflection is saved.")
        return redirect(session.get_absolute_url())
    return render(request, "coaching/session_reflection.html", {"session": session, "form": form})
