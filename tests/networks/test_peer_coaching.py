"""The peer-coaching log of a meeting: members log who coached whom on whose plan; the
group (members and facilitator) reads the notes; program staff see only that it happened."""

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import PeerCoaching
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.networks import GroupMeetingFactory
from tests.queries import assert_stable_queries

from .conftest import add_members


@pytest.fixture
def meeting(cast):
    cast.group.facilitator = cast.alumnus
    cast.group.save()
    return GroupMeetingFactory(group=cast.group)


def _url(meeting):
    return reverse("networks:peer_coaching", kwargs={"code": meeting.code})


def _log(client, meeting, coach, coachee, note="Asked what the dean needs to hear."):
    return client.post(_url(meeting), {"coach": coach.pk, "coachee": coachee.pk, "note": note})


def test_a_member_logs_coaching_on_the_coached_members_plan(cast, client_for, meeting):
    plan = ActionPlanFactory(enrollment=cast.enrollments["peer"])
    fellow, peer = cast.enrollments["fellow"], cast.enrollments["peer"]
    response = _log(client_for("fellow"), meeting, fellow, peer)
    assert response.status_code == 302
    entry = PeerCoaching.objects.get(meeting=meeting)
    assert (entry.coach, entry.coachee, entry.plan) == (fellow, peer, plan)
    assert entry.recorded_by == cast.fellow


@pytest.mark.parametrize(
    ("role", "sees_note"), [("peer", True), ("alumnus", True), ("staff", False)]
)
def test_the_note_is_for_the_group_only(cast, client_for, meeting, role, sees_note):
    PeerCoaching.objects.create(
        meeting=meeting,
        coach=cast.enrollments["fellow"],
        coachee=cast.enrollments["peer"],
        note="Practise the budget pitch",
    )
    html = client_for(role).get(_url(meeting)).content.decode()
    assert f"{cast.fellow.full_name}</strong> coached" in html
    assert ("Practise the budget pitch" in html) is sees_note


def test_someone_cannot_coach_themselves(cast, client_for, meeting):
    fellow = cast.enrollments["fellow"]
    response = _log(client_for("fellow"), meeting, fellow, fellow)
    assert response.status_code == 200
    assert "coachee" in response.context["form"].errors
    assert not PeerCoaching.objects.exists()


def test_only_members_of_the_group_can_be_named(cast, client_for, meeting):
    response = _log(
        client_for("fellow"), meeting, cast.enrollments["fellow"], cast.enrollments["classmate"]
    )
    assert response.status_code == 200
    assert "coachee" in response.context["form"].errors
    assert not PeerCoaching.objects.exists()


def test_a_cancelled_meeting_takes_no_log(cast, client_for, meeting):
    meeting.cancelled_at = timezone.now()
    meeting.save()
    client = client_for("fellow")
    assert client.get(_url(meeting)).context["form"] is None
    response = _log(client, meeting, cast.enrollments["fellow"], cast.enrollments["peer"])
    assert response.status_code == 403
    assert not PeerCoaching.objects.exists()


def test_the_note_is_escaped(cast, client_for, meeting):
    _log(
        client_for("fellow"),
        meeting,
        cast.enrollments["fellow"],
        cast.enrollments["peer"],
        note="<script>alert(1)</script>",
    )
    html = client_for("peer").get(_url(meeting)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_log_costs_the_same_with_more_entries(cast, client_for, meeting):
    client = client_for("peer")

    def grow(times):
        for member in add_members(cast.group, times * 3, start=100 * times):
            ActionPlanFactory(enrollment=member)
            PeerCoaching.objects.create(
                meeting=meeting, coach=cast.enrollments["fellow"], coachee=member, note="ok"
            )

    grow(1)
    count = assert_stable_queries(lambda: client.get(_url(meeting)), grow)
    assert count <= 12
