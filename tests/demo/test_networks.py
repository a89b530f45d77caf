"""The demo's peer groups: groups for the current cohort with meetings and check-ins, and one
meeting cancelled through the service (so the calendar cancellation hook is called)."""

import datetime
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command

from cohorts.models import Cohort
from demo.cohorts import SLUG as INSTITUTE
from networks import services
from networks.models import CheckIn, GroupMeeting, PeerGroup


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_demo_has_groups_meetings_check_ins_and_one_cancelled_meeting():
    real_hook = services.hooks.calendar_event_changed
    with mock.patch.object(services.hooks, "calendar_event_changed", side_effect=real_hook) as hook:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())  # idempotent: no second cancellation
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    assert PeerGroup.objects.filter(cohort=current).count() >= 5
    assert CheckIn.objects.filter(meeting__group__cohort=current).exists()
    cancelled = GroupMeeting.objects.filter(cancelled_at__isnull=False)
    assert cancelled.count() == 1
    meeting = cancelled.get()
    assert meeting.sequence == 1
    assert meeting.starts_at > datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC)
    hook.assert_called_once_with(meeting, cancelled=True)
