"""Quiet hours hold the email, not the in-app list: a notice written at night shows in the
list at once and its email follows in the morning."""

import pytest
import time_machine
from django.urls import reverse

from action_plans.services import comment_post
from notifications.models import Notification, State

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_comment_at_night_shows_in_the_list_at_once_and_is_emailed_at_seven(
    cast, client_for, make_plan, outbox, send_due, django_capture_on_commit_callbacks
):
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Guam"
    fellow.save(update_fields=["time_zone"])
    plan, _ = make_plan(cast.enrollments["fellow"])
    client = client_for("fellow")
    # 12:56 UTC is 10:56 PM in Guam (UTC+10): the fellow's quiet hours.
    with time_machine.travel(at("2026-11-10T12:56:00+00:00"), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            comment_post(plan=plan, by=cast.coach, body="Strong draft; see goal 2.")
        send_due()
        assert outbox == []
        page = client.get(reverse("notifications:list")).content.decode()
    note = Notification.objects.get(recipient=fellow)
    assert "Nothing yet" not in page
    assert note.title in page
    assert note.state == State.PENDING  # its email still waits for the morning
    assert Notification.objects.filter(recipient=fellow).unread().count() == 1

    # 21:01 UTC is 7:01 AM in Guam: the email goes, and the list still shows it once.
    with time_machine.travel(at("2026-11-10T21:01:00+00:00"), tick=False):
        send_due()
        page = client.get(reverse("notifications:list")).content.decode()
    assert len(outbox) == 1
    assert page.count(note.title) == 1
