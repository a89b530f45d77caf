"""Sending an announcement through the notification ledger: at once or at a set time (the
sweep's scan, run twice: each person told once), each person's choice (immediately, daily
digest, none) and quiet hours, and the important flag that does not wait for the digest."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from announcements import reminders, services
from announcements.models import Announcement, Audience
from notifications.models import Delivery, Notification, NotificationPreference, State
from notifications.sweep import run_sweep

from .conftest import NOW

HOUR = datetime.timedelta(hours=1)


def _send(cast, by=None, **fields):
    data = {
        "program": cast.program,
        "audience": Audience.COHORT,
        "cohort": cast.cohort,
        "title": "Seminar room changed",
        "body": "We meet in **room 4** on Thursday.",
    }
    data.update(fields)
    return services.announcement_create(by=by or cast.staff, now=NOW, **data)


def _rows(announcement):
    return Notification.objects.filter(
        subject_type="announcements.announcement", subject_id=announcement.pk
    )


def _emailed_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def test_sent_now_each_fellow_of_the_cohort_is_emailed_once(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(cast)
    told = set(_rows(announcement).values_list("recipient__email", flat=True))
    assert told == {cast.fellow.email, cast.peer.email, cast.classmate.email}
    assert set(_rows(announcement).values_list("state", flat=True)) == {State.SENT}
    (message,) = _emailed_to(cast.fellow)
    assert message.subject == "[Cohortwise] Seminar room changed"
    assert "Sam Staff to Fellows of 2026–2027 cohort: Seminar room changed" in message.body
    assert "We meet in room 4 on Thursday." in message.body
    assert announcement.get_absolute_url() in message.body
    assert not _emailed_to(cast.staff) and not _emailed_to(cast.withdrawn)


def test_a_digest_choice_holds_it_and_none_keeps_it_in_the_app(
    cast, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=cast.fellow, topic="announcements", delivery=Delivery.DIGEST
    )
    NotificationPreference.objects.create(
        user=cast.peer, topic="announcements", delivery=Delivery.NONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(cast)
    states = dict(_rows(announcement).values_list("recipient__email", "state"))
    assert states == {
        cast.fellow.email: State.HELD,
        cast.peer.email: State.IN_APP,
        cast.classmate.email: State.SENT,
    }
    assert not _emailed_to(cast.fellow) and not _emailed_to(cast.peer)


def test_an_important_one_is_emailed_at_once_to_those_who_chose_the_digest(
    cast, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=cast.fellow, topic="announcements", delivery=Delivery.DIGEST
    )
    NotificationPreference.objects.create(
        user=cast.peer, topic="announcements", delivery=Delivery.NONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(cast, important=True)
    states = dict(_rows(announcement).values_list("recipient__email", "state"))
    assert states[cast.fellow.email] == State.SENT
    assert states[cast.peer.email] == State.IN_APP  # "no email" is still honoured
    assert set(_rows(announcement).values_list("kind", flat=True)) == {"announcement_important"}
    assert len(_emailed_to(cast.fellow)) == 1


def test_an_important_one_waits_for_the_end_of_quiet_hours(
    cast, django_capture_on_commit_callbacks
):
    night = datetime.datetime(2027, 3, 16, 3, 0, tzinfo=datetime.UTC)  # 23:00 in New York
    with time_machine.travel(night, tick=False), django_capture_on_commit_callbacks(execute=True):
        announcement = services.announcement_create(
            by=cast.staff,
            now=night,
            program=cast.program,
            audience=Audience.COHORT,
            cohort=cast.cohort,
            title="Building closed tomorrow",
            body="Work from home.",
            important=True,
        )
    row = _rows(announcement).get(recipient=cast.fellow)
    assert row.state == State.PENDING
    assert row.due_at == datetime.datetime(2027, 3, 16, 11, 0, tzinfo=datetime.UTC)  # 7:00
    assert row.sent_at == night  # in the in-app list already
    assert not mail.outbox


def test_a_scheduled_one_is_sent_by_the_sweep_once_however_often_it_runs(
    cast, django_capture_on_commit_callbacks
):
    later = NOW + 3 * HOUR
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(cast, send_at=later)
    assert announcement.send_at == later
    assert not _rows(announcement).exists() and not mail.outbox
    assert reminders.scan(NOW) == []

    with time_machine.travel(later + 2 * datetime.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = run_sweep()
        with django_capture_on_commit_callbacks(execute=True):
            second = run_sweep()
    assert first.written >= 3 and second.written == 0  # other apps' scans write rows too
    assert _rows(announcement).count() == 3
    assert {m.subject for m in _emailed_to(cast.fellow)} == {"[Cohortwise] Seminar room changed"}
    told = [m for m in mail.outbox if m.subject == "[Cohortwise] Seminar room changed"]
    assert sorted(m.to[0] for m in told) == sorted(
        [cast.fellow.email, cast.peer.email, cast.classmate.email]
    )


def test_the_sweep_does_not_tell_again_what_was_sent_at_once(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(cast)
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(NOW + datetime.timedelta(minutes=2))
    told = [m for m in mail.outbox if m.subject == "[Cohortwise] Seminar room changed"]
    assert len(told) == 3


def test_an_announcement_older_than_the_catch_up_is_not_scanned(cast):
    announcement = _send(cast)
    assert len(reminders.scan(NOW + datetime.timedelta(hours=47))) == 3
    assert reminders.scan(NOW + datetime.timedelta(hours=49)) == []
    assert Announcement.objects.filter(pk=announcement.pk).exists()


def test_a_time_in_the_past_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        _send(cast, send_at=NOW - 2 * HOUR)
    assert "passed" in caught.value.message_dict["send_at"][0]
    assert not Announcement.objects.exists()


def test_a_facilitator_announces_to_their_own_group_only(cast):
    cast.group.facilitator = cast.alumnus
    cast.group.save()
    mine = _send(
        cast, by=cast.alumnus, audience=Audience.PEER_GROUP, cohort=None, peer_group=cast.group
    )
    assert mine.cohort == cast.cohort and mine.author == cast.alumnus
    with pytest.raises(PermissionDenied):
        _send(cast, by=cast.alumnus)  # the whole cohort
    other = cast.group.__class__.objects.create(cohort=cast.cohort, name="Group Ohana")
    with pytest.raises(PermissionDenied):
        _send(cast, by=cast.alumnus, audience=Audience.PEER_GROUP, peer_group=other)
    assert Announcement.objects.count() == 1


def test_staff_of_another_program_cannot_announce_here(cast):
    with pytest.raises(PermissionDenied):
        _send(cast, by=cast.other_staff)


def test_the_target_must_match_the_audience_in_the_database(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(
            program=cast.program,
            audience=Audience.PROGRAM,
            cohort=cast.cohort,
            title="x",
            body="y",
            send_at=NOW,
        )


def test_a_reader_is_counted_once_and_staff_not_at_all(cast):
    announcement = _send(cast)
    assert services.announcement_mark_read(announcement=announcement, by=cast.fellow, now=NOW)
    assert not services.announcement_mark_read(
        announcement=announcement, by=cast.fellow, now=NOW + HOUR
    )
    assert not services.announcement_mark_read(announcement=announcement, by=cast.staff, now=NOW)
    assert list(announcement.reads.values_list("user__email", "opened_at")) == [
        (cast.fellow.email, NOW)
    ]


def test_only_an_announcement_not_yet_sent_is_withdrawn(cast):
    sent = _send(cast)
    with pytest.raises(ValidationError):
        services.announcement_withdraw(announcement=sent, by=cast.staff, now=NOW)
    scheduled = _send(cast, send_at=NOW + HOUR)
    services.announcement_withdraw(announcement=scheduled, by=cast.staff, now=NOW)
    assert list(Announcement.objects.all()) == [sent]
