"""Writes: saving built groups, scheduling series (DST), moving and cancelling meetings,
attendance and check-ins — each refused clearly when it makes no sense, nothing half-saved."""

import datetime
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cohorts.models import EnrollmentStatus
from networks import services
from networks.models import CheckIn, GroupMeeting, MeetingAttendance, PeerGroup
from networks.services import GroupDraft, SaveMode, facilitation_release
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.networks import CheckInFactory, PeerGroupFactory

from .conftest import add_fellows, add_members

UTC = datetime.UTC


# --- Saving groups -------------------------------------------------------------------------


def test_replace_saves_the_new_groups_and_drops_the_old(cast):
    fellows = add_fellows(cast.cohort, 8)
    drafts = [
        GroupDraft(name="Kōkua", enrollments=fellows[:4], facilitator=cast.staff),
        GroupDraft(name="Ceiba", enrollments=fellows[4:], facilitator=cast.coach),
    ]
    services.groups_save(cohort=cast.cohort, drafts=drafts, mode=SaveMode.REPLACE)
    groups = {g.name: g for g in PeerGroup.objects.filter(cohort=cast.cohort)}
    assert set(groups) == {"Kōkua", "Ceiba"}  # the cast's old group is gone
    assert groups["Ceiba"].facilitator == cast.coach
    assert groups["Kōkua"].memberships.count() == 4


def test_replace_is_refused_once_groups_have_met(cast, meeting):
    fellows = add_fellows(cast.cohort, 4)
    with pytest.raises(ValidationError, match="already have meetings"):
        services.groups_save(
            cohort=cast.cohort,
            drafts=[GroupDraft(name="New", enrollments=fellows)],
            mode=SaveMode.REPLACE,
        )
    assert PeerGroup.objects.filter(cohort=cast.cohort).count() == 1


def test_extend_keeps_existing_groups(cast, meeting):
    fellows = add_fellows(cast.cohort, 4)
    services.groups_save(
        cohort=cast.cohort,
        drafts=[GroupDraft(name="Second", enrollments=fellows, facilitator=cast.alumnus)],
        mode=SaveMode.EXTEND,
    )
    assert set(PeerGroup.objects.filter(cohort=cast.cohort).values_list("name", flat=True)) == {
        "Group Kōkua",
        "Second",
    }


def test_extend_refuses_fellows_who_already_have_a_group_and_taken_names(cast):
    with pytest.raises(ValidationError) as error:
        services.groups_save(
            cohort=cast.cohort,
            drafts=[GroupDraft(name="group kōkua", enrollments=[cast.enrollments["fellow"]])],
            mode=SaveMode.EXTEND,
        )
    assert "already has a group called group kōkua" in str(error.value)
    assert "already in a group" in str(error.value)


def test_two_fellows_of_one_agency_cannot_be_saved_together(cast):
    fellows = add_fellows(cast.cohort, 4)
    fellows[1].agency = "  agency 0 "
    fellows[1].save()
    with pytest.raises(ValidationError) as error:
        services.groups_save(
            cohort=cast.cohort, drafts=[GroupDraft(name="A", enrollments=fellows)], mode="replace"
        )
    assert "both work at" in str(error.value)
    # Nothing half-saved: the old group is still there.
    assert list(PeerGroup.objects.filter(cohort=cast.cohort)) == [cast.group]


def test_facilitator_must_be_staff_coach_or_alumnus(cast):
    fellows = add_fellows(cast.cohort, 4)
    with pytest.raises(ValidationError, match="cannot facilitate"):
        services.groups_save(
            cohort=cast.cohort,
            drafts=[GroupDraft(name="A", enrollments=fellows, facilitator=cast.classmate)],
            mode="replace",
        )
    with pytest.raises(ValidationError, match="cannot facilitate"):
        services.groups_save(
            cohort=cast.cohort,
            drafts=[GroupDraft(name="A", enrollments=fellows, facilitator=cast.other_staff)],
            mode="replace",
        )


def test_withdrawn_fellows_and_oversized_or_empty_groups_are_refused(cast):
    fellows = add_fellows(cast.cohort, 7)
    with pytest.raises(ValidationError) as error:
        services.groups_save(
            cohort=cast.cohort,
            drafts=[
                GroupDraft(name="Big", enrollments=fellows + [cast.enrollments["withdrawn"]]),
                GroupDraft(name="Empty", enrollments=[]),
            ],
            mode="replace",
        )
    text = str(error.value)
    assert "not an active fellow" in text
    assert "at most 6" in text
    assert "has no members" in text


def test_one_group_per_fellow_is_also_a_database_rule(cast):
    from networks.models import PeerGroupMembership

    other = PeerGroup.objects.create(cohort=cast.cohort, name="Other")
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerGroupMembership.objects.create(group=other, enrollment=cast.enrollments["fellow"])


def test_group_update_checks_the_facilitator_and_turn_length(group, cast):
    with pytest.raises(ValidationError) as error:
        services.group_update(group=group, facilitator=cast.peer)
    assert "facilitator" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.group_update(group=group, turn_minutes=0)
    assert "turn_minutes" in error.value.error_dict
    services.group_update(group=group, facilitator=cast.coach, turn_minutes=10)
    group.refresh_from_db()
    assert (group.facilitator, group.turn_minutes) == (cast.coach, 10)


def test_turn_minutes_range_is_a_database_rule(group):
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerGroup.objects.filter(pk=group.pk).update(turn_minutes=0)


# --- Meetings --------------------------------------------------------------------------------


def test_series_keeps_wall_clock_time_across_daylight_saving(group):
    """Tuesdays at noon New York time, every two weeks, across the 1 November 2026 change."""
    meetings = services.meetings_schedule_series(
        group=group,
        first_date=datetime.date(2026, 10, 5),  # a Monday: the first Tuesday is 6 October
        weekday=1,
        start_time=datetime.time(12, 0),
        duration_minutes=75,
        every_weeks=2,
        count=4,
    )
    zone = zoneinfo.ZoneInfo("America/New_York")
    local = [m.starts_at.astimezone(zone) for m in meetings]
    assert [d.date() for d in local] == [
        datetime.date(2026, 10, 6),
        datetime.date(2026, 10, 20),
        datetime.date(2026, 11, 3),
        datetime.date(2026, 11, 17),
    ]
    assert all(d.hour == 12 and d.minute == 0 for d in local)
    # UTC moves by an hour when daylight saving ends.
    assert meetings[0].starts_at.astimezone(UTC).hour == 16
    assert meetings[2].starts_at.astimezone(UTC).hour == 17
    assert meetings[0].ends_at - meetings[0].starts_at == datetime.timedelta(minutes=75)
    assert len({m.series for m in meetings}) == 1
    assert meetings[0].video_url == group.video_url


def test_series_must_stay_inside_the_cohort(group):
    with pytest.raises(ValidationError) as error:
        services.meetings_schedule_series(
            group=group,
            first_date=datetime.date(2027, 6, 1),
            weekday=1,
            start_time=datetime.time(12),
            duration_minutes=60,
            every_weeks=4,
            count=10,
        )
    assert "after the cohort ends" in error.value.message_dict["count"][0]
    with pytest.raises(ValidationError) as error:
        services.meetings_schedule_series(
            group=group,
            first_date=datetime.date(2026, 6, 1),
            weekday=1,
            start_time=datetime.time(12),
            duration_minutes=60,
            every_weeks=4,
            count=2,
        )
    assert "first_date" in error.value.message_dict
    assert not GroupMeeting.objects.exists()


def test_facilitation_rotates_among_active_members(group, cast):
    group.rotate_facilitation = True
    group.save()
    kwargs = {
        "group": group,
        "weekday": 1,
        "start_time": datetime.time(12),
        "duration_minutes": 60,
        "every_weeks": 1,
    }
    first = services.meetings_schedule_series(
        first_date=datetime.date(2026, 10, 1), count=3, **kwargs
    )
    # Fiona Fellow, Pedro Peer (name order), then Fiona again.
    assert [m.lead.user for m in first] == [cast.fellow, cast.peer, cast.fellow]
    more = services.meetings_schedule_series(
        first_date=datetime.date(2026, 11, 1), count=1, **kwargs
    )
    assert more[0].lead.user == cast.peer  # continues after the last lead


def test_meeting_must_end_after_it_starts(group):
    start = datetime.datetime(2026, 10, 6, 16, tzinfo=UTC)
    meeting = GroupMeeting(group=group, starts_at=start, ends_at=start)
    with pytest.raises(ValidationError, match="end after it starts"):
        meeting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_reschedule_bumps_sequence_and_tells_the_group(meeting):
    with mock.patch("networks.services.hooks.calendar_event_changed") as hook:
        services.meeting_reschedule(
            meeting=meeting,
            starts_at=meeting.starts_at + datetime.timedelta(days=1),
            ends_at=meeting.ends_at + datetime.timedelta(days=1),
            location="",
            video_url=meeting.video_url,
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    hook.assert_called_once_with(meeting)


def test_saving_an_unchanged_meeting_tells_nobody(meeting):
    with mock.patch("networks.services.hooks.calendar_event_changed") as hook:
        services.meeting_reschedule(
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            location=meeting.location,
            video_url=meeting.video_url,
        )
    assert meeting.sequence == 0
    hook.assert_not_called()


def test_cancel_bumps_sequence_and_sends_a_cancellation(meeting):
    with mock.patch("networks.services.hooks.calendar_event_changed") as hook:
        services.meeting_cancel(meeting=meeting)
        services.meeting_cancel(meeting=meeting)  # twice: no second notice
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    assert meeting.sequence == 1
    hook.assert_called_once_with(meeting, cancelled=True)


def test_calendar_interface(meeting, cast):
    meeting.location = "Room 4, State Capitol"
    assert meeting.calendar_title == "Group Kōkua — peer group meeting"
    assert meeting.location_text == "Room 4, State Capitol"
    assert meeting.get_absolute_url().endswith(f"/groups/meetings/{meeting.code}/")
    # Active members and the facilitator; not a withdrawn member.
    add_members(meeting.group, 1)
    withdrawn = add_members(meeting.group, 1, start=50)[0]
    withdrawn.status, withdrawn.withdrawn_on = (
        EnrollmentStatus.WITHDRAWN,
        datetime.date(2026, 10, 1),
    )
    withdrawn.save()
    attendees = set(meeting.expected_attendees())
    assert {cast.fellow, cast.peer, cast.alumnus} <= attendees
    assert withdrawn.user not in attendees
    assert len(attendees) == 4


# --- Attendance and check-ins ---------------------------------------------------------------


@time_machine.travel("2026-10-06 23:00:00+00:00", tick=False)
def test_attendance_is_recorded_and_updated(meeting, cast):
    fellow, peer = cast.enrollments["fellow"], cast.enrollments["peer"]
    services.attendance_record(
        meeting=meeting, statuses={fellow.pk: "present", peer.pk: "absent"}, by=cast.alumnus
    )
    services.attendance_record(meeting=meeting, statuses={peer.pk: "excused"}, by=cast.alumnus)
    rows = {a.enrollment_id: a.status for a in MeetingAttendance.objects.all()}
    assert rows == {fellow.pk: "present", peer.pk: "excused"}


@time_machine.travel("2026-10-01 12:00:00+00:00", tick=False)
def test_attendance_waits_for_the_meeting_and_only_for_members(meeting, cast):
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.attendance_record(
            meeting=meeting, statuses={cast.enrollments["fellow"].pk: "present"}, by=cast.staff
        )
    with time_machine.travel("2026-10-07 12:00:00+00:00"), pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting, statuses={cast.enrollments["classmate"].pk: "present"}, by=None
        )


def test_check_in_is_saved_once_per_member_and_points_at_own_milestones(meeting, cast):
    from action_plans.models import Goal, Milestone

    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    goal = Goal.objects.create(plan=plan, title="Data sharing")
    own = Milestone.objects.create(
        goal=goal, title="MOU signed", due_date=datetime.date(2027, 1, 1)
    )
    other_plan = ActionPlanFactory(enrollment=cast.enrollments["peer"])
    other = Milestone.objects.create(
        goal=Goal.objects.create(plan=other_plan, title="G"),
        title="Theirs",
        due_date=datetime.date(2027, 1, 1),
    )
    fields = {"committed": "", "done": "Met legal.", "ask": "", "next_commitment": "Draft the MOU."}
    with pytest.raises(ValidationError, match="your own plan"):
        services.checkin_save(
            meeting=meeting, enrollment=cast.enrollments["fellow"], milestones=[other], **fields
        )
    services.checkin_save(
        meeting=meeting, enrollment=cast.enrollments["fellow"], milestones=[own], **fields
    )
    fields["done"] = "Met legal and the tribal liaison."
    services.checkin_save(
        meeting=meeting, enrollment=cast.enrollments["fellow"], milestones=[own], **fields
    )
    check_in = CheckIn.objects.get()
    assert check_in.done == "Met legal and the tribal liaison."
    assert list(check_in.milestones.all()) == [own]
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(meeting=meeting, enrollment=cast.enrollments["fellow"])


def test_check_in_is_refused_for_non_members_and_cancelled_meetings(meeting, cast):
    fields = {"committed": "", "done": "x", "ask": "", "next_commitment": "y"}
    with pytest.raises(ValidationError, match="Only members"):
        services.checkin_save(meeting=meeting, enrollment=cast.enrollments["classmate"], **fields)
    services.meeting_cancel(meeting=meeting)
    with pytest.raises(ValidationError, match="cancelled"):
        services.checkin_save(meeting=meeting, enrollment=cast.enrollments["fellow"], **fields)


def test_check_in_needs_what_was_done_and_the_next_commitment(meeting, cast):
    with pytest.raises(ValidationError) as error:
        services.checkin_save(
            meeting=meeting,
            enrollment=cast.enrollments["fellow"],
            committed="",
            done="",
            ask="",
            next_commitment="",
        )
    assert {"done", "next_commitment"} <= set(error.value.message_dict)


# --- Facilitation ends with the role that allowed it -----------------------------------------


def test_staff_removed_from_the_program_stop_facilitating_its_groups(cast):
    from cohorts.models import ProgramStaff, StaffRole
    from cohorts.services import program_staff_remove
    from tests.factories.cohorts import ProgramStaffFactory

    ProgramStaffFactory(program=cast.program, role=StaffRole.DIRECTOR)
    cast.group.facilitator = cast.staff
    cast.group.save()

    program_staff_remove(
        membership=ProgramStaff.objects.get(program=cast.program, user=cast.staff), by=cast.staff
    )

    cast.group.refresh_from_db()
    assert cast.group.facilitator is None


def test_a_coach_taken_off_the_program_stops_facilitating_but_an_alumnus_does_not(cast):
    from coaching.models import CoachAssignment
    from coaching.services import coach_program_remove

    CoachAssignment.objects.filter(coach=cast.other_coach).delete()
    other_group = PeerGroupFactory(cohort=cast.cohort, name="Group Two", facilitator=cast.alumnus)
    cast.group.facilitator = cast.other_coach
    cast.group.save()

    coach_program_remove(profile=cast.other_coach.coach_profile, program=cast.program)
    assert facilitation_release(program=cast.program, user=cast.alumnus) == 0

    cast.group.refresh_from_db()
    other_group.refresh_from_db()
    assert cast.group.facilitator is None
    assert other_group.facilitator == cast.alumnus
