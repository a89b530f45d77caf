"""Access helpers: the first call of every networks view (PRODUCT.md: peer group meetings and
check-ins — staff manage, the fellow and the same peer group see their own group, coaches
nothing). Facilitators (staff, a coach or an alumnus) run the groups they facilitate.
Outsiders get 404; members who may read but not change get 403."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import Access
from accounts.compiled import CompiledQuery
from accounts.viewer import Viewer
from cohorts import roles
from cohorts.models import EnrollmentStatus

from .models import GroupMeeting, PeerGroup, PeerGroupMembership


@dataclass(frozen=True)
class GroupPermissions:
    """What one viewer may do with one peer group."""

    can_manage: bool = False  # staff of the program: everything
    is_facilitator: bool = False  # meetings and attendance
    membership: PeerGroupMembership | None = None  # the viewer's own membership

    @property
    def can_run(self) -> bool:
        """May schedule, move and cancel meetings and take attendance."""
        return self.can_manage or self.is_facilitator

    @property
    def can_read(self) -> bool:
        return self.can_run or self.membership is not None


@dataclass(frozen=True)
class MeetingPermissions(GroupPermissions):
    """What one viewer may do with one meeting of a peer group."""

    # Staff, the facilitator and the member leading this meeting in rotation.
    can_take_attendance: bool = False


def group_permissions(user: Viewer, group: PeerGroup) -> GroupPermissions:
    if not user.is_authenticated:
        return GroupPermissions()
    return GroupPermissions(
        can_manage=roles.is_cohort_staff(user, group.cohort),
        is_facilitator=group.facilitator_id is not None and group.facilitator_id == user.pk,
        membership=_membership(user.pk, group.pk),
    )


# Every networks page starts with these two reads: their SQL is compiled once
# (accounts/compiled.py).
_GROUP_QUERY = CompiledQuery()
_MEMBERSHIP_QUERY = CompiledQuery()


def _group(code: UUID | str) -> PeerGroup | None:
    found = _GROUP_QUERY.instances(
        # A code given as text is checked and converted by the query itself: a shape of its own.
        isinstance(code, UUID),
        {"code": code},
        lambda values: PeerGroup.objects.select_related("cohort__program", "facilitator").filter(
            code=values["code"]
        ),
    )
    return found[0] if found else None


def _membership(user_id: int, group_id: int) -> PeerGroupMembership | None:
    """The user's membership of the group while their enrollment has cohort access."""
    found = _MEMBERSHIP_QUERY.instances(
        None,
        {"user_id": user_id, "group_id": group_id},
        lambda values: (
            PeerGroupMembership.objects.filter(
                group=values["group_id"],
                enrollment__user=values["user_id"],
                enrollment__status__in=EnrollmentStatus.with_cohort_access(),
            )
            .select_related("enrollment")
            .order_by("enrollment__user__full_name", "pk")[:1]
        ),
    )
    return found[0] if found else None


def get_group_for_viewer(user: Viewer, code: UUID | str) -> Access[PeerGroup, GroupPermissions]:
    group = _group(code)
    if group is None:
        raise Http404("No such group.")
    permissions = group_permissions(user, group)
    if not permissions.can_read:
        raise Http404("No such group.")
    return Access(group, permissions)


def get_group_for_runner(user: Viewer, code: UUID | str) -> PeerGroup:
    group, permissions = get_group_for_viewer(user, code)
    if not permissions.can_run:
        raise PermissionDenied("Only the facilitator and program staff can do this.")
    return group


def get_group_for_staff(user: Viewer, code: UUID | str) -> PeerGroup:
    group, permissions = get_group_for_viewer(user, code)
    if not permissions.can_manage:
        raise PermissionDenied("Only program staff can change this group.")
    return group


def get_meeting_for_viewer(
    user: Viewer, code: UUID | str
) -> Access[GroupMeeting, MeetingPermissions]:
    meeting = (
        GroupMeeting.objects.select_related(
            "group__cohort__program", "group__facilitator", "lead__user"
        )
        .filter(code=code)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    group = group_permissions(user, meeting.group)
    if not group.can_read:
        raise Http404("No such meeting.")
    leads = group.membership is not None and meeting.lead_id == group.membership.enrollment_id
    permissions = MeetingPermissions(
        can_manage=group.can_manage,
        is_facilitator=group.is_facilitator,
        membership=group.membership,
        can_take_attendance=group.can_run or leads,
    )
    return Access(meeting, permissions)


def get_meeting_for_runner(user: Viewer, code: UUID | str) -> GroupMeeting:
    meeting, permissions = get_meeting_for_viewer(user, code)
    if not permissions.can_run:
        raise PermissionDenied("Only the facilitator and program staff can do this.")
    return meeting
