import datetime

import time_machine

from coaching.notices import COACH_LOG, COACHING_24H
from coaching.reminders import calendar_events, scan
from tests.factories.coaching import CoachingSessionFactory, PrivateNoteFactory

NOW = datetime.datetime(2026, 11, 22, 15, tzinfo=datetime.UTC)


def _session(cast, hours, **kw):
    return CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=NOW + datetime.timedelta(hours=hours),
        shared_summary="Summary words",
        **kw,
    )


def test_fellow_and_coach_are_reminded_a_day_ahead(cast):
    soon = _session(cast, 20)
    _session(cast, 30)  # more than a day ahead: not yet
    rows = scan(NOW)
    assert {(r.kind, r.recipient_id) for r in rows} == {
        (COACHING_24H.key, cast.fellow.pk),
        (COACHING_24H.key, cast.coach.pk),
    }
    # A video session also gets a reminder an hour ahead, so the day-ahead one gives way then.
    one_hour_before = soon.starts_at - datetime.timedelta(hours=1)
    assert all(r.subject_id == soon.pk and r.expires_at == one_hour_before for r in rows)


def test_coach_is_nudged_a_day_after_an_unlogged_session(cast):
    late = _session(cast, -26)  # ended 25 hours ago: due (24 hours after its end)
    _session(cast, -20)  # ended 19 hours ago: not yet
    _session(cast, -24 * 20)  # too old to nudge
    CoachingSessionFactory(  # logged: nothing to do
        enrollment=cast.enrollments["fellow"], coach=cast.coach, starts_at=NOW
    )
    rows = scan(NOW)
    assert [(r.kind, r.recipient_id, r.subject_id) for r in rows] == [
        (COACH_LOG.key, cast.coach.pk, late.pk)
    ]
    assert rows[0].url.endswith(f"/sessions/{late.code}/edit/")


@time_machine.travel(NOW, tick=False)
def test_calendar_feed_and_payloads_carry_no_summary_or_notes(cast):
    session = _session(cast, 20)
    PrivateNoteFactory(session=session, body="NOTE-SECRET")
    for user in (cast.fellow, cast.coach):
        events = calendar_events(user)
        assert [e["event_code"] for e in events] == [str(session.code)]
    assert calendar_events(cast.other_coach) == []
    text = str(calendar_events(cast.fellow)) + str([r.payload for r in scan(NOW)])
    assert "NOTE-SECRET" not in text and "Summary words" not in text
