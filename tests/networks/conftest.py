import datetime

import pytest

from cohorts.models import Sector
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.networks import GroupMeetingFactory, PeerGroupMembershipFactory

STATES = ["NY", "CA", "TX", "PR", "GU", "WA", "NM", "AK", "MN", "GA"]
SECTORS = [s.value for s in Sector]


@pytest.fixture
def group(cast):
    """The cast's group, facilitated by the alumnus (an alumnus of the program may)."""
    cast.group.facilitator = cast.alumnus
    cast.group.save()
    return cast.group


MEETING_START = datetime.datetime(2026, 10, 6, 22, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(group):
    """Tuesday 6 October 2026, 6 PM in New York."""
    return GroupMeetingFactory(group=group, starts_at=MEETING_START)


def add_fellows(cohort, n, start=0, **fields):
    """n more active fellows of the cohort, spread over states, sectors and agencies."""
    return [
        EnrollmentFactory(
            cohort=cohort,
            user=UserFactory(full_name=f"Fellow {start + i:03d}"),
            state=STATES[(start + i) % len(STATES)],
            sector=SECTORS[(start + i) % len(SECTORS)],
            agency=f"Agency {start + i}",
            **fields,
        )
        for i in range(n)
    ]


def add_members(group, n, start=0):
    return [
        PeerGroupMembershipFactory(group=group, enrollment=e).enrollment
        for e in add_fellows(group.cohort, n, start=start)
    ]
