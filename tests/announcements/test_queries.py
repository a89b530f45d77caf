"""Query counts of the announcement pages: the same at 1x and 10x (announcements to every
kind of audience, more fellows, groups and readers), and at most 12."""

import pytest
from django.urls import reverse

from announcements.models import AnnouncementRead, Audience
from networks.models import PeerGroup, PeerGroupMembership

from ..factories.cohorts import EnrollmentFactory
from ..queries import assert_stable_queries
from .conftest import announce

LIMIT = 12
KINDS = [Audience.COHORT, Audience.PEER_GROUP, Audience.PROGRAM, Audience.COACHES, Audience.ALUMNI]


@pytest.fixture
def grow(cast):
    def add(n):
        for i in range(n):
            fellow = EnrollmentFactory(cohort=cast.cohort)
            group = PeerGroup.objects.create(
                cohort=cast.cohort, name=f"Group {PeerGroup.objects.count() + i}"
            )
            PeerGroupMembership.objects.create(group=group, enrollment=fellow)
            for kind in KINDS:
                a = announce(cast, kind, title=f"{kind} {i}")
                AnnouncementRead.objects.create(
                    announcement=a, user=fellow.user, opened_at=a.send_at
                )
            announce(cast, Audience.PEER_GROUP, peer_group=group, title=f"group {i}")
            AnnouncementRead.objects.create(
                announcement=announce(cast, Audience.COHORT), user=cast.fellow, opened_at=a.send_at
            )

    add(1)
    return add


def _stable(client, url, grow):
    count = assert_stable_queries(lambda: client.get(url), grow, factor=10)
    assert count <= LIMIT, f"{count} queries"
    return count


@pytest.mark.parametrize("role", ["staff", "fellow", "coach"])
def test_the_cohort_page(cast, client_for, grow, role):
    _stable(client_for(role), reverse("announcements:cohort", args=[cast.cohort.code]), grow)


@pytest.mark.parametrize("role", ["staff", "alumnus"])
def test_the_program_page(cast, client_for, grow, role):
    _stable(client_for(role), reverse("announcements:program", args=[cast.program.slug]), grow)


@pytest.mark.parametrize("role", ["staff", "fellow"])
def test_my_announcements(cast, client_for, grow, role):
    _stable(client_for(role), reverse("announcements:mine"), grow)


@pytest.mark.parametrize("role", ["staff", "fellow"])
def test_one_announcement_with_its_receipts(cast, client_for, grow, role):
    announcement = announce(cast, Audience.COHORT, title="Seminar room changed")
    client = client_for(role)
    client.get(announcement.get_absolute_url())  # the first opening is noted; then it reads
    _stable(client, announcement.get_absolute_url(), grow)


def test_the_form(cast, client_for, grow):
    _stable(client_for("staff"), reverse("announcements:create"), grow)
