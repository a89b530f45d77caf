"""Moved and cancelled sessions: attendees are told at once with an updated invitation (same
UID, higher SEQUENCE) or a cancellation; a rolled-back change tells nobody."""

import pytest
import time_machine
from icalendar import Calendar

from curriculum.notices import SESSION_24H
from notifications import hooks
from notifications.models import Notification, State

from .conftest import FakeEvent, at

NOW = "2026-11-09 15:00:00+00:00"


def _ics(message):
    name, content, mimetype = message.attachments[0]
    return name, mimetype, Calendar.from_ical(content)


@time_machine.travel(NOW, tick=False)
def test_moved_session_sends_an_updated_invitation(
    cast, outbox, django_capture_on_commit_callbacks
):
    event = FakeEvent(starts_at=at("2026-11-12T15:00:00+00:00"), attendees=[cast.fellow, cast.peer])
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(event)
    event.starts_at = at("2026-11-13T15:00:00+00:00")
    event.sequence = 1
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(event)

    assert sorted(m.to[0] for m in outbox) == sorted([cast.fellow.email, cast.peer.email] * 2)
    name, mimetype, cal = _ics(outbox[-1])
    assert "method=REQUEST" in mimetype
    assert cal["METHOD"] == "REQUEST"
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"{event.code}@cohortwise"
    assert int(vevent["SEQUENCE"]) == 1
    assert vevent.decoded("DTSTART") == at("2026-11-13T15:00:00+00:00")
    assert "ORGANIZER" in vevent and "ATTENDEE" in vevent
    assert "Friday, November 13, 2026 at 10:00 AM EST" in outbox[-1].body


@time_machine.travel(NOW, tick=False)
def test_cancelled_session_sends_a_cancellation_and_drops_its_reminders(
    cast, outbox, django_capture_on_commit_callbacks
):
    event = FakeEvent(starts_at=at("2026-11-10T14:00:00+00:00"), attendees=[cast.fellow])
    reminder = Notification.objects.create(
        recipient=cast.fellow,
        kind=SESSION_24H.key,
        subject_type="curriculum.session",
        subject_id=event.pk,
        occurrence="2026-11-10T14:00Z",
        due_at=at("2026-11-09T14:00:00+00:00"),
        title="Tomorrow",
    )
    event.cancelled_at = at(NOW.replace(" ", "T"))
    event.sequence = 2
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(event, cancelled=True)

    assert len(outbox) == 1
    name, mimetype, cal = _ics(outbox[0])
    assert name == "cancel.ics" and "method=CANCEL" in mimetype
    assert cal["METHOD"] == "CANCEL"
    vevent = cal.walk("VEVENT")[0]
    assert vevent["STATUS"] == "CANCELLED" and int(vevent["SEQUENCE"]) == 2
    reminder.refresh_from_db()
    assert reminder.state == State.SKIPPED and reminder.skip_reason == "cancelled"


@time_machine.travel("2026-11-10 08:00:00+00:00", tick=False)
def test_a_change_in_quiet_hours_is_sent_when_the_session_is_before_the_morning(
    cast, outbox, django_capture_on_commit_callbacks
):
    cast.fellow.time_zone = "Pacific/Honolulu"  # 10 PM
    cast.fellow.save()
    soon = FakeEvent(starts_at=at("2026-11-10T09:00:00+00:00"), attendees=[cast.fellow])
    later = FakeEvent(pk=7, starts_at=at("2026-11-12T09:00:00+00:00"), attendees=[cast.fellow])
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(soon)
        hooks.calendar_event_changed(later)
    assert len(outbox) == 1  # the other waits for 7 AM Honolulu


@time_machine.travel(NOW, tick=False)
def test_a_rolled_back_change_tells_nobody(cast, outbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    event = FakeEvent(starts_at=at("2026-11-12T15:00:00+00:00"), attendees=[cast.fellow])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        hooks.calendar_event_changed(event)
        raise RuntimeError("the move failed validation")
    assert outbox == [] and not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_past_events_tell_nobody(cast, outbox, django_capture_on_commit_callbacks):
    event = FakeEvent(starts_at=at("2026-11-01T15:00:00+00:00"), attendees=[cast.fellow])
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(event, cancelled=True)
    assert outbox == []
