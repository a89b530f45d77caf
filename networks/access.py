"""Access helpers: the first call of every networks view (PRODUCT.md: peer group meetings and
check-ins — staff manage, the fellow and the same peer group see their own group, coaches
nothing). Facilitators (staff, a coach or an alumnus) run the groups they facilitate.
Outsiders get 404; members who may read but not change get 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts import roles
from cohorts.models import EnrollmentStatus

from .models import GroupMeeting, PeerGroup, PeerGroupMembership


@dataclass(frozen=True)
class GroupAccess:
    manage: bool = False  # staff of the program: everything
    facilitate: bool = False  # the group's facilitator: meetings and attendance
    membership: PeerGroupMembership | None = None  # the viewer's own membership

    @property
    def run(self) -> bool:
        """May schedule, move and cancel meetings and take attendance."""
        return self.manage or self.facilitate

    @property
    def any(self) -> bool:
        return self.run or self.membership is not None


def group_access(user, group) -> GroupAccess:
    if not user.is_authenticated:
        return GroupAccess()
    membership = (
        PeerGroupMembership.objects.filter(
            group=group,
            enrollment__user=user,
            enrollment__status__in=EnrollmentStatus.with_cohort_access(),
        )
        .select_related("enrollment")
        .first()
    )
    return GroupAccess(
        manage=roles.is_cohort_staff(user, group.cohort),
        facilitate=group.facilitator_id is not None and group.facilitator_id == user.pk,
        membership=membership,
    )


def get_group_for_viewer(user, code) -> tuple[PeerGroup, GroupAccess]:
    group = (
        PeerGroup.objects.select_related("cohort__program", "facilitator").filter(code=code).first()
    )
    if group is None:
        raise Http404("No such group.")
    access = group_access(user, group)
    if not access.any:
        raise Http404("No such group.")
    return group, access


def get_group_for_runner(user, code) -> tuple[PeerGroup, GroupAccess]:
    group, access = get_group_for_viewer(user, code)
    if not access.run:
        raise PermissionDenied("Only the facilitator and program staff can do this.")
    return group, access


def get_group_for_staff(user, code) -> tuple[PeerGroup, GroupAccess]:
    group, access = get_group_for_viewer(user, code)
    if not access.manage:
        raise PermissionDenied("Only program staff can change this group.")
    return group, access


def get_meeting_for_viewer(user, code) -> tuple[GroupMeeting, GroupAccess]:
    meeting = (
        GroupMeeting.objects.select_related(
            "group__cohort__program", "group__facilitator", "lead__user"
        )
        .filter(code=code)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    access = group_access(user, meeting.group)
    if not access.any:
        raise Http404("No such meeting.")
    return meeting, access


def get_meeting_for_runner(user, code) -> tuple[GroupMeeting, GroupAccess]:
    meeting, access = get_meeting_for_viewer(user, code)
    if not access.run:
        raise PermissionDenied("Only the facilitator and program staff can do this.")
    return meeting, access


def can_take_attendance(meeting, access) -> bool:
    """Staff, the facilitator and the member leading this meeting in rotation."""
    return access.run or (
        access.membership is not None and meeting.lead_id == access.membership.enrollment_id
    )
