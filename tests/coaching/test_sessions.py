import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from coaching.models import CoachingSession, PrivateNote, SessionStatus
from coaching.services import (
    coaching_session_cancel,
    coaching_session_create,
    coaching_session_reschedule,
    coaching_session_update,
)
from tests.factories.coaching import CoachingPreferencesFactory, CoachingSessionFactory

NOW = "2026-11-22 15:00:00+00:00"
UTC = datetime.UTC


def _at(day, hour=15):
    return datetime.datetime(2026, 11, day, hour, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_coach_logs_a_past_session_with_a_private_note(cast, competencies):
    session = coaching_session_create(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        data={"starts_at": _at(20), "duration_minutes": 75, "status": "completed", "mode": "phone"},
        competencies=competencies[:2],
        private_note="Seems overwhelmed.",
    )
    assert session.logged_at is not None
    assert set(session.competencies.all()) == set(competencies[:2])
    note = PrivateNote.objects.get(session=session)
    assert (note.author, note.body) == (cast.coach, "Seems overwhelmed.")
    assert "Seems" not in str(note)


@time_machine.travel(NOW, tick=False)
def test_only_the_active_coach_adds_sessions(cast):
    with pytest.raises(ValidationError):
        coaching_session_create(
            enrollment=cast.enrollments["fellow"],
            coach=cast.other_coach,
            data={"starts_at": _at(25), "duration_minutes": 60},
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"starts_at": _at(25), "status": "completed"}, "status", "has not happened yet"),
        ({"starts_at": _at(25), "status": "no_show"}, "status", "has not happened yet"),
        (
            {"starts_at": datetime.datetime(2025, 1, 5, tzinfo=UTC)},
            "starts_at",
            "during the cohort year",
        ),
        ({"starts_at": _at(25), "duration_minutes": 600}, "duration_minutes", "between 5 and"),
        (
            {"starts_at": _at(25), "mode": "in_person", "video_url": "https://zoom.us/j/1"},
            "video_url",
            "no video link",
        ),
    ],
)
def test_sessions_that_make_no_sense_are_refused(cast, data, field, words):
    with pytest.raises(ValidationError) as exc:
        coaching_session_create(
            enrollment=cast.enrollments["fellow"], coach=cast.coach, data=data, private_note="x"
        )
    assert words in " ".join(exc.value.message_dict[field])
    assert not CoachingSession.objects.exists()
    assert not PrivateNote.objects.exists()


def test_database_refuses_a_bad_duration_and_a_cancelled_session_without_time(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingSessionFactory(enrollment=cast.enrollments["fellow"], duration_minutes=0)
    session = CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    session.status = SessionStatus.CANCELLED
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_session_offers_the_calendar_event_interface(cast):
    cast.coach.preferred_name = "Cora"
    cast.coach.save()
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=_at(25),
        duration_minutes=90,
        mode="in_person",
        location="State Capitol, Room 4",
    )
    assert session.ends_at == _at(25) + datetime.timedelta(minutes=90)
    assert session.calendar_title == "Coaching: Fiona Fellow with Cora"
    assert session.location_text == "State Capitol, Room 4"
    assert set(session.expected_attendees()) == {cast.fellow, cast.coach}
    assert session.get_absolute_url() == f"/coaching/sessions/{session.code}/"
    assert session.sequence == 0 and session.cancelled_at is None


def _scheduled(cast):
    return CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=_at(25),
    )


@time_machine.travel(NOW, tick=False)
def test_reschedule_bumps_the_sequence_and_tells_attendees(cast):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=_at(25),
    )
    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        coaching_session_reschedule(
            session=session, by=cast.coach, starts_at=_at(26), duration_minutes=60
        )
    session.refresh_from_db()
    assert session.starts_at == _at(26)
    assert session.sequence == 1
    hook.assert_called_once_with(session, cancelled=False)

    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        coaching_session_update(session=session, by=cast.coach, data={"topics": "Budget"})
    hook.assert_not_called()
    assert session.sequence == 1


@time_machine.travel(NOW, tick=False)
def test_reschedule_into_the_past_is_refused(cast):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=_at(25),
    )
    with pytest.raises(ValidationError, match="still to come"):
        coaching_session_reschedule(
            session=session, by=cast.coach, starts_at=_at(1), duration_minutes=60
        )


@time_machine.travel(NOW, tick=False)
def test_cancel_marks_time_bumps_sequence_and_sends_a_cancellation(cast):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=_at(25),
    )
    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        coaching_session_cancel(session=session, by=cast.coach)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert session.cancelled_at == _at(22)
    assert session.sequence == 1
    hook.assert_called_once_with(session, cancelled=True)
    with pytest.raises(ValidationError):
        coaching_session_cancel(session=session, by=cast.coach)


@time_machine.travel(NOW, tick=False)
def test_coach_logs_through_the_form_in_their_own_zone(cast, client_for, competencies):
    cast.coach.time_zone = "Pacific/Honolulu"
    cast.coach.save()
    response = client_for("coach").post(
        reverse("coaching:session_create", args=[cast.enrollments["fellow"].code]),
        {
            "starts_at": "2026-11-20T09:00",
            "duration_minutes": "60",
            "mode": "video",
            "status": "completed",
            "topics": "Budget season",
            "competencies": [competencies[0].pk],
            "shared_summary": "We planned the budget testimony.",
            "next_steps": "Draft talking points.",
            "private_note": "Nervous about the hearing.",
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    # 09:00 in Honolulu is 19:00 UTC.
    assert session.starts_at == datetime.datetime(2026, 11, 20, 19, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_bad_session_form_says_what_is_wrong_and_saves_nothing(cast, client_for):
    response = client_for("coach").post(
        reverse("coaching:session_create", args=[cast.enrollments["fellow"].code]),
        {
            "starts_at": "2026-12-01T10:00",
            "duration_minutes": "60",
            "mode": "video",
            "status": "completed",
            "private_note": "secret",
        },
    )
    assert response.status_code == 200
    assert "cannot be completed or a no-show" in response.content.decode()
    assert not CoachingSession.objects.exists()
    assert not PrivateNote.objects.exists()


def test_fellow_adds_a_reflection(cast, client_for):
    session = CoachingSessionFactory(enrollment=cast.enrollments["fellow"], coach=cast.coach)
    url = reverse("coaching:session_reflection", args=[session.code])
    response = client_for("fellow").post(url, {"fellow_reflection": "I felt heard."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.fellow_reflection == "I felt heard."
    assert session.reflection_at is not None
    too_long = client_for("fellow").post(url, {"fellow_reflection": "x" * 1501})
    assert "at most 1500 characters" in too_long.content.decode()


def test_staff_see_summaries_only_with_consent_but_always_the_facts(cast, client_for):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        shared_summary="Talked about the waiver timeline.",
        duration_minutes=50,
    )
    url = reverse("coaching:session_detail", args=[session.code])
    staff = client_for("staff")
    body = staff.get(url).content.decode()
    assert "50 minutes" in body and "Completed" in body
    assert "waiver timeline" not in body
    assert "has not agreed to share" in body

    client_for("fellow").post(
        reverse("coaching:preferences", args=[cast.enrollments["fellow"].code]),
        {"share_summaries_with_staff": "on", "languages": "English"},
    )
    assert "waiver timeline" in staff.get(url).content.decode()

    # Withdrawing consent hides it again.
    CoachingPreferencesFactory(enrollment=cast.enrollments["fellow"])
    client_for("fellow").post(
        reverse("coaching:preferences", args=[cast.enrollments["fellow"].code]),
        {"languages": "English"},
    )
    assert "waiver timeline" not in staff.get(url).content.decode()
    assert "waiver timeline" in client_for("fellow").get(url).content.decode()
