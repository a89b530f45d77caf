"""Access helpers: the first call of every networks view (PRODUCT.md: peer group meetings and
check-ins — staff manage, the fellow and the same peer group see their own group, coaches
nothing). Facilitators (staff, a coach or an alumnus) run the groups they facilitate.
Outsiders get 404; members who may read but not change get 403."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Model, QuerySet
from django.http import Http404

from accounts.access import Access
from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.viewer import Viewer
from cohorts import roles
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program

from .models import GroupMeeting, PeerGroup, PeerGroupMembership

M = TypeVar("M", bound=Model)


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
# (accounts/compiled.py) and their rows made into the same model instances, with the same
# related objects loaded, that select_related() gives.
_GROUP_QUERY = CompiledQuery()
_MEMBERSHIP_QUERY = CompiledQuery()


def _group(code: UUID | str) -> PeerGroup | None:
    def build(values: Mapping[str, Any]) -> QuerySet:
        return PeerGroup.objects.filter(code=values["code"]).values(
            **_columns(PeerGroup, "group", ""),
            **_columns(Cohort, "cohort", "cohort__"),
            **_columns(Program, "program", "cohort__program__"),
            **_columns(User, "facilitator", "facilitator__"),
        )

    # A code given as text is checked and converted by the query itself: a shape of its own.
    row = _GROUP_QUERY.first(isinstance(code, UUID), {"code": code}, build)
    if not row:
        return None
    group = _instance(PeerGroup, "group", row)
    cohort = _instance(Cohort, "cohort", row)
    Cohort._meta.get_field("program").set_cached_value(cohort, _instance(Program, "program", row))
    PeerGroup._meta.get_field("cohort").set_cached_value(group, cohort)
    facilitator = None
    if group.facilitator_id is not None:
        facilitator = _instance(User, "facilitator", row)
    PeerGroup._meta.get_field("facilitator").set_cached_value(group, facilitator)
    return group


def _membership(user_id: int, group_id: int) -> PeerGroupMembership | None:
    """The user's membership of the group while their enrollment has cohort access."""

    def build(values: Mapping[str, Any]) -> QuerySet:
        return (
            PeerGroupMembership.objects.filter(
                group=values["group_id"],
                enrollment__user=values["user_id"],
                enrollment__status__in=EnrollmentStatus.with_cohort_access(),
            )
            .values(
                **_columns(PeerGroupMembership, "membership", ""),
                **_columns(Enrollment, "enrollment", "enrollment__"),
            )
            .order_by("enrollment__user__full_name", "pk")[:1]
        )

    row = _MEMBERSHIP_QUERY.first(None, {"user_id": user_id, "group_id": group_id}, build)
    if not row:
        return None
    membership = _instance(PeerGroupMembership, "membership", row)
    PeerGroupMembership._meta.get_field("enrollment").set_cached_value(
        membership, _instance(Enrollment, "enrollment", row)
    )
    return membership


def _columns(model: type[Model], name: str, path: str) -> dict[str, F]:
    """Every column of `model`, reached by `path`, each named `name__<column>`."""
    return {f"{name}__{f.attname}": F(f"{path}{f.attname}") for f in model._meta.concrete_fields}


def _instance(model: type[M], name: str, row: Mapping[str, Any]) -> M:
    fields = model._meta.concrete_fields
    return model.from_db(
        DEFAULT_DB_ALIAS, [f.attname for f in fields], [row[f"{name}__{f.attname}"] for f in fields]
    )


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
