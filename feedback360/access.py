"""Access helpers: the first call of every 360° feedback view. Outsiders get 404; people who
may know the thing exists but not read or change it get 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from accounts.access import Access
from accounts.viewer import Viewer
from cohorts import roles as cohort_roles
from cohorts.models import Enrollment, EnrollmentStatus

from . import roles
from .models import FeedbackWindow, Nomination, RaterCircle
from .selectors import POLICY_JOIN

M = TypeVar("M", bound=Model)


def _load(queryset: QuerySet[M], code: UUID | str, what: str) -> M:
    obj = queryset.filter(code=code).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    return obj


def _windows() -> QuerySet[FeedbackWindow]:
    return FeedbackWindow.objects.select_related("cohort__framework", POLICY_JOIN)


def get_window_for_staff(user: Viewer, code: UUID | str) -> FeedbackWindow:
    """A window to manage: its program's staff. Others who read the cohort get 403."""
    window = _load(_windows(), code, "feedback window")
    cohort = window.cohort
    if cohort_roles.is_cohort_staff(user, cohort):
        return window
    if cohort_roles.can_read_cohort(user, cohort):
        raise PermissionDenied("Only program staff manage 360° feedback windows.")
    raise Http404("No such feedback window.")


@dataclass(frozen=True)
class NominatingPermissions:
    """What the fellow nominating raters holds: their own active enrollment in the window's
    cohort (reaching the window is the permission to nominate)."""

    enrollment: Enrollment
    can_nominate: bool = True


def get_window_for_fellow(
    user: Viewer, code: UUID | str
) -> Access[FeedbackWindow, NominatingPermissions]:
    """A window and the viewer's active enrollment in its cohort: only fellows nominate."""
    window = _load(_windows(), code, "feedback window")
    cohort = window.cohort
    enrollment = cohort_roles.enrollment_in(user, cohort)
    if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        if not cohort_roles.can_read_cohort(user, cohort):
            raise Http404("No such feedback window.")
        raise PermissionDenied("Only the cohort's active fellows nominate raters.")
    enrollment.cohort = cohort
    return Access(window, NominatingPermissions(enrollment=enrollment))


def get_nomination_for_fellow(user: Viewer, code: UUID | str) -> Nomination:
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


def _circles() -> QuerySet[RaterCircle]:
    return RaterCircle.objects.select_related(
        f"window__{POLICY_JOIN}", "window__cohort__framework", "enrollment__user"
    )


@dataclass(frozen=True)
class CirclePermissions:
    """What one viewer may do with one fellow's 360° report."""

    is_owner: bool = False  # the fellow: decides who sees it


def get_circle_for_viewer(user: Viewer, code: UUID | str) -> Access[RaterCircle, CirclePermissions]:
    """A fellow's 360° report. The coach reads it once shared; staff and an unshared coach
    get 403 (staff see cohort figures only)."""
    circle = _load(_circles(), code, "report")
    if roles.owns_circle(user, circle):
        return Access(circle, CirclePermissions(is_owner=True))
    if roles.coach_reads_report(user, circle):
        return Access(circle, CirclePermissions(is_owner=False))
    if roles.knows_of_fellow(user, circle):
        raise PermissionDenied("This report is the fellow's: it is shown only where they share it.")
    raise Http404("No such report.")


def get_circle_for_fellow(user: Viewer, code: UUID | str) -> RaterCircle:
    circle, permissions = get_circle_for_viewer(user, code)
    if not permissions.is_owner:
        raise PermissionDenied("Only the fellow decides who sees their report.")
    return circle
