"""The demo's peer groups: groups for the current cohort with meetings and check-ins, and one
meeting cancelled through the service (so the calendar cancellation hook is called)."""

import datetime

import pytest
import time_machine

from cohorts.models import Cohort
from demo.cohorts import SLUG as INSTITUTE
from networks.models import CheckIn, GroupMeeting, PeerGroup

from .conftest import AUTUMN


@pytest.mark.django_db
@time_machine.travel(AUTUMN, tick=False)
def test_demo_has_groups_meetings_check_ins_and_one_cancelled_meeting(seeded_demo):
    # Seeding again cancels nothing more (test_seed_demo.py).
    calendar_changes = seeded_demo(AUTUMN).calendar_changes
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    assert PeerGroup.objects.filter(cohort=current).count() >= 5
    assert CheckIn.objects.filter(meeting__group__cohort=current).exists()
    cancelled = GroupMeeting.objects.filter(cancelled_at__isnull=False)
    assert cancelled.count() == 1
    meeting = cancelled.get()
    assert meeting.sequence == 1
    assert meeting.starts_at > datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC)
    # The seed cancelled it through the service, which tells the calendar feeds.
    assert calendar_changes == [(GroupMeeting._meta.label, meeting.pk, {"cancelled": True})]
