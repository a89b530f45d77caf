"""Access helpers: the first call of every 360° feedback view. Outsiders get 404; people who
may know the thing exists but not read or change it get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts import roles as cohort_roles
from cohorts.models import EnrollmentStatus

from . import roles
from .models import FeedbackWindow, Nomination, RaterCircle
from .selectors import POLICY_JOIN


def _load(queryset, code, what: str):
    obj = queryset.filter(code=code).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    return obj


def _windows():
    return FeedbackWindow.objects.select_related("cohort__framework", POLICY_JOIN)


def get_window_for_staff(user, code) -> FeedbackWindow:
    """A window to manage: its program's staff. Others who read the cohort get 403."""
    window = _load(_windows(), code, "feedback window")
    cohort = window.cohort
    if cohort_roles.is_cohort_staff(user, cohort):
        return window
    if cohort_roles.can_read_cohort(user, cohort):
        raise PermissionDenied("Only program staff manage 360° feedback windows.")
    raise Http404("No such feedback window.")


def get_window_for_fellow(user, code):
    """A window and the viewer's active enrollment in its cohort: only fellows nominate."""
    window = _load(_windows(), code, "feedback window")
    cohort = window.cohort
    enrollment = cohort_roles.enrollment_in(user, cohort)
    if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        if not cohort_roles.can_read_cohort(user, cohort):
            raise Http404("No such feedback window.")
        raise PermissionDenied("Only the cohort's active fellows nominate raters.")
    enrollment.cohort = cohort
    return window, enrollment


def get_nomination_for_fellow(user, code) -> Nomination:
    """A nomination of the viewer's own: nobody else even learns it exists."""
    nomination = _load(
        Nomination.objects.select_related(
            "circle__window__cohort__program", "circle__enrollment__user"
        ),
        code,
        "nomination",
    )
    if not roles.owns_circle(user, nomination.circle):
        raise Http404("No such nomination.")
    return nomination


def _circles():
    return RaterCircle.objects.select_related(
        f"window__{POLICY_JOIN}", "window__cohort__framework", "enrollment__user"
    )


def get_circle_for_viewer(user, code) -> tuple[RaterCircle, bool]:
    """A fellow's 360° report and whether the viewer is that fellow. The coach reads it once
    shared; staff and an unshared coach get 403 (staff see cohort figures only)."""
    circle = _load(_circles(), code, "report")
    if roles.owns_circle(user, circle):
        return circle, True
    if roles.coach_reads_report(user, circle):
        return circle, False
    if roles.knows_of_fellow(user, circle):
        raise PermissionDenied("This report is the fellow's: it is shown only where they share it.")
    raise Http404("No such report.")


def get_circle_for_fellow(user, code) -> RaterCircle:
    circle, own = get_circle_for_viewer(user, code)
    if not own:
        raise PermissionDenied("Only the fellow decides who sees their report.")
    return circle
