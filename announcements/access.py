"""Access helpers: the first call of every announcements view. Outsiders get 404; people who
may read a thing but not do what they asked get 403."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import Access, ManagePermissions
from accounts.viewer import Viewer
from cohorts import roles as cohort_roles
from cohorts.models import Cohort, Enrollment, Program

from . import audience as audience_rules
from . import roles, selectors
from .models import Announcement


@dataclass(frozen=True)
class AnnouncementPermissions:
    can_manage: bool = False  # program staff: see receipts, scheduled ones, withdraw
    is_author: bool = False

    @property
    def can_withdraw(self) -> bool:
        return self.can_manage or self.is_author

    @property
    def sees_receipts(self) -> bool:
        return self.can_manage or self.is_author

    def require(self, right: str, message: str) -> None:
        if not getattr(self, right):
            raise PermissionDenied(message)


def get_announcement_for_viewer(
    user: Viewer, code: UUID | str, now: datetime
) -> Access[Announcement, AnnouncementPermissions]:
    """The announcement, to its audience once sent, and to program staff and its author."""
    announcement = (
        Announcement.objects.filter(audience_rules.visible_q(user, now), code=code)
        .select_related(*selectors.JOINS)
        .first()
    )
    if announcement is None:
        raise Http404("No such announcement.")
    permissions = AnnouncementPermissions(
        can_manage=roles.manages_program(user, announcement.program),
        is_author=announcement.author_id == user.pk,
    )
    return Access(announcement, permissions)


def get_cohort_for_viewer(user: Viewer, code: UUID | str) -> Access[Cohort, ManagePermissions]:
    """The cohort's announcements page: for those who read the cohort (staff, its fellows
    and alumni, coaches of its fellows, facilitators of its groups)."""
    cohort = Cohort.objects.select_related("program").filter(code=code).first()
    if cohort is None or not cohort_roles.can_read_cohort(user, cohort):
        raise Http404("No such cohort.")
    return Access(cohort, ManagePermissions(can_manage=roles.manages_program(user, cohort.program)))


def get_program_for_viewer(user: Viewer, slug: str) -> Access[Program, ManagePermissions]:
    """The program's announcements page: for its staff, coaches, facilitators, fellows and
    alumni."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    if roles.manages_program(user, program):
        return Access(program, ManagePermissions(can_manage=True))
    if cohort_roles.works_in_program(user, program) or (
        user.is_authenticated
        and Enrollment.objects.with_cohort_access()
        .filter(user=user, cohort__program=program)
        .exists()
    ):
        return Access(program, ManagePermissions(can_manage=False))
    raise Http404("No such program.")


def get_audience_options(user: Viewer) -> list[selectors.AudienceOption]:
    """What the viewer may announce to; 403 when nothing (the page exists for staff and
    facilitators only)."""
    options = selectors.audience_options(user)
    if not options:
        raise PermissionDenied("Only program staff and peer-group facilitators send announcements.")
    return options
