"""A fellow books a coaching session in an open slot of their coach, and moves or cancels it
until the program's cut-off. The slot page shows times in the fellow's own zone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.form_helpers import posted, save_form

from ..access import get_enrollment_for_booking, get_session_for_booking
from ..booking import rules, selectors, services
from ..booking.forms import BookingForm
from ..models import CoachAssignment


def _minutes(request) -> int | None:
    try:
        return int(request.GET.get("minutes", ""))
    except ValueError:
        return None


def _slot_page(request, *, enrollment, coach, form, session=None, status=200):
    now = timezone.now()
    page = selectors.slot_page(
        enrollment=enrollment,
        coach=coach,
        viewer_zone=timezone.get_current_timezone(),
        minutes=form.cleaned_data.get("duration_minutes")
        if form.is_bound and hasattr(form, "cleaned_data")
        else _minutes(request),
        now=now,
        moving=session,
    )
    return render(
        request,
        "coaching/book.html",
        {
            "enrollment": enrollment,
            "coach": coach,
            "page": page,
            "form": form,
            "session": session,
            "program": enrollment.cohort.program,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def book(request, code):
    enrollment = get_enrollment_for_booking(request.user, code)
    assignment = (
        CoachAssignment.objects.active()
        .filter(enrollment=enrollment)
        .select_related("coach")
        .first()
    )
    coach = assignment.coach if assignment else None
    form = BookingForm(posted(request))
    session = save_form(
        form,
        lambda data: services.booking_create(
            enrollment=enrollment,
            by=request.user,
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
        ),
    )
    if session is not None:
        messages.success(
            request, "Your session is booked. You and your coach get a calendar invitation."
        )
        return redirect(session.get_absolute_url())
    return _slot_page(request, enrollment=enrollment, coach=coach, form=form)


@require_http_methods(["GET", "POST"])
def booking_move(request, code):
    session = get_session_for_booking(request.user, code)
    enrollment = session.enrollment
    program = enrollment.cohort.program
    if not rules.fellow_may_change(session, program, timezone.now()):
        messages.error(request, rules.cutoff_refusal(program))
        return redirect(session.get_absolute_url())
    form = BookingForm(posted(request))
    if save_form(
        form,
        lambda data: services.booking_move(
            session=session,
            by=request.user,
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
        ),
    ):
        messages.success(
            request, "Your session is moved. You and your coach get an updated invitation."
        )
        return redirect(session.get_absolute_url())
    return _slot_page(
        request, enrollment=enrollment, coach=session.coach, form=form, session=session
    )


@require_POST
def booking_cancel(request, code):
    session = get_session_for_booking(request.user, code)
    try:
        services.booking_cancel(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your session is cancelled; your coach is told.")
    return redirect(session.get_absolute_url())
