"""The 1-hour reminder of online coaching sessions (video mode) and online peer group
meetings (a link, no place), with the rules of the cohort sessions' one
(curriculum/reminders.py): same recipients as the 24-hour reminder, sent in quiet hours,
never held for a digest, the 24-hour one gives way to it, nothing once the event started,
nothing for withdrawn fellows or cancelled events."""

import datetime

import pytest
import time_machine

from coaching import reminders as coaching_reminders
from coaching.models import SessionMode, SessionStatus
from coaching.notices import COACHING, COACHING_1H, COACHING_24H
from cohorts.models import EnrollmentStatus
from networks import reminders as meeting_reminders
from networks.notices import MEETING_1H, MEETING_24H, MEETINGS
from notifications import services
from notifications.models import Delivery, Notification, State
from notifications.sweep import write_due

from ..factories.accounts import UserFactory
from ..factories.coaching import CoachingSessionFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.networks import GroupMeetingFactory, PeerGroupMembershipFactory
from ..queries import count_queries
from .conftest import at

START = at("2026-11-12T17:00:00+00:00")  # noon in New York
HOUR = datetime.timedelta(hours=1)


def _sweep(moment, scan):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan])


def _send(moment, send_due):
    with time_machine.travel(moment, tick=False):
        return send_due()


def _recipients(kind):
    return sorted(n.recipient.email for n in Notification.objects.filter(kind=kind))


def _coaching(cast, starts_at=START, **kw):
    kw.setdefault("mode", SessionMode.VIDEO)
    kw.setdefault("status", SessionStatus.SCHEDULED)
    return CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, starts_at=starts_at, **kw
    )


def _meeting(cast, starts_at=START, **kw):
    cast.group.facilitator = cast.staff
    cast.group.save()
    return GroupMeetingFactory(group=cast.group, starts_at=starts_at, **kw)


# --- coaching sessions -------------------------------------------------------------------


def test_online_coaching_session_reminds_fellow_and_coach_an_hour_before(cast):
    session = _coaching(cast, video_url="https://zoom.example/j/9")
    _sweep("2026-11-11 17:00:00+00:00", coaching_reminders.scan)
    _sweep("2026-11-12 15:59:00+00:00", coaching_reminders.scan)  # 61 minutes before
    assert not Notification.objects.filter(kind=COACHING_1H.key).exists()
    _sweep("2026-11-12 16:00:00+00:00", coaching_reminders.scan)
    both = sorted([cast.coach.email, cast.fellow.email])
    assert _recipients(COACHING_24H.key) == both
    assert _recipients(COACHING_1H.key) == both
    for n in Notification.objects.filter(kind=COACHING_1H.key):
        assert (n.due_at, n.expires_at) == (START - HOUR, START)
        assert n.subject_id == session.pk and n.title.startswith("Starting in an hour: ")
    assert Notification.objects.get(kind=COACHING_1H.key, recipient=cast.fellow).enrollment_id
    assert Notification.objects.get(kind=COACHING_1H.key, recipient=cast.coach).enrollment is None
    # The 24-hour reminder of an online session gives way to the 1-hour one.
    assert {n.expires_at for n in Notification.objects.filter(kind=COACHING_24H.key)} == {
        START - HOUR
    }


@pytest.mark.parametrize("mode", [SessionMode.PHONE, SessionMode.IN_PERSON])
def test_phone_and_in_person_coaching_sessions_have_no_one_hour_reminder(cast, mode):
    _coaching(cast, mode=mode, location="Room 4" if mode == SessionMode.IN_PERSON else "")
    _sweep("2026-11-12 16:10:00+00:00", coaching_reminders.scan)
    assert Notification.objects.filter(kind=COACHING_24H.key).count() == 2
    assert not Notification.objects.filter(kind=COACHING_1H.key).exists()
    # Not online: the 24-hour reminder stays useful until the session starts.
    assert {n.expires_at for n in Notification.objects.filter(kind=COACHING_24H.key)} == {START}


def test_one_hour_coaching_email_after_an_outage(cast, send_due, outbox):
    _coaching(cast, video_url="https://zoom.example/j/9")
    _coaching(cast, mode=SessionMode.PHONE, starts_at=START + datetime.timedelta(minutes=10))
    # Beat and workers were down until 30 minutes before the sessions.
    _sweep("2026-11-12 16:30:00+00:00", coaching_reminders.scan)
    _send("2026-11-12 16:30:00+00:00", send_due)
    sent = Notification.objects.filter(state=State.SENT)
    assert sorted((n.kind, n.payload["video_url"] != "") for n in sent) == [
        (COACHING_1H.key, True),
        (COACHING_1H.key, True),
        (COACHING_24H.key, False),  # the phone session keeps its 24-hour reminder
        (COACHING_24H.key, False),
    ]
    skipped = Notification.objects.filter(state=State.SKIPPED)
    assert {(n.kind, n.skip_reason) for n in skipped} == {(COACHING_24H.key, "stale")}
    one_hour = [m for m in outbox if m.subject.startswith("[Cohortwise] Starting in an hour")]
    by_recipient = {m.to[0]: m for m in one_hour}
    assert sorted(by_recipient) == sorted([cast.coach.email, cast.fellow.email])
    fellow_mail = by_recipient[cast.fellow.email]
    assert "Your online coaching session starts in an hour." in fellow_mail.body
    assert f"With: {cast.coach.display_name}" in fellow_mail.body
    assert "Join online: https://zoom.example/j/9" in fellow_mail.body
    assert any(name == "invite.ics" for name, _, _ in fellow_mail.attachments)


def test_one_hour_coaching_reminder_ignores_quiet_hours_and_the_digest(cast, send_due, outbox):
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Honolulu"
    fellow.save()
    services.preferences_save(
        user=fellow,
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(7, 0),
        deliveries={COACHING.key: Delivery.DIGEST},
    )
    # 10:30 PM in Honolulu: quiet hours, and the fellow collects coaching into a digest.
    _coaching(cast, starts_at=at("2026-11-10T08:30:00+00:00"))
    _coaching(  # the same fellow's phone session in the same hour: its reminder waits
        cast, mode=SessionMode.PHONE, starts_at=at("2026-11-10T08:40:00+00:00")
    )
    _sweep("2026-11-10 07:30:00+00:00", coaching_reminders.scan)
    outcome = _send("2026-11-10 07:30:00+00:00", send_due)
    fellow_rows = Notification.objects.filter(recipient=fellow)
    assert {(n.kind, n.state) for n in fellow_rows.filter(pk__in=outcome.sent)} == {
        (COACHING_1H.key, State.SENT)
    }
    assert [n.kind for n in fellow_rows.filter(pk__in=outcome.postponed)] == [COACHING_24H.key]
    mail = next(m for m in outbox if m.to == [fellow.email])
    assert "10:30 PM HST" in mail.body
    assert not fellow_rows.filter(state=State.HELD).exists()


def test_one_hour_coaching_reminder_is_an_hour_of_real_time_across_the_dst_change(
    cast, send_due, outbox
):
    # New York leaves daylight time at 2:00 AM EDT on Sunday November 1, 2026 (06:00 UTC).
    # A session at 1:30 AM EST (06:30 UTC) is reminded at 05:30 UTC: 1:30 AM EDT on the
    # wall clock, an hour earlier in real time, not at the same wall-clock time.
    _coaching(cast, starts_at=at("2026-11-01T06:30:00+00:00"))
    _sweep("2026-11-01 05:29:00+00:00", coaching_reminders.scan)
    assert not Notification.objects.filter(kind=COACHING_1H.key).exists()
    _sweep("2026-11-01 05:30:00+00:00", coaching_reminders.scan)
    one_hour = Notification.objects.filter(kind=COACHING_1H.key)
    assert {n.due_at for n in one_hour} == {at("2026-11-01T05:30:00+00:00")}
    _send("2026-11-01 05:30:00+00:00", send_due)  # 1:30 AM EDT: quiet hours, still sent
    assert sorted(m.to[0] for m in outbox if "Starting in an hour" in m.subject) == sorted(
        [cast.coach.email, cast.fellow.email]
    )
    assert "Sunday, November 1, 2026 at 1:30 AM EST (America/New_York)" in outbox[0].body


def test_cancelled_coaching_sessions_and_withdrawn_fellows_get_no_one_hour_reminder(
    cast, send_due, outbox
):
    _coaching(cast, status=SessionStatus.CANCELLED, cancelled_at=START - 5 * HOUR)
    withdrawn = cast.enrollments["withdrawn"]
    CoachingSessionFactory(
        enrollment=withdrawn, coach=cast.coach, starts_at=START, status=SessionStatus.SCHEDULED
    )
    _sweep("2026-11-12 16:10:00+00:00", coaching_reminders.scan)
    assert not Notification.objects.exists()

    # Written while active, withdrawn before it is sent: the fellow's row is skipped.
    _coaching(cast, starts_at=START + HOUR)
    _sweep("2026-11-12 17:00:00+00:00", coaching_reminders.scan)
    enrollment = cast.enrollments["fellow"]
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_on = datetime.date(2026, 11, 12)
    enrollment.save()
    _send("2026-11-12 17:00:00+00:00", send_due)
    fellow_row = Notification.objects.get(kind=COACHING_1H.key, recipient=cast.fellow)
    assert (fellow_row.state, fellow_row.skip_reason) == (State.SKIPPED, "withdrawn")
    assert [m.to[0] for m in outbox] == [cast.coach.email]


def test_coaching_scan_costs_the_same_queries_for_more_online_sessions(cast):
    _coaching(cast)
    now = at("2026-11-12T16:10:00+00:00")
    before, _, rows = count_queries(lambda: coaching_reminders.scan(now))
    assert {r.kind for r in rows} == {COACHING_24H.key, COACHING_1H.key}
    for i in range(4):
        CoachingSessionFactory(
            enrollment=EnrollmentFactory(cohort=cast.cohort),
            coach=UserFactory(),
            starts_at=START + datetime.timedelta(minutes=i),
            status=SessionStatus.SCHEDULED,
            mode=SessionMode.VIDEO,
        )
    after, sql, more = count_queries(lambda: coaching_reminders.scan(now))
    assert before == after, sql
    assert len(rows) == 4 and len(more) == 20


# --- peer group meetings -----------------------------------------------------------------


def test_online_meeting_reminds_active_members_and_facilitator_an_hour_before(cast):
    PeerGroupMembershipFactory(group=cast.group, enrollment=cast.enrollments["withdrawn"])
    meeting = _meeting(cast)  # a link, no place
    _sweep("2026-11-11 17:00:00+00:00", meeting_reminders.scan)
    _sweep("2026-11-12 15:59:00+00:00", meeting_reminders.scan)
    assert not Notification.objects.filter(kind=MEETING_1H.key).exists()
    _sweep("2026-11-12 16:00:00+00:00", meeting_reminders.scan)
    expected = sorted([cast.fellow.email, cast.peer.email, cast.staff.email])
    assert _recipients(MEETING_24H.key) == expected  # not the withdrawn member
    assert _recipients(MEETING_1H.key) == expected
    for n in Notification.objects.filter(kind=MEETING_1H.key):
        assert (n.due_at, n.expires_at, n.subject_id) == (START - HOUR, START, meeting.pk)
    assert {n.expires_at for n in Notification.objects.filter(kind=MEETING_24H.key)} == {
        START - HOUR
    }


@pytest.mark.parametrize(
    "where",
    [
        {"video_url": ""},  # no link
        {"video_url": "", "location": "Library, room 2"},  # in person
        {"location": "Library, room 2"},  # a place and a link: not online, as sessions
    ],
)
def test_meetings_not_online_have_no_one_hour_reminder(cast, where):
    _meeting(cast, **where)
    _sweep("2026-11-12 16:10:00+00:00", meeting_reminders.scan)
    assert Notification.objects.filter(kind=MEETING_24H.key).count() == 3
    assert not Notification.objects.filter(kind=MEETING_1H.key).exists()
    assert {n.expires_at for n in Notification.objects.filter(kind=MEETING_24H.key)} == {START}


def test_one_hour_meeting_reminder_after_an_outage_and_in_quiet_hours(cast, send_due, outbox):
    peer = cast.peer
    peer.time_zone = "Pacific/Honolulu"
    peer.save()
    services.preferences_save(
        user=peer,
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(7, 0),
        deliveries={MEETINGS.key: Delivery.DIGEST},
    )
    starts = at("2026-11-10T08:30:00+00:00")  # 10:30 PM in Honolulu
    _meeting(cast, starts_at=starts)
    # Down until 40 minutes before: only the 1-hour reminder is still useful.
    _sweep("2026-11-10 07:50:00+00:00", meeting_reminders.scan)
    _send("2026-11-10 07:50:00+00:00", send_due)
    assert set(
        Notification.objects.filter(kind=MEETING_24H.key).values_list("state", flat=True)
    ) == {State.SKIPPED}
    assert set(
        Notification.objects.filter(kind=MEETING_1H.key).values_list("state", flat=True)
    ) == {State.SENT}
    mail = next(m for m in outbox if m.to == [peer.email])
    assert "Your peer group meets online in an hour." in mail.body
    assert "10:30 PM HST" in mail.body
    assert "Join online: https://meet.example.org/kokua" in mail.body


def test_one_hour_meeting_reminder_across_the_dst_change(cast, send_due, outbox):
    # 9:00 AM EST on November 1, 2026 (14:00 UTC), the morning New York left daylight time.
    _meeting(cast, starts_at=at("2026-11-01T14:00:00+00:00"))
    _sweep("2026-11-01 12:59:00+00:00", meeting_reminders.scan)
    assert not Notification.objects.filter(kind=MEETING_1H.key).exists()
    _sweep("2026-11-01 13:00:00+00:00", meeting_reminders.scan)  # 8:00 AM EST
    assert {n.due_at for n in Notification.objects.filter(kind=MEETING_1H.key)} == {
        at("2026-11-01T13:00:00+00:00")
    }
    _send("2026-11-01 13:00:00+00:00", send_due)
    one_hour = [m for m in outbox if "Starting in an hour" in m.subject]
    assert len(one_hour) == 3
    assert "Sunday, November 1, 2026 at 9:00 AM EST (America/New_York)" in one_hour[0].body


def test_cancelled_meetings_get_no_one_hour_reminder_and_started_ones_none_late(
    cast, send_due, outbox
):
    _meeting(cast, cancelled_at=START - 5 * HOUR)
    _sweep("2026-11-12 16:10:00+00:00", meeting_reminders.scan)
    assert not Notification.objects.exists()

    _meeting(cast, starts_at=START + HOUR)
    _sweep("2026-11-12 17:10:00+00:00", meeting_reminders.scan)
    # The workers are back only after the meeting began: nothing goes out late.
    _send("2026-11-12 18:01:00+00:00", send_due)
    assert outbox == []
    assert {n.skip_reason for n in Notification.objects.filter(kind=MEETING_1H.key)} == {"stale"}
    _sweep("2026-11-12 18:01:00+00:00", meeting_reminders.scan)  # started: not scanned again
    assert Notification.objects.filter(kind=MEETING_1H.key).count() == 3


def test_meeting_scan_costs_the_same_queries_for_more_online_meetings(cast):
    _meeting(cast)
    now = at("2026-11-12T16:10:00+00:00")
    before, _, rows = count_queries(lambda: meeting_reminders.scan(now))
    assert {r.kind for r in rows} == {MEETING_24H.key, MEETING_1H.key}
    for i in range(4):
        GroupMeetingFactory(group=cast.group, starts_at=START + datetime.timedelta(minutes=i))
        PeerGroupMembershipFactory(
            group=cast.group, enrollment=EnrollmentFactory(cohort=cast.cohort)
        )
    after, sql, more = count_queries(lambda: meeting_reminders.scan(now))
    assert before == after, sql
    assert len(rows) == 6 and len(more) == 5 * 2 * 7
