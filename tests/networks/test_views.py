"""Pages as staff, facilitators and fellows use them: building groups, the group page, the
meeting protocol, check-ins, scheduling — and what each may not see."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from action_plans.models import Goal, Milestone, MilestoneStatus, PlanVisibility
from cohorts.models import Cohort
from networks.models import CheckIn, GroupMeeting, MeetingAttendance, PeerGroup
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.networks import CheckInFactory, GroupMeetingFactory, MeetingAttendanceFactory
from tests.queries import assert_stable_queries

from .conftest import MEETING_START, add_fellows, add_members

NOW = "2026-10-20 12:00:00+00:00"  # after the fixture meeting, inside the cohort


def _build_url(cast):
    return reverse("networks:build_groups", kwargs={"code": cast.cohort.code})


# --- Building groups -----------------------------------------------------------------------


def test_staff_see_a_proposal_with_every_active_fellow(client_for, cast):
    add_fellows(cast.cohort, 10)
    body = client_for("staff").get(_build_url(cast), {"size": 4, "seed": 3, "mode": "replace"})
    text = body.content.decode()
    assert "13 fellows in 3 groups" in text  # 10 + fellow, peer, classmate
    assert "Will Withdrawn" not in text
    assert text.count('name="name_') == 3


def test_a_proposal_that_cannot_keep_agencies_apart_says_why(client_for, cast):
    add_fellows(cast.cohort, 5)
    for enrollment in cast.cohort.enrollments.filter(status="active")[:3]:
        enrollment.agency = "Hawaii Medicaid"
        enrollment.save()
    text = (
        client_for("staff")
        .get(_build_url(cast), {"size": 4, "seed": 1, "mode": "replace"})
        .content.decode()
    )
    assert "No proposal" in text
    assert "4 fellows come from Hawaii Medicaid" in text  # Fiona's agency and three more


def _review_data(cast, fellows, assignment, mode="replace"):
    data = {"size": 4, "seed": 1, "mode": mode, "count": 2}
    data.update({"name_0": "Ceiba", "name_1": "Kōkua", "facilitator_0": cast.staff.pk})
    data["facilitator_1"] = cast.coach.pk
    for enrollment, index in zip(fellows, assignment, strict=True):
        data[f"fellow_{enrollment.code}"] = str(index)
    return data


def _roster(cast):
    return list(cast.cohort.enrollments.filter(status="active").order_by("user__full_name"))


def test_staff_move_a_fellow_and_save(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)  # 9 active fellows
    assignment = [0, 0, 0, 0, 0, 1, 1, 1, 1]
    response = client_for("staff").post(_build_url(cast), _review_data(cast, roster, assignment))
    assert response.status_code == 302
    groups = {g.name: g for g in PeerGroup.objects.filter(cohort=cast.cohort)}
    assert set(groups) == {"Ceiba", "Kōkua"}
    assert {m.enrollment for m in groups["Ceiba"].memberships.all()} == set(roster[:5])
    assert groups["Kōkua"].facilitator == cast.coach


def test_saving_two_of_one_agency_together_is_refused_next_to_the_groups(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    roster[1].agency = roster[0].agency.upper()
    roster[1].save()
    response = client_for("staff").post(
        _build_url(cast), _review_data(cast, roster, [0, 0, 0, 0, 0, 1, 1, 1, 1])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The groups were not saved" in text
    assert "both work at" in text
    assert list(PeerGroup.objects.filter(cohort=cast.cohort)) == [cast.group]


def test_replacing_groups_that_have_met_is_refused(client_for, cast, meeting):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    response = client_for("staff").post(
        _build_url(cast), _review_data(cast, roster, [0, 0, 0, 0, 0, 1, 1, 1, 1])
    )
    assert "already have meetings" in response.content.decode()


def test_extend_groups_only_fellows_without_a_group(client_for, cast):
    add_fellows(cast.cohort, 8)
    text = (
        client_for("staff")
        .get(_build_url(cast), {"size": 4, "seed": 1, "mode": "extend"})
        .content.decode()
    )
    assert "9 fellows in 2 groups" in text  # the 8 new ones and the classmate
    assert "Fiona Fellow" not in text


# --- The group page -------------------------------------------------------------------------


def _plan(enrollment, visibility, done=1, total=3):
    plan = ActionPlanFactory(
        enrollment=enrollment, title=f"Plan of {enrollment.user}", visibility=visibility
    )
    goal = Goal.objects.create(plan=plan, title="Goal")
    for i in range(total):
        Milestone.objects.create(
            goal=goal,
            title=f"Milestone {i}",
            due_date=datetime.date(2027, 1, 1),
            status=MilestoneStatus.DONE if i < done else MilestoneStatus.IN_PROGRESS,
            completed_on=datetime.date(2026, 10, 1) if i < done else None,
        )
    return plan


def test_group_page_shows_plans_as_their_visibility_allows(client_for, cast, group):
    _plan(cast.enrollments["fellow"], PlanVisibility.PRIVATE)
    _plan(cast.enrollments["peer"], PlanVisibility.PEER_GROUP, done=2)
    url = group.get_absolute_url()

    as_peer = client_for("peer").get(url).content.decode()
    assert "Plan of Pedro Peer" in as_peer
    assert "2 of 3" in as_peer
    assert "Plan of Fiona Fellow" not in as_peer
    assert "Plan not shared with you" in as_peer

    as_fellow = client_for("fellow").get(url).content.decode()
    assert "Plan of Fiona Fellow" in as_fellow  # her own

    as_staff = client_for("staff").get(url).content.decode()
    assert "Plan of Fiona Fellow" in as_staff and "Plan of Pedro Peer" in as_staff

    # The facilitator follows the action plans app's rule: not in PRODUCT.md's plan row.
    as_facilitator = client_for("alumnus").get(url).content.decode()
    assert "Plan of Fiona Fellow" not in as_facilitator


@time_machine.travel(NOW, tick=False)
def test_group_page_shows_upcoming_meetings_and_check_in_history(client_for, cast, meeting):
    CheckInFactory(
        meeting=meeting, enrollment=cast.enrollments["peer"], next_commitment="Call the AG's office"
    )
    upcoming = GroupMeetingFactory(
        group=meeting.group, starts_at=MEETING_START + datetime.timedelta(weeks=4)
    )
    cancelled = GroupMeetingFactory(
        group=meeting.group, starts_at=MEETING_START + datetime.timedelta(weeks=6)
    )
    cancelled.cancelled_at = MEETING_START
    cancelled.save()
    text = client_for("fellow").get(meeting.group.get_absolute_url()).content.decode()
    assert upcoming.get_absolute_url() in text
    assert cancelled.get_absolute_url() not in text
    assert "Call the AG&#x27;s office" in text
    # Shown in the viewer's zone (New York, daylight time in October), zone named.
    assert "Tue 3 Nov 2026, 5:00 PM EST" in text


@time_machine.travel(NOW, tick=False)
def test_group_page_shows_each_check_ins_milestones_and_who_leads_next(client_for, cast, meeting):
    plan = _plan(cast.enrollments["peer"], PlanVisibility.PEER_GROUP)
    check_in = CheckInFactory(meeting=meeting, enrollment=cast.enrollments["peer"])
    check_in.milestones.set(
        plan.goals.get().milestones.filter(title__in=["Milestone 2", "Milestone 0"])
    )
    GroupMeetingFactory(
        group=meeting.group,
        starts_at=MEETING_START + datetime.timedelta(weeks=4),
        lead=cast.enrollments["fellow"],
    )
    text = client_for("peer").get(meeting.group.get_absolute_url()).content.decode()
    assert "Milestone 0; Milestone 2</dd>" in text
    assert "led by Fiona Fellow" in text


def test_group_pages_of_two_groups_each_show_their_own_members(client_for, cast, group):
    other = PeerGroup.objects.create(cohort=cast.cohort, name="Other group")
    add_members(other, 2)
    staff = client_for("staff")
    mine = staff.get(group.get_absolute_url()).content.decode()
    theirs = staff.get(other.get_absolute_url()).content.decode()
    assert "Pedro Peer" in mine and "Pedro Peer" not in theirs
    assert other.memberships.first().enrollment.user.full_name in theirs


@time_machine.travel(NOW, tick=False)
def test_group_page_history_counts_each_meetings_attendance(client_for, cast, meeting):
    """A ✓ per member present and the marks recorded; a meeting without marks says so."""
    for role, status in [("fellow", "present"), ("peer", "present"), ("alumnus", "absent")]:
        MeetingAttendanceFactory(meeting=meeting, enrollment=cast.enrollments[role], status=status)
    GroupMeetingFactory(group=meeting.group, starts_at=MEETING_START + datetime.timedelta(days=7))
    text = client_for("fellow").get(meeting.group.get_absolute_url()).content.decode()
    assert "✓✓ 3 recorded" in text
    assert text.count("attendance not taken") == 1


def test_fellows_see_only_their_own_group(client_for, cast):
    other = PeerGroup.objects.create(cohort=cast.cohort, name="Other group")
    add_members(other, 4)
    assert client_for("fellow").get(other.get_absolute_url()).status_code == 404
    assert client_for("coach").get(cast.group.get_absolute_url()).status_code == 404
    assert client_for("staff").get(other.get_absolute_url()).status_code == 200


def test_group_edit_saves_and_refuses_a_fellow_as_facilitator(client_for, cast, group):
    url = reverse("networks:group_edit", kwargs={"code": group.code})
    data = {"name": "Kōkua", "facilitator": cast.coach.pk, "turn_minutes": 7}
    data |= {"video_url": "https://meet.example.org/k", "location": ""}
    assert client_for("staff").post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.facilitator, group.turn_minutes) == ("Kōkua", cast.coach, 7)
    data["facilitator"] = cast.classmate.pk
    response = client_for("staff").post(url, data)
    assert "Select a valid choice" in response.content.decode()


# --- Meetings -------------------------------------------------------------------------------


def test_facilitator_schedules_a_series(client_for, cast, group):
    url = reverse("networks:meeting_schedule", kwargs={"code": group.code})
    data = {
        "first_date": "2026-10-01",
        "weekday": 2,
        "start_time": "17:30",
        "duration_minutes": 60,
        "every_weeks": 3,
        "count": 5,
    }
    response = client_for("alumnus").post(url, data)
    assert response.status_code == 302
    assert GroupMeeting.objects.filter(group=group).count() == 5


def test_schedule_refuses_nonsense_with_messages_next_to_fields(client_for, group):
    url = reverse("networks:meeting_schedule", kwargs={"code": group.code})
    data = {
        "first_date": "2027-08-01",
        "weekday": 2,
        "start_time": "17:30",
        "duration_minutes": 5,
        "every_weeks": 3,
        "count": 5,
    }
    text = client_for("staff").post(url, data).content.decode()
    assert "greater than or equal to 15" in text
    data["duration_minutes"] = 60
    text = client_for("staff").post(url, data).content.decode()
    assert "after the cohort ends" in text
    assert not GroupMeeting.objects.exists()


def test_moving_a_meeting_refuses_an_end_before_the_start(client_for, meeting):
    url = reverse("networks:meeting_edit", kwargs={"code": meeting.code})
    data = {"date": "2026-10-08", "start_time": "18:00", "end_time": "17:00", "video_url": ""}
    text = client_for("staff").post(url, data).content.decode()
    assert "must end after it starts" in text
    data["end_time"] = "19:15"
    assert client_for("staff").post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.starts_at == datetime.datetime(2026, 10, 8, 22, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_meeting_page_runs_the_protocol_in_order_with_time_boxes(client_for, cast, meeting):
    meeting.lead = cast.enrollments["fellow"]
    meeting.save()
    CheckInFactory(
        meeting=meeting, enrollment=cast.enrollments["fellow"], next_commitment="Brief the board"
    )
    text = client_for("alumnus").get(meeting.get_absolute_url()).content.decode()
    # Pedro takes the first turn: Fiona leads, so she speaks last.
    assert text.index("Pedro Peer's turn") < text.index("Fiona Fellow's turn")
    assert 'data-seconds="480"' in text  # 8 minutes each
    assert "Brief the board" in text
    assert "js/networks.js" in text
    assert "Save attendance" in text


@time_machine.travel(NOW, tick=False)
def test_attendance_is_saved_from_the_meeting_page(client_for, cast, meeting):
    url = reverse("networks:meeting_attendance", kwargs={"code": meeting.code})
    fellow, peer = cast.enrollments["fellow"], cast.enrollments["peer"]
    data = {f"member_{fellow.pk}": "present", f"member_{peer.pk}": "excused"}
    assert client_for("alumnus").post(url, data).status_code == 302
    assert dict(MeetingAttendance.objects.values_list("enrollment_id", "status")) == {
        fellow.pk: "present",
        peer.pk: "excused",
    }
    response = client_for("alumnus").post(url, {f"member_{fellow.pk}": "late"}, follow=True)
    assert "Choose present, absent or excused" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_rotating_lead_may_take_attendance(client_for, cast, meeting):
    meeting.lead = cast.enrollments["peer"]
    meeting.save()
    url = reverse("networks:meeting_attendance", kwargs={"code": meeting.code})
    data = {f"member_{cast.enrollments['fellow'].pk}": "present"}
    data[f"member_{cast.enrollments['peer'].pk}"] = "present"
    assert client_for("peer").post(url, data).status_code == 302
    assert client_for("fellow").post(url, data).status_code == 403


def test_cancel_from_the_meeting_page(client_for, meeting):
    url = reverse("networks:meeting_cancel", kwargs={"code": meeting.code})
    assert client_for("staff").get(url).status_code == 405
    assert client_for("staff").post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None


# --- Check-ins ------------------------------------------------------------------------------


def test_check_in_is_prefilled_from_the_previous_commitment(client_for, cast, meeting):
    CheckInFactory(
        meeting=meeting, enrollment=cast.enrollments["fellow"], next_commitment="Draft the MOU"
    )
    later = GroupMeetingFactory(
        group=meeting.group, starts_at=MEETING_START + datetime.timedelta(weeks=2)
    )
    url = reverse("networks:check_in", kwargs={"code": later.code})
    text = client_for("fellow").get(url).content.decode()
    assert "Draft the MOU</textarea>" in text


def test_fellow_records_a_check_in_tied_to_a_milestone(client_for, cast, meeting):
    plan = _plan(cast.enrollments["fellow"], PlanVisibility.PEER_GROUP)
    milestone = plan.goals.get().milestones.first()
    url = reverse("networks:check_in", kwargs={"code": meeting.code})
    data = {
        "committed": "Draft the MOU",
        "done": "Drafted it; <b>legal</b> is reviewing.",
        "ask": "Who has negotiated one with a tribal nation?",
        "next_commitment": "Sign the MOU",
        "milestones": [milestone.pk],
    }
    response = client_for("fellow").post(url, data)
    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    assert list(check_in.milestones.all()) == [milestone]
    page = client_for("peer").get(meeting.get_absolute_url()).content.decode()
    assert "Sign the MOU" in page
    assert "&lt;b&gt;legal&lt;/b&gt;" in page


def test_check_in_refuses_a_milestone_of_someone_elses_plan(client_for, cast, meeting):
    _plan(cast.enrollments["fellow"], PlanVisibility.COHORT)
    other = _plan(cast.enrollments["peer"], PlanVisibility.COHORT).goals.get().milestones.first()
    url = reverse("networks:check_in", kwargs={"code": meeting.code})
    data = {"done": "x", "next_commitment": "y", "milestones": [other.pk]}
    text = client_for("fellow").post(url, data).content.decode()
    # Next to the milestones field, in words a fellow understands.
    error = _field_error(text, "milestones")
    assert "Choose only milestones of your own action plan" in error
    assert not CheckIn.objects.exists()


def _field_error(html: str, name: str) -> str:
    """The text of the error block of field `name` (crispy's or our own markup)."""
    start = html.index(f'id="id_{name}_error"')
    return html[start : html.index("</div>", start)]


def test_check_in_with_a_milestone_when_the_plan_has_none_says_so_next_to_the_field(
    client_for, cast, meeting
):
    other = _plan(cast.enrollments["peer"], PlanVisibility.COHORT).goals.get().milestones.first()
    url = reverse("networks:check_in", kwargs={"code": meeting.code})
    data = {"done": "x", "next_commitment": "y", "milestones": [other.pk]}
    response = client_for("fellow").post(url, data)
    assert response.status_code == 200
    error = _field_error(response.content.decode(), "milestones")
    assert "Your action plan has no milestones yet" in error
    assert not CheckIn.objects.exists()
    # Without a milestone the same check-in is saved.
    del data["milestones"]
    assert client_for("fellow").post(url, data).status_code == 302


def test_check_in_needs_what_was_done(client_for, meeting):
    url = reverse("networks:check_in", kwargs={"code": meeting.code})
    text = client_for("fellow").post(url, {"done": "", "next_commitment": ""}).content.decode()
    assert "This field is required" in text


# --- Panels on other apps' pages -------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_fellow_home_shows_my_group_next_meeting_and_last_commitment(client_for, cast, meeting):
    CheckInFactory(
        meeting=meeting, enrollment=cast.enrollments["fellow"], next_commitment="Brief the board"
    )
    GroupMeetingFactory(group=meeting.group, starts_at=MEETING_START + datetime.timedelta(weeks=4))
    text = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "My peer group" in text
    assert "Group Kōkua" in text
    assert "Tue 3 Nov 2026" in text
    assert "Brief the board" in text


def test_cohort_page_offers_staff_the_builder_and_fellows_their_group(client_for, cast):
    url = cast.cohort.get_absolute_url()
    staff = client_for("staff").get(url).content.decode()
    assert reverse("networks:build_groups", kwargs={"code": cast.cohort.code}) in staff
    assert "1 group · 2 of 3 active fellows placed" in staff
    fellow = client_for("fellow").get(url).content.decode()
    assert cast.group.get_absolute_url() in fellow
    assert "Build groups" not in fellow
    coach = client_for("coach").get(url).content.decode()
    assert cast.group.get_absolute_url() not in coach


def test_enrollment_page_shows_the_group_to_staff_and_the_fellow_not_the_coach(client_for, cast):
    url = cast.enrollments["fellow"].get_absolute_url()
    assert "Group Kōkua" in client_for("staff").get(url).content.decode()
    assert "Group Kōkua" in client_for("fellow").get(url).content.decode()
    assert "Group Kōkua" not in client_for("coach").get(url).content.decode()


# --- Query counts ---------------------------------------------------------------------------


@pytest.fixture
def busy_group(cast, group):
    """A group with plans, meetings, attendance and check-ins; grow(n) adds n times more."""

    def grow(times):
        for _ in range(times):
            for enrollment in add_members(group, 1, start=PeerGroup.objects.count() * 100):
                _plan(enrollment, PlanVisibility.PEER_GROUP)
            start = MEETING_START + datetime.timedelta(weeks=GroupMeeting.objects.count() * 2)
            for when in (start, start + datetime.timedelta(days=400)):
                meeting = GroupMeetingFactory(group=group, starts_at=when)
                for enrollment in cast.cohort.enrollments.filter(
                    peer_group_memberships__group=group
                ):
                    CheckInFactory(meeting=meeting, enrollment=enrollment)
                    MeetingAttendanceFactory(meeting=meeting, enrollment=enrollment)

    grow(1)
    return grow


@time_machine.travel(NOW, tick=True)
def test_group_page_query_count_is_stable(client_for, busy_group, group):
    client = client_for("peer")
    assert_stable_queries(lambda: client.get(group.get_absolute_url()), busy_group)


@time_machine.travel(NOW, tick=True)
def test_meeting_page_query_count_is_stable(client_for, cast, busy_group, group):
    meeting = GroupMeeting.objects.filter(group=group).first()
    client = client_for("alumnus")
    assert_stable_queries(lambda: client.get(meeting.get_absolute_url()), busy_group)


@time_machine.travel(NOW, tick=True)
def test_cohort_groups_and_my_groups_query_counts_are_stable(client_for, cast, busy_group):
    def more_groups(times):
        busy_group(times)
        for _ in range(times):
            n = PeerGroup.objects.count()
            extra = PeerGroup.objects.create(
                cohort=cast.cohort, name=f"Extra {n}", facilitator=cast.alumnus
            )
            add_members(extra, 2, start=1000 + 10 * n)

    url = reverse("networks:cohort_groups", kwargs={"code": cast.cohort.code})
    # Signed in once, outside the measured requests: a sign-in's own queries (session key,
    # audit entry) are not the page's.
    staff = client_for("staff")
    assert_stable_queries(lambda: staff.get(url), more_groups)
    mine = reverse("networks:my_groups")
    alumnus = client_for("alumnus")
    assert_stable_queries(lambda: alumnus.get(mine), more_groups)


def test_builder_page_query_count_is_stable(client_for, cast):
    add_fellows(cast.cohort, 6)
    url = _build_url(cast)
    params = {"size": 4, "seed": 1, "mode": "replace"}
    client = client_for("staff")
    assert_stable_queries(
        lambda: client.get(url, params),
        lambda times: add_fellows(cast.cohort, 6 * times, start=100),
    )


def test_check_in_page_query_count_is_stable(client_for, cast, busy_group, group):
    meeting = GroupMeeting.objects.filter(group=group).last()
    url = reverse("networks:check_in", kwargs={"code": meeting.code})
    client = client_for("fellow")
    assert_stable_queries(lambda: client.get(url), busy_group)


@pytest.fixture
def grow_program(cast, busy_group):
    """busy_group's growth plus more people who may facilitate (alumni, coaches, invited
    facilitators): the facilitator menu of the group edit page grows with them."""
    from tests.factories.accounts import UserFactory
    from tests.factories.coaching import CoachProfileFactory
    from tests.factories.cohorts import EnrollmentFactory

    def grow(times):
        busy_group(times)
        for _ in range(times):
            EnrollmentFactory(cohort=cast.past_cohort, status="completed")
            CoachProfileFactory(user=UserFactory(), programs=[cast.program])
            cast.program.facilitators.add(UserFactory())

    return grow


@time_machine.travel(NOW, tick=True)
def test_group_edit_page_query_count_is_stable(client_for, grow_program, group):
    url = reverse("networks:group_edit", kwargs={"code": group.code})
    client = client_for("staff")
    assert_stable_queries(lambda: client.get(url), grow_program)


@time_machine.travel(NOW, tick=True)
def test_schedule_meetings_page_query_count_is_stable(client_for, grow_program, group):
    url = reverse("networks:meeting_schedule", kwargs={"code": group.code})
    client = client_for("alumnus")
    assert_stable_queries(lambda: client.get(url), grow_program)


@time_machine.travel(NOW, tick=True)
def test_move_meeting_page_query_count_is_stable(client_for, grow_program, group):
    meeting = GroupMeeting.objects.filter(group=group).first()
    url = reverse("networks:meeting_edit", kwargs={"code": meeting.code})
    client = client_for("staff")
    assert_stable_queries(lambda: client.get(url), grow_program)


@pytest.mark.parametrize(
    "name, role, target",
    [
        ("networks:group_edit", "staff", "group"),
        ("networks:meeting_schedule", "staff", "group"),
        ("networks:meeting_edit", "staff", "meeting"),
        ("networks:check_in", "fellow", "meeting"),
    ],
)
def test_an_empty_post_says_what_is_missing_next_to_the_fields(
    client_for, meeting, name, role, target
):
    code = (meeting.group if target == "group" else meeting).code
    response = client_for(role).post(reverse(name, kwargs={"code": code}), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_scheduling_starts_from_the_cohorts_meeting_pattern(client_for, cast, group):
    Cohort.objects.filter(pk=cast.cohort.pk).update(
        group_meeting_every_weeks=4,
        group_meeting_weekday=0,
        group_meeting_time=datetime.time(8, 15),
        group_meeting_minutes=45,
    )
    url = reverse("networks:meeting_schedule", kwargs={"code": group.code})
    body = client_for("staff").get(url).content.decode()
    assert 'name="every_weeks" value="4"' in body
    assert '<option value="0" selected>Monday</option>' in body
    assert 'name="start_time" value="08:15"' in body
    assert 'name="duration_minutes" value="45"' in body
    groups_page = client_for("staff").get(
        reverse("networks:cohort_groups", kwargs={"code": cast.cohort.code})
    )
    assert "Every 4 weeks on Monday at 08:15 for 45 minutes (America/New_York)" in (
        groups_page.content.decode()
    )


def test_without_a_pattern_scheduling_starts_from_the_usual_defaults(client_for, group):
    url = reverse("networks:meeting_schedule", kwargs={"code": group.code})
    body = client_for("staff").get(url).content.decode()
    assert 'name="every_weeks" value="2"' in body
    assert 'name="duration_minutes" value="75"' in body
