"""Each fellow's progress: attendance, practice assignments and self-assessments."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.downloads import file_download
from cohorts.access import get_cohort_for_staff, get_enrollment_for_viewer

from .. import services
from ..access import (
    get_assignment_for_viewer,
    get_session_for_staff,
    get_submission_for_viewer,
    get_window_for_fellow,
    get_window_for_staff,
)
from ..forms import (
    AttendanceForm,
    FeedbackForm,
    SelfAssessmentForm,
    SubmissionForm,
    WindowDatesForm,
    WindowForm,
)
from ..selectors import (
    assessments_of,
    attendance_of,
    attendance_sheet,
    cohort_growth,
    existing_ratings,
    fellow_rates,
    growth_of,
    growth_page,
    rating_form_data,
    session_rates,
    submission_of,
    submissions_for,
    windows_of,
)
from ._util import (
    confirm_delete_page,
    form_page,
    posted,
    posted_files,
    refused,
    save_form,
    save_then_redirect,
)

# --- Attendance ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance_take(request, code):
    """The attendance sheet of one day of the session (`?day=2` for the second day of a
    gathering over several days)."""
    session = get_session_for_staff(request.user, code)
    days = session.local_days()
    day_number = _day_number(request.GET.get("day"), len(days))
    roster, marks = attendance_sheet(session, day_number)
    form = AttendanceForm(posted(request), roster=roster, marks=marks)
    on_day = f" for {days[day_number - 1]:%A %-d %B}" if len(days) > 1 else ""
    done = save_then_redirect(
        request,
        form,
        lambda **_: services.attendance_record(
            session=session, marks=form.marks(), by=request.user, day_number=day_number
        ),
        success=f"Attendance saved{on_day} for {len(roster)} people.",
        then=session,
    )
    return done or render(
        request,
        "curriculum/attendance_take.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "days": list(enumerate(days, start=1)) if len(days) > 1 else [],
            "day_number": day_number,
            "day": days[day_number - 1],
        },
    )


def _day_number(raw: str | None, day_count: int) -> int:
    """The day asked for in the query string; a day the session does not have is not a page."""
    if raw is None:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= day_count:
        raise Http404("This session has no such day.")
    return int(raw)


@require_GET
def attendance_report(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    return render(
        request,
        "curriculum/attendance_report.html",
        {
            "cohort": cohort,
            "by_session": session_rates(cohort),
            "by_fellow": fellow_rates(cohort),
        },
    )


@require_GET
def enrollment_attendance(request, code):
    enrollment, permissions = get_enrollment_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    records, totals = attendance_of(enrollment)
    return render(
        request,
        "curriculum/enrollment_attendance.html",
        {
            "enrollment": enrollment,
            "cohort": enrollment.cohort,
            "records": records,
            "totals": totals,
            "can_manage": can_manage,
        },
    )


# --- Assignments ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assignment_detail(request, code):
    assignment, permissions = get_assignment_for_viewer(request.user, code)
    can_manage, enrollment = permissions.can_manage, permissions.enrollment
    if request.method == "POST" and enrollment is None:
        raise PermissionDenied("Only the cohort's active fellows submit work.")
    mine = submission_of(assignment, enrollment)
    form = None
    if enrollment is not None and (mine is None or mine.can_revise):
        form = SubmissionForm(
            posted(request), posted_files(request), initial={"text": mine.text if mine else ""}
        )
    if request.method == "POST" and form is None:
        raise PermissionDenied("Feedback has been given, so this submission is closed.")
    done = form and save_then_redirect(
        request,
        form,
        partial(services.submission_submit, assignment=assignment, enrollment=enrollment),
        success="Your work is submitted. You can revise it until feedback.",
        then=assignment,
    )
    return done or render(
        request,
        "curriculum/assignment_detail.html",
        {
            "assignment": assignment,
            "cohort": assignment.module.cohort,
            "can_manage": can_manage,
            "mine": mine,
            "form": form,
            "submissions": submissions_for(assignment) if can_manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
def submission_detail(request, code):
    submission, permissions = get_submission_for_viewer(request.user, code)
    if request.method == "POST" and not permissions.can_manage:
        raise PermissionDenied("Only program staff give feedback.")
    form = None
    if permissions.can_manage:
        form = FeedbackForm(
            posted(request),
            initial={"feedback": submission.feedback, "complete": bool(submission.completed_at)},
        )
        done = save_then_redirect(
            request,
            form,
            partial(services.submission_review, submission=submission, by=request.user),
            success="Feedback saved.",
            then=submission.assignment,
        )
        if done:
            return done
    return render(
        request,
        "curriculum/submission_detail.html",
        {
            "submission": submission,
            "assignment": submission.assignment,
            "cohort": submission.assignment.module.cohort,
            "form": form,
        },
    )


@require_GET
def submission_file(request, code):
    submission, _ = get_submission_for_viewer(request.user, code)
    if not submission.file:
        raise Http404("No file attached.")
    return file_download(request, submission.file)


# --- Self-assessments ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assessment_overview(request, code):
    """Staff: the cohort's windows (open a new one here) and the cohort's growth by domain."""
    cohort = get_cohort_for_staff(request.user, code)
    form = WindowForm(posted(request))
    done = save_then_redirect(
        request,
        form,
        partial(services.window_save, cohort=cohort),
        success="Self-assessment window saved.",
        then=_overview_url(cohort),
    )
    return done or render(
        request,
        "curriculum/assessment_overview.html",
        {
            "cohort": cohort,
            "windows": windows_of(cohort, cohort.local_date()),
            "form": form,
            **growth_page(cohort_growth(cohort)),
        },
    )


def _overview_url(cohort):
    return reverse("curriculum:assessment_overview", kwargs={"code": cohort.code})


@require_http_methods(["GET", "POST"])
def window_edit(request, code):
    """Staff change a window's dates (its phase stays)."""
    window = get_window_for_staff(request.user, code)
    cohort = window.cohort
    overview = _overview_url(cohort)
    form = WindowDatesForm(posted(request), instance=window)
    done = save_then_redirect(
        request,
        form,
        partial(services.window_save, cohort=cohort, phase=window.phase, window=window),
        success="Window dates saved.",
        then=overview,
    )
    return done or form_page(
        request,
        form,
        f"Dates of the {window.get_phase_display().lower()} window",
        cohort=cohort,
        back_url=overview,
    )


@require_http_methods(["GET", "POST"])
def window_delete(request, code):
    """GET asks for confirmation (or says why it cannot be done); POST deletes."""
    window = get_window_for_staff(request.user, code)
    cohort = window.cohort
    overview = _overview_url(cohort)
    if request.method == "POST":
        try:
            services.window_delete(window=window)
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(
                request, f"The {window.get_phase_display().lower()} window is deleted."
            )
        return redirect(overview)
    return confirm_delete_page(
        request,
        window,
        f"Delete the {window.get_phase_display().lower()} window?",
        cohort=cohort,
        back_url=overview,
    )


@require_http_methods(["GET", "POST"])
def self_assessment(request, code):
    window, permissions = get_window_for_fellow(request.user, code)
    enrollment = permissions.enrollment
    cohort = window.cohort
    framework = cohort.framework
    is_open = window.is_open_on(cohort.local_date())
    if framework is None:
        raise Http404("This cohort has no competency framework yet.")
    domains, levels = rating_form_data(framework)
    form = SelfAssessmentForm(
        posted(request),
        domains=domains,
        levels=levels,
        existing=existing_ratings(window, enrollment),
    )
    if request.method == "POST":
        if not is_open:
            form.add_error(None, "This window is closed: ratings can no longer be saved.")
        elif save_form(
            form,
            lambda _: services.self_assessment_submit(
                window=window, enrollment=enrollment, ratings=form.ratings()
            ),
        ):
            messages.success(request, "Your self-assessment is saved.")
            return redirect(reverse("curriculum:growth", kwargs={"code": enrollment.code}))
    return render(
        request,
        "curriculum/self_assessment.html",
        {
            "window": window,
            "cohort": cohort,
            "form": form,
            "levels": levels,
            "is_open": is_open,
            "enrollment": enrollment,
        },
    )


@require_GET
def growth(request, code):
    enrollment, _permissions = get_enrollment_for_viewer(request.user, code)
    return render(
        request,
        "curriculum/growth.html",
        {
            "enrollment": enrollment,
            "cohort": enrollment.cohort,
            **growth_page(growth_of(enrollment)),
            "assessments": assessments_of(enrollment),
            "is_own": enrollment.user_id == request.user.pk,
        },
    )
