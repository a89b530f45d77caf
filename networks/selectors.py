"""Reads of the networks app, with their joins, so each page's query cost is decided here."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.compiled import CompiledQuery
from accounts.links import code_url
from accounts.models import User
from accounts.viewer import Viewer
from action_plans.models import (
    ActionPlan,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    ProgressSignal,
    ProgressUpdate,
)
from cohorts.geography import StateOrTerritory
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


@dataclass(frozen=True)
class GroupMember:
    """One row of the group page's members table, as the viewer may see it."""

    name: str
    pronouns: str
    status: str
    status_label: str
    state_label: str
    agency: str
    has_plan: bool
    plan: PlanSummary | None  # None when there is no plan or the viewer may not read it
    milestones_total: int
    milestones_done: int
    update_signal: str | None
    update_signal_label: str
    update_as_of: datetime.date | None
    update_body: str | None
    last_commitment: str | None
    last_commitment_at: datetime.datetime | None


@dataclass(frozen=True)
class PlanSummary:
    url: str
    title: str
    status_label: str


_MEMBERS_QUERY = CompiledQuery()


def _members_query(values: Mapping[str, Any], viewer_kind: tuple[bool, bool]) -> QuerySet:
    """The members' rows, built from `values` alone (accounts/compiled.py keeps the SQL):
    the fellow, their plan (`plan_visible` by the action plans app's own rule
    `ActionPlan.objects.visible_to`), its milestone progress and latest progress update, and
    the member's latest commitment."""
    authenticated, superuser = viewer_kind
    viewer: Viewer = (
        User(pk=values["viewer_id"], is_superuser=superuser) if authenticated else AnonymousUser()
    )
    latest_update = ProgressUpdate.objects.filter(plan=OuterRef("enrollment__action_plan"))
    visible = ActionPlan.objects.visible_to(viewer).filter(pk=OuterRef("enrollment__action_plan"))
    last_commitment = CheckIn.objects.filter(enrollment=OuterRef("enrollment")).order_by(
        "-meeting__starts_at"
    )
    milestones = "enrollment__action_plan__goals__milestones"
    return (
        PeerGroupMembership.objects.filter(group=values["group_id"])
        .annotate(
            milestones_total=Count(milestones, distinct=True),
            milestones_done=Count(
                milestones,
                filter=Q(**{f"{milestones}__status": MilestoneStatus.DONE}),
                distinct=True,
            ),
            plan_visible=Exists(visible),
            update_signal=Subquery(latest_update.values("signal")[:1]),
            update_as_of=Subquery(latest_update.values("as_of")[:1]),
            update_body=Subquery(latest_update.values("body")[:1]),
            last_commitment=Subquery(last_commitment.values("next_commitment")[:1]),
            last_commitment_at=Subquery(last_commitment.values("meeting__starts_at")[:1]),
        )
        .values(
            "pk",
            "milestones_total",
            "milestones_done",
            "plan_visible",
            "update_signal",
            "update_as_of",
            "update_body",
            "last_commitment",
            "last_commitment_at",
            full_name=F("enrollment__user__full_name"),
            email=F("enrollment__user__email"),
            pronouns=F("enrollment__user__pronouns"),
            status=F("enrollment__status"),
            state=F("enrollment__state"),
            agency=F("enrollment__agency"),
            plan_id=F("enrollment__action_plan__id"),
            plan_code=F("enrollment__action_plan__code"),
            plan_title=F("enrollment__action_plan__title"),
            plan_status=F("enrollment__action_plan__status"),
        )
        .order_by("enrollment__user__full_name", "pk")
    )


def group_members_for_page(group: PeerGroup, viewer: Viewer) -> list[GroupMember]:
    """The group's members in name order, each with what the viewer may see of their plan."""
    viewer_kind = (viewer.is_authenticated, bool(viewer.is_authenticated and viewer.is_superuser))
    values = {"group_id": group.pk, "viewer_id": viewer.pk if viewer.is_authenticated else 0}
    rows = _MEMBERS_QUERY.rows(
        viewer_kind, values, lambda values: _members_query(values, viewer_kind)
    )
    statuses, states = dict(EnrollmentStatus.choices), dict(StateOrTerritory.choices)
    plan_statuses = dict(PlanStatus.choices)
    members = []
    for row in rows:
        plan = None
        if row["plan_id"] is not None and row["plan_visible"]:
            plan = PlanSummary(
                url=code_url("action_plans:plan_detail", row["plan_code"]),
                title=row["plan_title"],
                status_label=plan_statuses.get(row["plan_status"], row["plan_status"]),
            )
        members.append(
            GroupMember(
                name=row["full_name"] or row["email"],
                pronouns=row["pronouns"],
                status=row["status"],
                status_label=statuses.get(row["status"], row["status"]),
                state_label=states.get(row["state"], row["state"]),
                agency=row["agency"],
                has_plan=row["plan_id"] is not None,
                plan=plan,
                milestones_total=row["milestones_total"],
                milestones_done=row["milestones_done"],
                update_signal=row["update_signal"],
                update_signal_label=signal_label(row["update_signal"]),
                update_as_of=row["update_as_of"],
                update_body=row["update_body"],
                last_commitment=row["last_commitment"],
                last_commitment_at=row["last_commitment_at"],
            )
        )
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


@dataclass(frozen=True)
class UpcomingMeeting:
    url: str
    starts_at: datetime.datetime
    lead_name: str | None
    location: str
    video_url: str


_UPCOMING_QUERY = CompiledQuery()


def upcoming_meetings(
    group: PeerGroup, now: datetime.datetime, limit: int = 6
) -> list[UpcomingMeeting]:
    """The group's next meetings (not cancelled, not over), soonest first."""

    def build(values: Mapping[str, Any]) -> QuerySet:
        return (
            GroupMeeting.objects.filter(group=values["group_id"])
            .upcoming(values["now"])
            .values(
                "code",
                "starts_at",
                "location",
                "video_url",
                lead_full_name=F("lead__user__full_name"),
                lead_email=F("lead__user__email"),
            )[:limit]
        )

    rows = _UPCOMING_QUERY.rows(limit, {"group_id": group.pk, "now": now}, build)
    return [
        UpcomingMeeting(
            url=code_url("networks:meeting_detail", row["code"]),
            starts_at=row["starts_at"],
            lead_name=row["lead_full_name"] or row["lead_email"],
            location=row["location"],
            video_url=row["video_url"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class HistoryCheckIn:
    name: str
    committed: str
    done: str
    ask: str
    next_commitment: str
    milestones: list[str]  # titles of the milestones it is tied to


@dataclass(frozen=True)
class PastMeeting:
    code: uuid.UUID
    url: str
    starts_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    attendance_recorded: int
    present_marks: str  # a ✓ per member present
    check_ins: list[HistoryCheckIn]


_PAST_MEETINGS_QUERY = CompiledQuery()
_PAST_CHECK_INS_QUERY = CompiledQuery()
_PAST_CHECK_IN_MILESTONES_QUERY = CompiledQuery()


def _past_meetings(values: Mapping[str, Any]) -> QuerySet:
    """The attendance marks are counted here: the page shows counts, not the marks."""
    return (
        GroupMeeting.objects.filter(group=values["group_id"])
        .past(values["now"])
        .annotate(
            attendance_recorded=Count("attendance"),
            attendance_present=Count(
                "attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)
            ),
        )
        .values(
            "pk", "code", "starts_at", "cancelled_at", "attendance_recorded", "attendance_present"
        )
    )


def _past_check_ins(values: Mapping[str, Any]) -> QuerySet:
    # Selected by the meetings' group and time rather than by their ids: the SQL stays the
    # same whatever the number of meetings, so it is compiled once.
    return (
        CheckIn.objects.filter(
            meeting__group=values["group_id"], meeting__ends_at__lt=values["now"]
        )
        .order_by("meeting__starts_at", "enrollment__user__full_name", "pk")
        .values(
            "pk",
            "meeting_id",
            "committed",
            "done",
            "ask",
            "next_commitment",
            full_name=F("enrollment__user__full_name"),
            email=F("enrollment__user__email"),
        )
    )


def _past_check_in_milestones(values: Mapping[str, Any]) -> QuerySet:
    links = CheckIn.milestones.through.objects.filter(
        checkin__meeting__group=values["group_id"], checkin__meeting__ends_at__lt=values["now"]
    )
    # Ordered by "milestone": the milestones' own order (by plan, goal, then milestone).
    return links.order_by("milestone").values("checkin_id", title=F("milestone__title"))


def meeting_history(group: PeerGroup, now: datetime.datetime) -> list[PastMeeting]:
    """Past meetings, newest first, with their check-ins (and the milestones each is tied to)
    and the attendance marks recorded."""
    values = {"group_id": group.pk, "now": now}
    titles: dict[int, list[str]] = defaultdict(list)
    for link in _PAST_CHECK_IN_MILESTONES_QUERY.rows(None, values, _past_check_in_milestones):
        titles[link["checkin_id"]].append(link["title"])
    check_ins: dict[int, list[HistoryCheckIn]] = defaultdict(list)
    for row in _PAST_CHECK_INS_QUERY.rows(None, values, _past_check_ins):
        check_ins[row["meeting_id"]].append(
            HistoryCheckIn(
                name=row["full_name"] or row["email"],
                committed=row["committed"],
                done=row["done"],
                ask=row["ask"],
                next_commitment=row["next_commitment"],
                milestones=titles.get(row["pk"], []),
            )
        )
    return [
        PastMeeting(
            code=row["code"],
            url=code_url("networks:meeting_detail", row["code"]),
            starts_at=row["starts_at"],
            cancelled_at=row["cancelled_at"],
            attendance_recorded=row["attendance_recorded"],
            present_marks="✓" * row["attendance_present"],
            check_ins=check_ins.get(row["pk"], []),
        )
        for row in _PAST_MEETINGS_QUERY.rows(None, values, _past_meetings)
    ]


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
