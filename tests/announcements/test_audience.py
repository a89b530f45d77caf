"""Who reads and who is told, per audience (PRODUCT.md: nobody outside the audience reads
an announcement; program staff read every announcement of their program). The two forms of
the rule in audience.py, the readers' filter and the list of people told, must agree."""

import pytest

from announcements import audience
from announcements.models import Announcement, Audience
from tests.personas import ROLES

from .conftest import NOW, announce

STAFF = {"admin", "staff"}
EXPECTED = {
    Audience.COHORT: {"fellow", "peer", "classmate"},
    Audience.PEER_GROUP: {"fellow", "peer"},
    Audience.PROGRAM: {
        "fellow",
        "peer",
        "classmate",
        "other_cohort_fellow",
        "coach",
        "other_coach",
    },
    Audience.COACHES: {"coach", "other_coach"},
    Audience.ALUMNI: {"alumnus"},
}


def _readers(cast, announcement):
    return {
        role
        for role in ROLES
        if role != "anonymous"
        and Announcement.objects.filter(audience.visible_q(cast.user(role), NOW))
        .filter(pk=announcement.pk)
        .exists()
    }


def _told(cast, announcement):
    ids = set(audience.members(announcement).values_list("pk", flat=True))
    return {role for role in ROLES if role != "anonymous" and cast.user(role).pk in ids}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_the_audience_and_program_staff_read_it_nobody_else(cast, kind):
    announcement = announce(cast, kind)
    assert _readers(cast, announcement) == EXPECTED[kind] | STAFF
    assert _told(cast, announcement) == EXPECTED[kind]


def test_a_groups_facilitator_is_in_its_audience(cast):
    cast.group.facilitator = cast.alumnus
    cast.group.save()
    announcement = announce(cast, Audience.PEER_GROUP)
    assert _readers(cast, announcement) == {"fellow", "peer", "alumnus"} | STAFF
    assert _told(cast, announcement) == {"fellow", "peer", "alumnus"}


def test_a_facilitator_of_the_program_is_told_what_goes_to_everyone(cast):
    cast.program.facilitators.add(cast.alumnus)
    announcement = announce(cast, Audience.PROGRAM)
    assert "alumnus" in _readers(cast, announcement)
    assert "alumnus" in _told(cast, announcement)


def test_a_fellow_who_withdraws_stops_reading_their_cohorts_announcements(cast):
    announcement = announce(cast, Audience.COHORT)
    assert "fellow" in _readers(cast, announcement)
    enrollment = cast.enrollments["fellow"]
    enrollment.status = "withdrawn"
    enrollment.withdrawn_on = NOW.date()
    enrollment.save()
    assert "fellow" not in _readers(cast, announcement)
    assert "fellow" not in _told(cast, announcement)


def test_the_audience_reads_a_scheduled_announcement_only_once_it_is_sent(cast):
    later = announce(cast, Audience.COHORT, send_at=NOW.replace(hour=20))
    assert _readers(cast, later) == STAFF  # the author is staff
    facilitated = announce(
        cast, Audience.PEER_GROUP, send_at=NOW.replace(hour=20), author=cast.alumnus
    )
    assert _readers(cast, facilitated) == STAFF | {"alumnus"}  # its author sees it


def test_staff_of_another_program_read_nothing_of_this_one(cast):
    for kind in EXPECTED:
        assert "other_staff" not in _readers(cast, announce(cast, kind))
