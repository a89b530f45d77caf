import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum import selectors, services
from curriculum.models import Material, Session, SessionKind
from tests.factories.curriculum import (
    MaterialFactory,
    ModuleFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NY = ZoneInfo("America/New_York")


def _at(y, m, d, h, mi=0, zone=NY):
    return datetime.datetime(y, m, d, h, mi, tzinfo=zone)


def test_session_must_end_after_it_starts(cast):
    with pytest.raises(ValidationError) as info:
        services.session_create(
            cohort=cast.cohort,
            title="Backwards",
            kind=SessionKind.MONTHLY,
            starts_at=_at(2026, 10, 13, 13),
            ends_at=_at(2026, 10, 13, 12),
            video_url="https://meet.example.org/x",
        )
    assert info.value.message_dict["ends_at"] == ["The session must end after it starts."]
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(
            cohort=cast.cohort, starts_at=_at(2026, 10, 13, 13), ends_at=_at(2026, 10, 13, 13)
        )


def test_session_needs_a_link_or_a_venue_with_an_address(cast):
    with pytest.raises(ValidationError) as info:
        services.session_create(
            cohort=cast.cohort,
            title="Nowhere",
            starts_at=_at(2026, 10, 13, 13),
            ends_at=_at(2026, 10, 13, 14),
        )
    assert "video_url" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.session_create(
            cohort=cast.cohort,
            title="Somewhere",
            kind=SessionKind.FINAL,
            venue="Hotel",
            starts_at=_at(2026, 10, 13, 13),
            ends_at=_at(2026, 10, 13, 14),
        )
    assert "address" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(cohort=cast.cohort, video_url="", venue="")


def test_session_offers_the_calendar_event_interface(cast):
    session = SessionFactory(
        cohort=cast.cohort,
        title="Gathering",
        kind=SessionKind.FINAL,
        venue="Hall",
        address="1 Main St, Albuquerque, NM",
        video_url="",
    )
    assert session.calendar_title == "Gathering (Final in-person gathering)"
    assert session.location_text == "Hall, 1 Main St, Albuquerque, NM"
    assert session.sequence == 0 and session.cancelled_at is None
    attendees = set(session.expected_attendees())
    # Active fellows only: not the withdrawn one, not the alumnus of the past cohort.
    assert attendees == {cast.fellow, cast.peer, cast.classmate}
    assert session.get_absolute_url() == reverse("curriculum:session_detail", args=[session.code])


def test_moving_a_session_bumps_the_sequence_and_tells_attendees(cast):
    session = SessionFactory(cohort=cast.cohort)
    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        services.session_update(session=session, title="Renamed")
        assert session.sequence == 0 and not hook.called
        services.session_update(
            session=session,
            starts_at=session.starts_at + datetime.timedelta(hours=1),
            ends_at=session.ends_at + datetime.timedelta(hours=1),
        )
        assert session.sequence == 1
        hook.assert_called_once_with(session, cancelled=False)
        services.session_update(session=session, video_url="https://meet.example.org/new")
        assert session.sequence == 2


def test_cancelling_tells_attendees_and_cannot_happen_twice(cast):
    session = SessionFactory(cohort=cast.cohort)
    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        services.session_cancel(session=session)
        hook.assert_called_once_with(session, cancelled=True)
    session.refresh_from_db()
    assert session.cancelled_at is not None and session.sequence == 1
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=session)
    with pytest.raises(ValidationError, match="cancelled"):
        services.session_update(session=session, title="Too late")


def test_monthly_series_keeps_wall_clock_time_across_daylight_saving(cast):
    sessions = services.session_series_create(
        cohort=cast.cohort,
        title="Monthly session",
        weekday=1,  # Tuesday
        week=2,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(14, 30),
        first_month=datetime.date(2026, 10, 1),
        last_month=datetime.date(2027, 6, 1),
        video_url="https://meet.example.org/monthly",
    )
    assert len(sessions) == 9
    # Second Tuesday of October 2026 (EDT, UTC-4) and of November 2026 (EST, UTC-5).
    assert sessions[0].starts_at == datetime.datetime(2026, 10, 13, 17, 0, tzinfo=UTC)
    assert sessions[1].starts_at == datetime.datetime(2026, 11, 10, 18, 0, tzinfo=UTC)
    # March 2027: DST starts on 14 March, the second Tuesday is 9 March (still EST).
    assert sessions[5].starts_at == datetime.datetime(2027, 3, 9, 18, 0, tzinfo=UTC)
    assert sessions[6].starts_at == datetime.datetime(2027, 4, 13, 17, 0, tzinfo=UTC)
    for s in sessions:
        local = s.starts_at.astimezone(NY)
        assert (local.weekday(), local.hour, 8 <= local.day <= 14) == (1, 13, True)
        assert s.ends_at - s.starts_at == datetime.timedelta(minutes=90)
    assert sessions[0].title == "Monthly session — October 2026"
    assert len({s.series for s in sessions}) == 1


def test_series_outside_the_cohort_is_refused_whole(cast):
    with pytest.raises(ValidationError, match="outside the cohort"):
        services.session_series_create(
            cohort=cast.cohort,
            title="Too long",
            weekday=1,
            week=2,
            start_time=datetime.time(13, 0),
            end_time=datetime.time(14, 30),
            first_month=datetime.date(2027, 6, 1),
            last_month=datetime.date(2027, 10, 1),
            video_url="https://meet.example.org/monthly",
        )
    assert not Session.objects.exists()


def test_series_form_refuses_end_before_start(client_for, cast):
    response = client_for("staff").post(
        reverse("curriculum:series_create", args=[cast.cohort.code]),
        {
            "title": "Monthly",
            "kind": "monthly",
            "week": 2,
            "weekday": 1,
            "start_time": "14:30",
            "end_time": "13:00",
            "first_month": "2026-10-01",
            "last_month": "2027-06-01",
            "video_url": "https://meet.example.org/m",
        },
    )
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_staff_create_a_session_in_the_cohorts_zone(client_for, cast):
    response = client_for("staff").post(
        reverse("curriculum:session_create", args=[cast.cohort.code]),
        {
            "title": "Seminar: environmental justice",
            "kind": "seminar",
            "topic": "Environmental justice",
            "starts_at_0": "2026-12-08",
            "starts_at_1": "13:00",
            "ends_at_0": "2026-12-08",
            "ends_at_1": "15:00",
            "video_url": "https://meet.example.org/ej",
        },
    )
    session = Session.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.starts_at == datetime.datetime(2026, 12, 8, 18, 0, tzinfo=UTC)


def test_last_weekday_of_a_month():
    assert selectors.nth_weekday(2027, 3, 1, -1) == datetime.date(2027, 3, 30)
    assert selectors.nth_weekday(2027, 3, 1, 4) == datetime.date(2027, 3, 23)


def test_material_file_limits(cast, settings):
    settings.MAX_UPLOAD_BYTES = 100
    session = SessionFactory(cohort=cast.cohort)
    with pytest.raises(ValidationError, match="limit is 100"):
        services.material_add(
            session=session, title="Big", file=SimpleUploadedFile("big.pdf", b"x" * 101)
        )
    with pytest.raises(ValidationError, match="cannot be uploaded"):
        services.material_add(
            session=session, title="Exe", file=SimpleUploadedFile("run.exe", b"MZ")
        )
    with pytest.raises(ValidationError, match="either a link or a file"):
        services.material_add(session=session, title="Nothing")
    material = services.material_add(
        session=session, title="Slides", file=SimpleUploadedFile("slides.pdf", b"%PDF")
    )
    assert material.href == reverse("curriculum:material_download", args=[material.code])
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.create(session=session, title="Empty")


def test_materials_are_served_only_to_the_cohort(client_for, cast):
    session = SessionFactory(cohort=cast.cohort)
    material = services.material_add(
        session=session, title="Slides", file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4")
    )
    url = reverse("curriculum:material_download", args=[material.code])
    response = client_for("fellow").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    assert client_for("other_cohort_fellow").get(url).status_code == 404


@time_machine.travel("2026-11-22 12:00:00+00:00", tick=False)
def test_schedule_lists_upcoming_first_in_the_viewers_zone(client_for, cast):
    past = SessionFactory(cohort=cast.cohort, title="October session")
    SessionFactory(
        cohort=cast.cohort,
        title="December seminar",
        kind=SessionKind.SEMINAR,
        starts_at=datetime.datetime(2026, 12, 8, 18, 0, tzinfo=UTC),
    )
    SpeakerFactory(session=past, name="Dr. Ana Ruiz", affiliation="UNM")
    services.material_add(session=past, title="October slides", url="https://example.org/s")
    cast.fellow.time_zone = "Pacific/Honolulu"
    cast.fellow.save()
    body = (
        client_for("fellow")
        .get(reverse("curriculum:schedule", args=[cast.cohort.code]))
        .content.decode()
    )
    upcoming, past_part = body.split("Past sessions")
    assert "December seminar" in upcoming and "October session" in past_part
    # 18:00 UTC is 8:00 AM in Honolulu; the zone is named.
    assert "Tue 8 Dec 2026, 8:00 AM – 9:30 AM HST" in upcoming
    assert "October slides" in past_part and "Dr. Ana Ruiz, UNM" in past_part


@time_machine.travel("2026-11-22 12:00:00+00:00", tick=False)
def test_schedule_names_modules_speakers_in_order_and_cancellations(client_for, cast):
    module = ModuleFactory(cohort=cast.cohort, order=2, title="Policy levers")
    session = SessionFactory(cohort=cast.cohort, title="October session", module=module)
    SpeakerFactory(session=session, name="Second <b>Speaker</b>", affiliation="", order=2)
    SpeakerFactory(session=session, name="First Speaker", affiliation="UNM", order=1)
    MaterialFactory(session=session, title="Reading", url="https://example.org/r")
    services.session_cancel(session=SessionFactory(cohort=cast.cohort, title="Called off"))
    url = reverse("curriculum:schedule", args=[cast.cohort.code])
    body = client_for("fellow").get(url).content.decode()
    assert "Module 2: Policy levers" in body
    assert "With First Speaker, UNM; Second &lt;b&gt;Speaker&lt;/b&gt;" in body
    assert '<a href="https://example.org/r">Reading</a>' in body
    called_off = body[body.index("Called off") :]
    assert "Cancelled" in called_off[: called_off.index("</li>")]


def test_session_page_shows_speakers_and_escapes_their_text(client_for, cast):
    session = SessionFactory(cohort=cast.cohort, kind=SessionKind.SEMINAR, topic="Poverty")
    SpeakerFactory(session=session, name="<b>Dr. Bold</b>", bio="Studies poverty.")
    body = client_for("peer").get(session.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Dr. Bold&lt;/b&gt;" in body and "Studies poverty." in body
    assert "Take attendance" not in body


def test_staff_cancel_from_the_session_page(client_for, cast):
    session = SessionFactory(cohort=cast.cohort)
    with mock.patch("notifications.hooks.calendar_event_changed") as hook:
        client_for("staff").post(reverse("curriculum:session_cancel", args=[session.code]))
    hook.assert_called_once()
    body = client_for("fellow").get(session.get_absolute_url()).content.decode()
    assert "This session was cancelled" in body


def test_edit_pages_start_from_what_is_saved(client_for, cast, cur):
    client = client_for("staff")
    page = client.get(reverse("curriculum:session_edit", args=[cur.session.code])).content.decode()
    # 17:00 UTC on 13 October 2026 is 1:00 PM in the cohort's zone (New York, EDT).
    assert 'value="October session"' in page and 'value="13:00"' in page
    assert f'<option value="{cur.module.pk}" selected>' in page
    page = client.get(reverse("curriculum:module_edit", args=[cur.module.code])).content.decode()
    assert 'value="Leading self"' in page and "checked" in page
    page = client.get(reverse("curriculum:module_create", args=[cast.cohort.code])).content.decode()
    assert 'name="order" value="2"' in page
    page = client.get(reverse("curriculum:speaker_edit", args=[cur.speaker.code])).content.decode()
    assert 'value="Dr. Ana Ruiz"' in page


@pytest.mark.parametrize("url_name", ["curriculum:session_create", "curriculum:series_create"])
def test_a_venue_without_an_address_is_refused_at_the_field(client_for, cast, url_name):
    response = client_for("staff").post(
        reverse(url_name, args=[cast.cohort.code]), {"title": "Gathering", "venue": "Hall"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_address"' in body and "so people can find it" in body
    assert not Session.objects.exists()
