import datetime

import pytest
import time_machine

from announcements.models import Audience

from ..factories.announcements import AnnouncementFactory

# The middle of the current cohort's year (it runs 1 Sep 2026 – 31 Aug 2027), a Monday
# afternoon in New York: nobody of the cast is in their quiet hours.
NOW = datetime.datetime(2027, 3, 15, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def to_cohort(cast):
    return AnnouncementFactory(
        cohort=cast.cohort, author=cast.staff, title="Seminar room changed", send_at=NOW
    )


def announce(cast, audience, **fields):
    """An announcement of the cast's program to `audience`, sent at NOW."""
    target = {}
    if audience == Audience.COHORT:
        target = {"cohort": cast.cohort}
    elif audience == Audience.PEER_GROUP:
        target = {"cohort": cast.cohort, "peer_group": cast.group}
    else:
        target = {"cohort": None}
    target.update({k: fields.pop(k) for k in ("cohort", "peer_group") if k in fields})
    fields.setdefault("send_at", NOW)
    fields.setdefault("author", cast.staff)
    return AnnouncementFactory(program=cast.program, audience=audience, **target, **fields)
