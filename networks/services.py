"""Writes of the networks app: saving built groups, editing a group, scheduling, moving and
cancelling meetings, attendance and check-ins. Each is atomic and validates first, so a
refused change leaves nothing half-saved."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from action_plans.models import ActionPlan, Milestone
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from notifications import hooks

from . import selectors
from .builder import agency_clashes
from .models import (
    AttendanceStatus,
    CheckIn,
    GroupMeeting,
    MeetingAttendance,
    PeerCoaching,
    PeerGroup,
    PeerGroupMembership,
)
from .selectors import fellow_for, series_start_times


class SaveMode:
    """How a saved proposal meets the groups a cohort already has.

    REPLACE: the proposal becomes the cohort's groups; the old groups are deleted. Refused
    once any group of the cohort has held or scheduled a meeting, because that would throw
    away meetings and check-ins — staff then extend, or edit groups one by one.
    EXTEND: the old groups stay as they are; the proposal (built from fellows not yet in a
    group) adds new groups next to them.
    """

    REPLACE = "replace"
    EXTEND = "extend"


@dataclass
class GroupDraft:
    name: str
    enrollments: list[Enrollment]
    facilitator: User | None = None
    location: str = ""
    video_url: str = ""
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def groups_save(*, cohort: Cohort, drafts: list[GroupDraft], mode: str) -> list[PeerGroup]:
    existing = PeerGroup.objects.filter(cohort=cohort)
    if mode == SaveMode.REPLACE and GroupMeeting.objects.filter(group__cohort=cohort).exists():
        raise ValidationError(
            "These groups already have meetings, so they cannot be replaced. Add the "
            "fellows who have no group as new groups instead, or edit the groups one by one."
        )
    _validate_drafts(cohort, drafts, existing if mode == SaveMode.EXTEND else None)
    if mode == SaveMode.REPLACE:
        existing.delete()
    groups = []
    for draft in drafts:
        group = PeerGroup(
            cohort=cohort,
            name=draft.name.strip(),
            facilitator=draft.facilitator,
            location=draft.location,
            video_url=draft.video_url,
        )
        group.full_clean()
        group.save()
        PeerGroupMembership.objects.bulk_create(
            PeerGroupMembership(group=group, enrollment=e) for e in draft.enrollments
        )
        groups.append(group)
    return groups


def _validate_drafts(
    cohort: Cohort, drafts: list[GroupDraft], kept_groups: QuerySet[PeerGroup] | None
) -> None:
    errors = []
    if not drafts:
        errors.append("There are no groups to save.")
    names = [d.name.strip().casefold() for d in drafts]
    if any(not name for name in names):
        errors.append("Every group needs a name.")
    if len(set(names)) != len(names):
        errors.append("Two groups have the same name.")
    if kept_groups is not None:
        taken = {name.casefold() for name in kept_groups.values_list("name", flat=True)}
        for draft in drafts:
            if draft.name.strip().casefold() in taken:
                errors.append(f"The cohort already has a group called {draft.name.strip()}.")
    placed = [e for d in drafts for e in d.enrollments]
    if len({e.pk for e in placed}) != len(placed):
        errors.append("A fellow is placed in two groups.")
    for enrollment in placed:
        if enrollment.cohort_id != cohort.pk or enrollment.status != EnrollmentStatus.ACTIVE:
            errors.append(f"{enrollment.user} is not an active fellow of this cohort.")
    if (
        kept_groups is not None
        and PeerGroupMembership.objects.filter(enrollment__in=[e.pk for e in placed]).exists()
    ):
        errors.append("Some of these fellows are already in a group.")
    for number, draft in enumerate(drafts, start=1):
        if not draft.enrollments:
            errors.append(f"Group {number} ({draft.name}) has no members.")
        elif len(draft.enrollments) > cohort.program.group_size_max:
            errors.append(
                f"Group {number} ({draft.name}) has {len(draft.enrollments)} members; "
                f"a group has at most {cohort.program.group_size_max}."
            )
    errors += agency_clashes(
        [[fellow_for(e) for e in d.enrollments] for d in drafts],
    )
    eligible = set(selectors.eligible_facilitators(cohort.program).values_list("pk", flat=True))
    for draft in drafts:
        if draft.facilitator is not None and draft.facilitator.pk not in eligible:
            errors.append(
                f"{draft.facilitator} cannot facilitate {draft.name}: choose a staff member, "
                "a coach or an alumnus of the program."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_update(*, group: PeerGroup, **fields: Any) -> PeerGroup:
    facilitator = fields.get("facilitator", group.facilitator)
    if facilitator is not None and not (
        selectors.eligible_facilitators(group.cohort.program).filter(pk=facilitator.pk).exists()
    ):
        raise ValidationError(
            {"facilitator": "Choose a staff member, a coach or an alumnus of the program."}
        )
    model_update(group, data=fields)
    return group


@transaction.atomic
def facilitation_release(
    *, program: Program, user: User, now: datetime.datetime | None = None
) -> int:
    """Someone who may no longer facilitate the program's groups (removed from its staff,
    coaches or facilitators, and not an alumnus) stops facilitating them, so they lose the
    access that came with it. Their groups wait for staff to choose someone else."""
    if selectors.eligible_facilitators(program).filter(pk=user.pk).exists():
        return 0
    return PeerGroup.objects.filter(cohort__program=program, facilitator=user).update(
        facilitator=None, updated_at=now or timezone.now()
    )


# --- Meetings ------------------------------------------------------------------------------


@transaction.atomic
def meetings_schedule_series(
    *,
    group: PeerGroup,
    first_date: datetime.date,
    weekday: int,
    start_time: datetime.time,
    duration_minutes: int,
    every_weeks: int,
    count: int,
    location: str = "",
    video_url: str = "",
) -> list[GroupMeeting]:
    cohort = group.cohort
    starts = series_start_times(
        first_date=first_date,
        weekday=weekday,
        start_time=start_time,
        every_weeks=every_weeks,
        count=count,
        time_zone=cohort.time_zone,
    )
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    first_local, last_local = starts[0].astimezone(zone).date(), starts[-1].astimezone(zone).date()
    if first_local < cohort.start_date:
        raise ValidationError(
            {"first_date": f"The cohort starts on {cohort.start_date:%-d %B %Y}."}
        )
    if last_local > cohort.end_date:
        raise ValidationError(
            {
                "count": f"The last meeting would be on {last_local:%-d %B %Y}, after the "
                f"cohort ends on {cohort.end_date:%-d %B %Y}. Schedule fewer meetings."
            }
        )
    series = uuid.uuid4()
    leads = _rotation(group, before=starts[0], count=count)
    meetings = []
    for start, lead in zip(starts, leads, strict=True):
        meeting = GroupMeeting(
            group=group,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=duration_minutes),
            location=location if location else group.location,
            video_url=video_url if video_url else group.video_url,
            lead=lead,
            series=series,
        )
        meeting.full_clean()
        meetings.append(meeting)
    return GroupMeeting.objects.bulk_create(meetings)


def _rotation(
    group: PeerGroup, *, before: datetime.datetime, count: int
) -> list[Enrollment | None]:
    """Who leads each of the next `count` meetings: when facilitation rotates, active
    members in name order, continuing after whoever led the last meeting before `before`."""
    if not group.rotate_facilitation:
        return [None] * count
    members = list(selectors.active_member_enrollments(group))
    if not members:
        return [None] * count
    last = (
        group.meetings.filter(starts_at__lt=before, lead__isnull=False)
        .order_by("-starts_at")
        .values_list("lead_id", flat=True)
        .first()
    )
    ids = [m.pk for m in members]
    start = (ids.index(last) + 1) % len(ids) if last in ids else 0
    return [members[(start + i) % len(members)] for i in range(count)]


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: GroupMeeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    video_url: str,
) -> GroupMeeting:
    if meeting.cancelled_at is not None:
        raise ValidationError("This meeting was cancelled; schedule a new one instead.")
    moved = (meeting.starts_at, meeting.ends_at, meeting.location, meeting.video_url) != (
        starts_at,
        ends_at,
        location,
        video_url,
    )
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location, meeting.video_url = location, video_url
    meeting.full_clean()
    if moved:
        meeting.sequence += 1
    meeting.save()
    if moved:
        hooks.calendar_event_changed(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: GroupMeeting, now: datetime.datetime | None = None) -> GroupMeeting:
    if meeting.cancelled_at is not None:
        return meeting
    meeting.cancelled_at = now or timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    hooks.calendar_event_changed(meeting, cancelled=True)
    return meeting


@transaction.atomic
def attendance_record(
    *,
    meeting: GroupMeeting,
    statuses: dict[int, str],
    by: User,
    now: datetime.datetime | None = None,
) -> list[MeetingAttendance]:
    """Sets each member's attendance (enrollment id → AttendanceStatus)."""
    if meeting.cancelled_at is not None:
        raise ValidationError("Attendance cannot be taken for a cancelled meeting.")
    if meeting.starts_at > (now or timezone.now()):
        raise ValidationError("Attendance can be taken once the meeting has started.")
    members = {e.pk for e in selectors.member_enrollments(meeting.group)}
    unknown = set(statuses) - members
    if unknown:
        raise ValidationError("Attendance can only be recorded for members of the group.")
    if set(statuses.values()) - set(AttendanceStatus.values):
        raise ValidationError("Choose present, absent or excused.")
    rows = []
    for enrollment_id, status in statuses.items():
        row, _ = MeetingAttendance.objects.update_or_create(
            meeting=meeting,
            enrollment_id=enrollment_id,
            defaults={"status": status, "recorded_by": by},
        )
        rows.append(row)
    return rows


@transaction.atomic
def checkin_save(
    *,
    meeting: GroupMeeting,
    enrollment: Enrollment,
    committed: str,
    done: str,
    ask: str,
    next_commitment: str,
    milestones: Iterable[Milestone] = (),
) -> CheckIn:
    """Creates or updates the member's check-in for the meeting."""
    if meeting.cancelled_at is not None:
        raise ValidationError("This meeting was cancelled.")
    if not PeerGroupMembership.objects.filter(
        group=meeting.group_id, enrollment=enrollment
    ).exists():
        raise ValidationError("Only members of the group check in at its meetings.")
    own = set(selectors.milestones_of(enrollment).values_list("pk", flat=True))
    if any(m.pk not in own for m in milestones):
        raise ValidationError({"milestones": "Choose milestones of your own plan."})
    check_in = CheckIn.objects.filter(meeting=meeting, enrollment=enrollment).first() or CheckIn(
        meeting=meeting, enrollment=enrollment
    )
    check_in.committed = committed
    check_in.done = done
    check_in.ask = ask
    check_in.next_commitment = next_commitment
    check_in.full_clean()
    check_in.save()
    check_in.milestones.set(milestones)
    return check_in


# --- Changing groups after they are saved -----------------------------------------------------


@dataclass
class Placement:
    membership: PeerGroupMembership
    moved_from: PeerGroup | None  # None: the fellow had no group before


@transaction.atomic
def membership_place(
    *,
    group: PeerGroup,
    enrollment: Enrollment,
    allow_size: bool = False,
    now: datetime.datetime | None = None,
) -> Placement:
    """Puts an active fellow of the group's cohort into `group`: moves them from their
    current group, or adds them when they have none (a fellow who became active late).
    Works at any time, also once groups have met.

    Rules, counted on *active* members (withdrawn members stay listed for the history but
    no longer meet):
    - **Agency (hard):** never two fellows of one agency in a group. Never overridden.
    - **Size (4–6):** the group joined may not pass 6 and the group left may not drop below
      4. Staff may override the size rule by confirming (`allow_size=True`): a cohort of 31,
      a withdrawal or a late joiner sometimes leaves no better choice, and a group of 3 or 7
      can still meet. The message says what would happen, so the confirmation is informed.

    History stays where it happened: check-ins and attendance belong to meetings, so past
    ones stay with the group they were made in. The fellow no longer leads upcoming meetings
    of the group they leave (those fall back to the facilitator).
    """
    current = (
        PeerGroupMembership.objects.select_related("group").filter(enrollment=enrollment).first()
    )
    # Lock both groups (in id order, so two moves cannot deadlock) before counting members.
    ids = sorted({group.pk} | ({current.group_id} if current else set()))
    list(PeerGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk"))

    if enrollment.cohort_id != group.cohort_id or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(
            {"enrollment": f"{enrollment.user} is not an active fellow of {group.cohort}."}
        )
    if current is not None and current.group_id == group.pk:
        raise ValidationError({"enrollment": f"{enrollment.user} is already in {group}."})
    joining = list(selectors.active_member_enrollments(group))
    errors = agency_clashes([[fellow_for(e) for e in joining] + [fellow_for(enrollment)]])
    if errors:
        raise ValidationError(
            {"enrollment": f"{errors[0].removeprefix('Group 1: ')} Never two in one group."}
        )
    if not allow_size:
        program = group.cohort.program
        smallest, largest = program.group_size_min, program.group_size_max
        problems = []
        if len(joining) + 1 > largest:
            problems.append(f"{group} would have {len(joining) + 1} active members")
        if current is not None:
            left = selectors.active_member_enrollments(current.group).exclude(pk=enrollment.pk)
            remaining = left.count()
            if remaining < smallest:
                problems.append(f"{current.group} would be left with {remaining}")
        if problems:
            raise ValidationError(
                {
                    "allow_size": f"{' and '.join(problems)}; groups have {smallest}–"
                    f"{largest} members. Confirm to place {enrollment.user} anyway."
                },
                code="size",
            )

    if current is None:
        membership = PeerGroupMembership(group=group, enrollment=enrollment)
        membership.full_clean()
        membership.save()
        return Placement(membership=membership, moved_from=None)
    old_group = current.group
    now = now or timezone.now()
    GroupMeeting.objects.filter(
        group=old_group, lead=enrollment, starts_at__gt=now, cancelled_at__isnull=True
    ).update(lead=None, updated_at=now)
    current.group = group
    current.full_clean()
    current.save(update_fields=["group", "updated_at"])
    return Placement(membership=current, moved_from=old_group)


@transaction.atomic
def peer_coaching_record(
    *, meeting: GroupMeeting, coach: Enrollment, coachee: Enrollment, note: str, by: User
) -> PeerCoaching:
    """Logs that one member coached another at this meeting, on the coached member's plan."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: there is nothing to log.")
    entry = PeerCoaching(
        meeting=meeting,
        coach=coach,
        coachee=coachee,
        plan=ActionPlan.objects.filter(enrollment=coachee).first(),
        note=note.strip(),
        recorded_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry
