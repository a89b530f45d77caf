"""Reminders of real calendar events: cohort sessions, coaching sessions, peer group
meetings; the coach's "log this session" nudge; the calendar feed with all of them."""

import datetime

import time_machine
from django.urls import reverse
from icalendar import Calendar

from coaching import reminders as coaching_reminders
from coaching.models import SessionStatus
from coaching.notices import COACH_LOG, COACHING_24H
from curriculum import reminders as session_reminders
from curriculum.notices import SESSION_1H, SESSION_24H
from networks import reminders as meeting_reminders
from networks.notices import MEETING_24H
from notifications import hooks
from notifications.models import Notification, State
from notifications.services import settings_for
from notifications.sweep import write_due

from ..factories.coaching import CoachingSessionFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.curriculum import SessionFactory
from ..factories.networks import GroupMeetingFactory
from ..queries import count_queries
from .conftest import at

START = at("2026-11-12T17:00:00+00:00")  # noon in New York


def _sweep(moment, scan):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan])


def _recipients(kind):
    return sorted(n.recipient.email for n in Notification.objects.filter(kind=kind))


def test_session_reminders_go_to_active_fellows_a_day_and_an_hour_before(cast):
    SessionFactory(cohort=cast.cohort, starts_at=START)  # online
    _sweep("2026-11-11 16:00:00+00:00", session_reminders.scan)  # 25 hours before
    assert not Notification.objects.exists()
    _sweep("2026-11-11 17:00:00+00:00", session_reminders.scan)
    _sweep("2026-11-12 16:00:00+00:00", session_reminders.scan)
    expected = sorted([cast.fellow.email, cast.peer.email, cast.classmate.email])
    assert _recipients(SESSION_24H.key) == expected  # not the withdrawn fellow
    assert _recipients(SESSION_1H.key) == expected
    one_hour = Notification.objects.filter(kind=SESSION_1H.key).first()
    assert one_hour.due_at == START - datetime.timedelta(hours=1)


def test_in_person_sessions_have_no_one_hour_reminder(cast):
    SessionFactory(
        cohort=cast.cohort, starts_at=START, video_url="", venue="Capitol", address="1 Main St"
    )
    _sweep("2026-11-12 16:10:00+00:00", session_reminders.scan)
    assert Notification.objects.filter(kind=SESSION_24H.key).count() == 3
    assert not Notification.objects.filter(kind=SESSION_1H.key).exists()


def test_after_an_outage_only_the_reminder_still_useful_is_sent(cast, send_due, outbox):
    SessionFactory(cohort=cast.cohort, starts_at=START)
    # Beat and workers were down until 30 minutes before the session.
    _sweep("2026-11-12 16:30:00+00:00", session_reminders.scan)
    with time_machine.travel("2026-11-12 16:30:00+00:00", tick=False):
        send_due()
    assert {n.kind for n in Notification.objects.filter(state=State.SENT)} == {SESSION_1H.key}
    assert set(
        Notification.objects.filter(kind=SESSION_24H.key).values_list("state", flat=True)
    ) == {State.SKIPPED}
    assert len(outbox) == 3


def test_moving_a_session_drops_old_reminders_and_reminds_at_the_new_time(
    cast, outbox, django_capture_on_commit_callbacks
):
    session = SessionFactory(cohort=cast.cohort, starts_at=START)
    _sweep("2026-11-11 17:30:00+00:00", session_reminders.scan)
    with time_machine.travel("2026-11-11 17:40:00+00:00", tick=False):
        session.starts_at = START + datetime.timedelta(hours=3)
        session.ends_at = session.starts_at + datetime.timedelta(minutes=90)
        session.sequence += 1
        session.save()
        with django_capture_on_commit_callbacks(execute=True):
            hooks.calendar_event_changed(session)
    assert len(outbox) == 3  # one updated invitation each
    assert set(
        Notification.objects.filter(kind=SESSION_24H.key).values_list("state", flat=True)
    ) == {State.SKIPPED}
    _sweep("2026-11-11 20:00:00+00:00", session_reminders.scan)
    assert Notification.objects.filter(kind=SESSION_24H.key, state=State.PENDING).count() == 3


def test_session_scan_costs_the_same_queries_for_more_sessions_and_fellows(cast):
    SessionFactory(cohort=cast.cohort, starts_at=START)
    now = at("2026-11-12T16:10:00+00:00")
    before, _, rows = count_queries(lambda: session_reminders.scan(now))
    for i in range(4):
        SessionFactory(cohort=cast.cohort, starts_at=START + datetime.timedelta(minutes=i))
        EnrollmentFactory(cohort=cast.cohort)
    after, sql, more = count_queries(lambda: session_reminders.scan(now))
    assert before == after, sql
    assert len(more) > len(rows)


def test_coaching_session_reminds_fellow_and_coach(cast, send_due, outbox):
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=START,
        status=SessionStatus.SCHEDULED,
    )
    _sweep("2026-11-11 17:00:00+00:00", coaching_reminders.scan)
    assert _recipients(COACHING_24H.key) == sorted([cast.coach.email, cast.fellow.email])
    with time_machine.travel("2026-11-11 17:00:00+00:00", tick=False):
        send_due()
    by_recipient = {m.to[0]: m for m in outbox}
    assert f"With: {cast.coach.display_name}" in by_recipient[cast.fellow.email].body
    assert f"With: {cast.fellow.display_name}" in by_recipient[cast.coach.email].body


def test_coach_is_nudged_to_log_a_session_a_day_after_it_ended(cast):
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=START,
        status=SessionStatus.SCHEDULED,
    )
    CoachingSessionFactory(  # logged: no nudge
        enrollment=cast.enrollments["classmate"],
        coach=cast.other_coach,
        starts_at=START,
        status=SessionStatus.COMPLETED,
    )
    _sweep("2026-11-13 17:59:00+00:00", coaching_reminders.scan)  # ended 18:00 + 24 h
    assert not Notification.objects.filter(kind=COACH_LOG.key).exists()
    _sweep("2026-11-13 18:00:00+00:00", coaching_reminders.scan)
    assert _recipients(COACH_LOG.key) == [cast.coach.email]


def test_meeting_reminds_active_members_and_the_facilitator(cast):
    cast.group.facilitator = cast.staff
    cast.group.save()
    GroupMeetingFactory(group=cast.group, starts_at=START)
    _sweep("2026-11-11 17:00:00+00:00", meeting_reminders.scan)
    assert _recipients(MEETING_24H.key) == sorted(
        [cast.fellow.email, cast.peer.email, cast.staff.email]
    )


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_feed_has_sessions_coaching_meetings_and_milestones(cast, client, make_plan):
    session = SessionFactory(cohort=cast.cohort, starts_at=START, title="Systems thinking")
    coaching = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=START,
        status=SessionStatus.SCHEDULED,
    )
    meeting = GroupMeetingFactory(group=cast.group, starts_at=START)
    SessionFactory(cohort=cast.other_cohort, starts_at=START, title="Not mine")
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", datetime.date(2026, 12, 1))])

    token = settings_for(user=cast.fellow).calendar_token
    response = client.get(reverse("notifications:calendar_feed", kwargs={"token": token}))
    cal = Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    for event in (session, coaching, meeting):
        assert f"{event.code}@cohortwise" in uids
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Due: Brief" in summaries and not any("Not mine" in s for s in summaries)
    coach_token = settings_for(user=cast.coach).calendar_token
    coach_feed = client.get(reverse("notifications:calendar_feed", kwargs={"token": coach_token}))
    coach_uids = {str(e["UID"]) for e in Calendar.from_ical(coach_feed.content).walk("VEVENT")}
    assert coach_uids == {f"{coaching.code}@cohortwise"}
