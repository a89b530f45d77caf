import datetime

import pytest
import time_machine

from tests.factories.feedback360 import build_feedback

# Inside the cast's current cohort (1 Sep 2026 – 31 Aug 2027), on a weekday afternoon.
NOW = datetime.datetime(2026, 11, 30, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def f360(cast):
    return build_feedback(cast)
