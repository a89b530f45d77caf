"""Reads of the networks app, with their joins, so each page's query cost is decided here."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from accounts.viewer import Viewer
from action_plans.models import (
    ActionPlan,
    Milestone,
    MilestoneStatus,
    ProgressSignal,
    ProgressUpdate,
)
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program

from .builder import Fellow
from .models import (
    AttendanceStatus,
    CheckIn,
    GroupMeeting,
    MeetingAttendance,
    PeerCoaching,
    PeerGroup,
    PeerGroupMembership,
)


def eligible_facilitators(program: Program | int) -> QuerySet[User]:
    """Who may facilitate a group of the program: its staff, its coaches, its alumni and
    those invited to it as facilitators."""
    return (
        User.objects.filter(
            Q(staff_memberships__program=program)
            | Q(coach_profile__programs=program)
            | Q(facilitated_programs=program)
            | Q(
                enrollments__cohort__program=program,
                enrollments__status=EnrollmentStatus.COMPLETED,
            )
        )
        .distinct()
        .order_by("full_name")
    )


def builder_roster(cohort: Cohort, *, only_ungrouped: bool) -> QuerySet[Enrollment]:
    """Active fellows the builder groups: all of them, or those not yet in a group."""
    roster = Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.ACTIVE)
    if only_ungrouped:
        roster = roster.filter(peer_group_memberships__isnull=True)
    return roster.select_related("user").order_by("user__full_name", "pk")


def member_enrollments(group: PeerGroup | int) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(peer_group_memberships__group=group).select_related("user")


def active_member_enrollments(group: PeerGroup | int) -> QuerySet[Enrollment]:
    return (
        member_enrollments(group)
        .filter(status=EnrollmentStatus.ACTIVE)
        .order_by("user__full_name", "pk")
    )


def milestones_of(enrollment: Enrollment) -> QuerySet[Milestone]:
    return Milestone.objects.filter(goal__plan__enrollment=enrollment).select_related("goal")


def _next_meeting_start(now: datetime.datetime) -> Subquery:
    """Subquery: when the group's next meeting (not cancelled, not over) starts."""
    upcoming = GroupMeeting.objects.filter(group=OuterRef("pk")).upcoming(now)
    return Subquery(upcoming.values("starts_at")[:1])


def cohort_groups(cohort: Cohort, now: datetime.datetime) -> QuerySet[PeerGroup]:
    """The groups of a cohort with members, facilitator and next meeting (staff overview)."""
    return (
        PeerGroup.objects.filter(cohort=cohort)
        .select_related("facilitator")
        .annotate(next_meeting_at=_next_meeting_start(now))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=PeerGroupMembership.objects.select_related("enrollment__user"),
            )
        )
        .order_by("name")
    )


def ungrouped_fellows(cohort: Cohort) -> QuerySet[Enrollment]:
    return builder_roster(cohort, only_ungrouped=True)


def groups_facilitated_by(user: User, now: datetime.datetime) -> QuerySet[PeerGroup]:
    return (
        PeerGroup.objects.filter(facilitator=user)
        .select_related("cohort__program")
        .annotate(
            member_count=Count("memberships", distinct=True),
            next_meeting_at=_next_meeting_start(now),
        )
        .order_by("cohort__name", "name")
    )


def facilitated_meeting_times(
    user_id: int, start: datetime.datetime, end: datetime.datetime
) -> list[tuple]:
    """(starts_at, ends_at) of the meetings not cancelled that `user_id` facilitates and
    that overlap [start, end): busy time when fellows book coaching with them."""
    return list(
        GroupMeeting.objects.not_cancelled()
        .filter(group__facilitator_id=user_id, starts_at__lt=end, ends_at__gt=start)
        .values_list("starts_at", "ends_at")
    )


def group_members(group: PeerGroup, viewer: Viewer) -> QuerySet[PeerGroupMembership]:
    """Memberships with the fellow, their plan (when the viewer may read it, by the action
    plans app's own rule `ActionPlan.objects.visible_to`), its milestone progress and latest
    progress update, and the member's latest commitment."""
    latest_update = ProgressUpdate.objects.filter(plan=OuterRef("enrollment__action_plan"))
    visible = ActionPlan.objects.visible_to(viewer).filter(pk=OuterRef("enrollment__action_plan"))
    last_commitment = CheckIn.objects.filter(enrollment=OuterRef("enrollment")).order_by(
        "-meeting__starts_at"
    )
    return (
        PeerGroupMembership.objects.filter(group=group)
        .select_related("enrollment__user", "enrollment__action_plan")
        .annotate(
            milestones_total=Count("enrollment__action_plan__goals__milestones", distinct=True),
            milestones_done=Count(
                "enrollment__action_plan__goals__milestones",
                filter=Q(enrollment__action_plan__goals__milestones__status=MilestoneStatus.DONE),
                distinct=True,
            ),
            plan_visible=Exists(visible),
            update_signal=Subquery(latest_update.values("signal")[:1]),
            update_as_of=Subquery(latest_update.values("as_of")[:1]),
            update_body=Subquery(latest_update.values("body")[:1]),
            last_commitment=Subquery(last_commitment.values("next_commitment")[:1]),
            last_commitment_at=Subquery(last_commitment.values("meeting__starts_at")[:1]),
        )
        .order_by("enrollment__user__full_name", "pk")
    )


def group_members_for_page(group: PeerGroup, viewer: Viewer) -> list:
    """`group_members` with, on each membership, `visible_plan` (the plan, or None when the
    viewer may not read it) and `update_signal_label`, as the group page shows them."""
    # Each membership also carries the annotations of `group_members`.
    members: list[Any] = list(group_members(group, viewer))
    for membership in members:
        plan = getattr(membership.enrollment, "action_plan", None)
        membership.visible_plan = plan if membership.plan_visible else None
        membership.update_signal_label = signal_label(membership.update_signal)
    return members


def signal_label(value: str | None) -> str:
    return ProgressSignal(value).label if value else ""


def _check_in_prefetch() -> Prefetch:
    return Prefetch(
        "check_ins",
        queryset=CheckIn.objects.select_related("enrollment__user").prefetch_related("milestones"),
    )


def _attendance_prefetch() -> Prefetch:
    return Prefetch(
        "attendance", queryset=MeetingAttendance.objects.select_related("enrollment__user")
    )


def upcoming_meetings(
    group: PeerGroup, now: datetime.datetime, limit: int = 6
) -> list[GroupMeeting]:
    return list(
        GroupMeeting.objects.filter(group=group).upcoming(now).select_related("lead__user")[:limit]
    )


def meeting_history(group: PeerGroup, now: datetime.datetime) -> list[Any]:
    """Past meetings, newest first, with their check-ins, the attendance marks recorded
    (`attendance_recorded`) and a ✓ per member present (`present_marks`): the group page
    shows counts, so the marks are counted in the meetings' query, not read as rows."""
    meetings: list[Any] = list(
        GroupMeeting.objects.filter(group=group)
        .past(now)
        .select_related("lead__user")
        .annotate(
            attendance_recorded=Count("attendance"),
            attendance_present=Count(
                "attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)
            ),
        )
        .prefetch_related(_check_in_prefetch())
    )
    for meeting in meetings:
        meeting.present_marks = "✓" * meeting.attendance_present
    return meetings


def meeting_with_details(meeting: GroupMeeting) -> GroupMeeting:
    """The meeting page: check-ins and attendance of one meeting, loaded at once."""
    return (
        GroupMeeting.objects.filter(pk=meeting.pk)
        .select_related("group__cohort__program", "group__facilitator", "lead__user")
        .prefetch_related(_check_in_prefetch(), _attendance_prefetch())
        .get()
    )


def previous_check_in(enrollment: Enrollment, meeting: GroupMeeting) -> CheckIn | None:
    """The member's latest check-in at an earlier meeting of any of their groups."""
    return (
        CheckIn.objects.filter(enrollment=enrollment, meeting__starts_at__lt=meeting.starts_at)
        .order_by("-meeting__starts_at")
        .first()
    )


def check_in_draft(
    enrollment: Enrollment, meeting: GroupMeeting
) -> tuple[CheckIn | None, dict[str, str]]:
    """(the member's check-in for the meeting or None, initial form values): a new check-in
    starts with what the member committed to at their previous meeting, in any group."""
    existing = CheckIn.objects.filter(meeting=meeting, enrollment=enrollment).first()
    if existing is not None:
        return existing, {}
    previous = previous_check_in(enrollment, meeting)
    return None, {"committed": previous.next_commitment if previous else ""}


def membership_of(user: Viewer, cohort: Cohort) -> PeerGroupMembership | None:
    """The user's membership in a group of the cohort (with cohort access), or None."""
    if not user.is_authenticated:
        return None
    return (
        PeerGroupMembership.objects.filter(
            enrollment__user=user,
            enrollment__cohort=cohort,
            enrollment__status__in=EnrollmentStatus.with_cohort_access(),
        )
        .select_related("group__facilitator", "enrollment")
        .first()
    )


def placeable_fellows(group: PeerGroup) -> QuerySet[Enrollment]:
    """Active fellows of the group's cohort who are not in it, each with the name of their
    current group (`current_group`, None when they have none), for "add or move a fellow"."""
    return (
        Enrollment.objects.filter(cohort=group.cohort_id, status=EnrollmentStatus.ACTIVE)
        .exclude(peer_group_memberships__group=group)
        .select_related("user")
        .annotate(current_group=F("peer_group_memberships__group__name"))
        .order_by("user__full_name", "pk")
    )


def peer_coachings_of(meeting: GroupMeeting) -> QuerySet[PeerCoaching]:
    """The meeting's peer-coaching log, oldest first, with the people and plans it names."""
    return PeerCoaching.objects.filter(meeting=meeting).select_related(
        "coach__user", "coachee__user", "plan"
    )


def fellow_for(enrollment: Enrollment) -> Fellow:
    """The builder's view of an enrollment (readable labels for its notes)."""
    return Fellow(
        key=enrollment.pk,
        state=enrollment.get_state_display(),
        sector=enrollment.get_sector_display(),
        agency=enrollment.agency,
        label=str(enrollment.user),
    )


def series_start_times(
    *,
    first_date: datetime.date,
    weekday: int,
    start_time: datetime.time,
    every_weeks: int,
    count: int,
    time_zone: str,
) -> list[datetime.datetime]:
    """Start times (aware, UTC) of `count` meetings every `every_weeks` weeks on `weekday`
    (0 = Monday) at `start_time` wall-clock time in `time_zone`, from the first such weekday
    on or after `first_date`. Each date is localised on its own, so the wall-clock time stays
    the same across daylight-saving changes."""
    zone = zoneinfo.ZoneInfo(time_zone)
    day = first_date + datetime.timedelta(days=(weekday - first_date.weekday()) % 7)
    starts = []
    for index in range(count):
        date = day + datetime.timedelta(weeks=index * every_weeks)
        local = datetime.datetime.combine(date, start_time, tzinfo=zone)
        starts.append(local.astimezone(datetime.UTC))
    return starts
