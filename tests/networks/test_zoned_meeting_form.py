"""The meeting form shows and reads times in the cohort's zone, which it names."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories.networks import GroupMeetingFactory
from tests.forms import submitted

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "starts",
    [
        datetime.datetime(2026, 10, 13, 8, 0, tzinfo=NY),
        datetime.datetime(2026, 11, 1, 1, 15, fold=1, tzinfo=NY),  # the second 01:15
    ],
)
def test_staff_in_chicago_saving_a_meeting_unchanged_moves_nothing(client_for, cast, starts):
    cast.staff.time_zone = "America/Chicago"
    cast.staff.save(update_fields=["time_zone"])
    meeting = GroupMeetingFactory(
        group=cast.group, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=75)
    )
    meeting.refresh_from_db()
    before = (meeting.starts_at, meeting.ends_at, meeting.sequence)
    client = client_for("staff")
    url = reverse("networks:meeting_edit", args=[meeting.code])
    page = client.get(url)
    assert "America/New_York" in page.content.decode()
    mail.outbox.clear()
    response = client.post(url, submitted(page.content, "start_time"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.sequence) == before
    assert mail.outbox == []
