"""Changing saved groups: staff move a fellow between groups or add a newly active fellow,
keeping the agency rule (never overridden) and the 4–6 size rule (overridden only with a
confirmation); past check-ins stay with the group where they were made."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import EnrollmentStatus
from networks import services
from networks.models import CheckIn, GroupMeeting, PeerGroup, PeerGroupMembership
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.networks import CheckInFactory, GroupMeetingFactory
from tests.queries import assert_stable_queries

from .conftest import MEETING_START, add_fellows, add_members

NOW = "2026-10-20 12:00:00+00:00"


@pytest.fixture
def two_groups(cast, group):
    """The cast's group (Fiona, Pedro + 3 = 5 members) and a second group of 5."""
    add_members(group, 3, start=10)
    other = PeerGroup.objects.create(cohort=cast.cohort, name="Ceiba", facilitator=cast.staff)
    add_members(other, 5, start=20)
    return group, other


def _members(group):
    return set(
        PeerGroupMembership.objects.filter(group=group).values_list("enrollment_id", flat=True)
    )


@time_machine.travel(NOW, tick=False)
def test_move_keeps_past_check_ins_with_the_old_group(cast, two_groups, meeting):
    kokua, ceiba = two_groups
    fellow = cast.enrollments["fellow"]
    past = CheckInFactory(meeting=meeting, enrollment=fellow, next_commitment="Brief the board")
    upcoming = GroupMeetingFactory(
        group=kokua, starts_at=MEETING_START + datetime.timedelta(weeks=4), lead=fellow
    )
    placement = services.membership_place(group=ceiba, enrollment=fellow)
    assert placement.moved_from == kokua
    assert fellow.pk in _members(ceiba) and fellow.pk not in _members(kokua)
    past.refresh_from_db()
    assert past.meeting.group == kokua  # history stays where it happened
    upcoming.refresh_from_db()
    assert upcoming.lead is None  # no longer leads the old group's meetings
    # The next check-in in the new group is prefilled from the old group's commitment.
    later = GroupMeetingFactory(group=ceiba, starts_at=MEETING_START + datetime.timedelta(weeks=5))
    url = reverse("networks:check_in", kwargs={"code": later.code})
    assert "Brief the board</textarea>" in client_for_fellow(cast).get(url).content.decode()


def client_for_fellow(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.fellow)
    return client


def test_a_newly_active_fellow_is_added(cast, two_groups):
    kokua, _ = two_groups
    kokua.memberships.filter(enrollment__user__full_name__startswith="Fellow").first().delete()
    late = add_fellows(cast.cohort, 1, start=90)[0]
    placement = services.membership_place(group=kokua, enrollment=late)
    assert placement.moved_from is None
    assert late.pk in _members(kokua)


def test_two_of_one_agency_are_never_placed_together_even_with_confirmation(cast, two_groups):
    kokua, ceiba = two_groups
    mover = ceiba.memberships.first().enrollment
    mover.agency = "  HAWAII medicaid"  # Fiona's agency, spelt differently
    mover.save()
    with pytest.raises(ValidationError) as error:
        services.membership_place(group=kokua, enrollment=mover, allow_size=True)
    assert "both work at" in error.value.message_dict["enrollment"][0]
    assert mover.pk in _members(ceiba)


def test_size_rule_needs_a_confirmation_to_break(cast, two_groups):
    kokua, ceiba = two_groups
    add_members(kokua, 1, start=40)  # Kōkua: 6 members
    mover = ceiba.memberships.first().enrollment
    with pytest.raises(ValidationError) as error:
        services.membership_place(group=kokua, enrollment=mover)
    message = error.value.message_dict["allow_size"][0]
    assert "Group Kōkua would have 7 active members" in message
    assert "Ceiba would be left with 4" not in message  # 5 - 1 = 4 is fine
    assert mover.pk in _members(ceiba)
    services.membership_place(group=kokua, enrollment=mover, allow_size=True)
    assert mover.pk in _members(kokua)


def test_a_group_may_not_drop_below_four_without_confirmation(cast, two_groups):
    kokua, ceiba = two_groups
    ceiba.memberships.first().delete()  # Ceiba: 4
    kokua.memberships.filter(enrollment__user__full_name__startswith="Fellow").first().delete()
    mover = ceiba.memberships.first().enrollment
    with pytest.raises(ValidationError, match="Ceiba would be left with 3"):
        services.membership_place(group=kokua, enrollment=mover)


def test_withdrawn_other_cohort_and_same_group_are_refused(cast, two_groups):
    kokua, _ = two_groups
    with pytest.raises(ValidationError, match="not an active fellow"):
        services.membership_place(group=kokua, enrollment=cast.enrollments["withdrawn"])
    sibling = EnrollmentFactory(cohort=cast.sibling_cohort)
    with pytest.raises(ValidationError, match="not an active fellow"):
        services.membership_place(group=kokua, enrollment=sibling)
    with pytest.raises(ValidationError, match="already in Group Kōkua"):
        services.membership_place(group=kokua, enrollment=cast.enrollments["fellow"])


def test_withdrawn_members_do_not_count_for_size(cast, two_groups):
    kokua, ceiba = two_groups
    add_members(kokua, 1, start=40)  # 6
    leaver = kokua.memberships.filter(enrollment__user__full_name__startswith="Fellow").first()
    leaver.enrollment.status = EnrollmentStatus.WITHDRAWN
    leaver.enrollment.withdrawn_on = datetime.date(2026, 10, 1)
    leaver.enrollment.save()
    mover = ceiba.memberships.first().enrollment
    # Six listed, five active: the move needs no confirmation of the size rule.
    placement = services.membership_place(group=kokua, enrollment=mover)
    assert placement.moved_from == ceiba
    assert mover.pk in _members(kokua) and mover.pk not in _members(ceiba)
    assert leaver.enrollment.pk in _members(kokua)  # still listed, for the group's history
    assert len(_members(kokua)) == 7


# --- The page -----------------------------------------------------------------------------


def _url(group):
    return reverse("networks:member_add", kwargs={"code": group.code})


def test_staff_move_a_fellow_from_the_page(client_for, two_groups):
    kokua, ceiba = two_groups
    mover = ceiba.memberships.first().enrollment
    page = client_for("staff").get(_url(kokua)).content.decode()
    assert f"{mover.user} · {mover.agency} · now in Ceiba" in page
    assert "Fiona Fellow ·" not in page  # already here
    response = client_for("staff").post(_url(kokua), {"enrollment": mover.pk}, follow=True)
    assert f"Moved {mover.user} from Ceiba to Group Kōkua." in response.content.decode()
    assert mover.pk in _members(kokua)


def test_page_asks_for_confirmation_when_the_size_rule_breaks(client_for, two_groups):
    kokua, ceiba = two_groups
    add_members(kokua, 1, start=40)
    mover = ceiba.memberships.first().enrollment
    response = client_for("staff").post(_url(kokua), {"enrollment": mover.pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_allow_size"' in text  # next to the confirmation box
    assert "would have 7 active members" in text
    assert mover.pk not in _members(kokua)
    data = {"enrollment": mover.pk, "allow_size": "on"}
    assert client_for("staff").post(_url(kokua), data).status_code == 302
    assert mover.pk in _members(kokua)


def test_page_refuses_bad_input_next_to_the_field(client_for, cast, two_groups):
    kokua, _ = two_groups
    for bad in ({}, {"enrollment": "nope"}, {"enrollment": cast.enrollments["withdrawn"].pk}):
        response = client_for("staff").post(_url(kokua), bad)
        assert response.status_code == 200
        assert 'id="error_1_id_enrollment"' in response.content.decode()
    assert not GroupMeeting.objects.exists() and not CheckIn.objects.exists()


def test_member_add_page_query_count_is_stable(client_for, cast, two_groups):
    kokua, _ = two_groups
    client = client_for("staff")

    def grow(times):
        for _ in range(times):
            n = PeerGroup.objects.count()
            extra = PeerGroup.objects.create(cohort=cast.cohort, name=f"Extra {n}")
            add_members(extra, 4, start=100 * n)
            add_fellows(cast.cohort, 2, start=100 * n + 50)

    assert_stable_queries(lambda: client.get(_url(kokua)), grow)
