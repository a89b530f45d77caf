"""Fellows book coaching sessions against their coach's availability: the slots they see,
the booking and what it tells both, busy time, the entitlement, moving and cancelling until
the program's cut-off, and the database's backstop against double bookings."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from coaching.booking import rules, selectors, services
from coaching.models import CoachAssignment, CoachAvailability, CoachingSession, SessionStatus
from notifications.models import Notification

from ..factories.coaching import (
    CoachAssignmentFactory,
    CoachAvailabilityFactory,
    CoachingSessionFactory,
)
from ..factories.cohorts import EnrollmentFactory
from ..factories.networks import GroupMeetingFactory
from ..queries import assert_stable_queries

NY = zoneinfo.ZoneInfo("America/New_York")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
# Monday 26 October 2026, 8:00 in New York: with a day's notice, the first bookable day is
# Tuesday 27 October.
NOW = "2026-10-26 12:00:00+00:00"


def ny(day, hour, minute=0):
    return datetime.datetime(2026, 10, day, hour, minute, tzinfo=NY).astimezone(datetime.UTC)


@pytest.fixture
def availability(cast):
    return CoachAvailabilityFactory(profile=cast.coach.coach_profile)


def book_url(cast):
    return reverse("coaching:book", kwargs={"code": cast.enrollments["fellow"].code})


def slot_starts(cast, minutes=60, moving=None):
    page = selectors.slot_page(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        viewer_zone=NY,
        minutes=minutes,
        moving=moving,
    )
    return [slot.starts_at for _, slots in page.days for slot, _ in slots]


def post_booking(client, cast, starts_at, minutes=60):
    return client.post(
        book_url(cast),
        {"starts_at": starts_at.isoformat(), "duration_minutes": str(minutes)},
    )


# --- Slots -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_fellow_sees_open_slots_in_their_own_zone(cast, availability, client_for):
    cast.fellow.time_zone = "America/Los_Angeles"
    cast.fellow.save()
    response = client_for("fellow").get(book_url(cast))
    content = response.content.decode()
    assert response.status_code == 200
    # 9:00 in New York is 6:00 in Los Angeles; the first day is Tuesday (a day's notice).
    assert "Tuesday 27 October" in content
    assert "Monday 26 October" not in content
    assert 'aria-label="Book Tuesday 27 October, 6:00 AM, 60 minutes"' in content
    assert "America/Los_Angeles" in content
    # Weekdays only, four weeks ahead at most.
    starts = slot_starts(cast)
    assert starts[0] == ny(27, 9)
    assert {s.astimezone(NY).weekday() for s in starts} <= {0, 1, 2, 3, 4}
    assert max(starts) <= datetime.datetime.fromisoformat(NOW) + datetime.timedelta(days=28)


@time_machine.travel(NOW, tick=False)
def test_a_window_offers_every_half_hour_that_fits_the_length(cast, availability):
    tuesday = [s.astimezone(NY).strftime("%H:%M") for s in slot_starts(cast) if s.day == 27]
    assert tuesday == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    tuesday_30 = [s for s in slot_starts(cast, 30) if s.astimezone(NY).day == 27]
    assert len(tuesday_30) == 6  # 9:00 … 11:30


@time_machine.travel(NOW, tick=False)
def test_busy_time_and_the_buffer_close_slots(cast, availability):
    other_fellow = cast.enrollments["classmate"]
    # Another fellow's session 10:00–11:00 on Tuesday (with a 15-minute break either side)...
    CoachingSessionFactory(
        enrollment=other_fellow, coach=cast.coach, status="scheduled", starts_at=ny(27, 10)
    )
    # ...and a group meeting the coach facilitates on Wednesday 9:30–10:30.
    cast.group.facilitator = cast.coach
    cast.group.save()
    GroupMeetingFactory(group=cast.group, starts_at=ny(28, 9, 30), ends_at=ny(28, 10, 30))
    # A cancelled session keeps nothing busy.
    CoachingSessionFactory(
        enrollment=other_fellow, coach=cast.coach, status="cancelled", starts_at=ny(29, 9)
    )
    by_day = {}
    for s in slot_starts(cast):
        local = s.astimezone(NY)
        by_day.setdefault(local.day, []).append(local.strftime("%H:%M"))
    assert 27 not in by_day  # 9:00–10:00 ends within the break, 11:00–12:00 starts in it
    assert by_day[28] == ["11:00"]
    assert by_day[29] == ["09:00", "09:30", "10:00", "10:30", "11:00"]


@time_machine.travel(NOW, tick=False)
def test_days_off_close_whole_days(cast, availability):
    services.day_off_add(
        profile=availability.profile,
        first_day=datetime.date(2026, 10, 28),
        last_day=datetime.date(2026, 10, 29),
        note="Conference",
    )
    days = {s.astimezone(NY).day for s in slot_starts(cast) if s.month == 10}
    assert 27 in days and 30 in days
    assert 28 not in days and 29 not in days


@time_machine.travel(NOW, tick=False)
def test_a_coach_who_takes_no_bookings_offers_nothing(cast, availability, client_for):
    availability.accepts_bookings = False
    availability.save()
    response = client_for("fellow").get(book_url(cast))
    assert rules.NOT_OPEN in response.content.decode()
    assert b'name="starts_at"' not in response.content


# --- Booking ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_booking_makes_a_scheduled_session_and_invites_both(
    cast, availability, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client_for("fellow"), cast, ny(27, 10))
    session = CoachingSession.objects.get(enrollment=cast.enrollments["fellow"])
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.starts_at == ny(27, 10)
    assert session.duration_minutes == 60
    assert session.status == SessionStatus.SCHEDULED
    assert session.coach == cast.coach
    assert session.video_url == "https://meet.example.org/coach"
    assert session.booked_at is not None
    told = Notification.objects.filter(kind="coaching_booked", subject_id=session.pk)
    assert set(told.values_list("recipient", flat=True)) == {cast.fellow.pk, cast.coach.pk}
    assert all(n.payload["event_code"] == str(session.code) for n in told)
    # The slot and the ones within the break are gone for everyone.
    tuesday = [s.astimezone(NY).strftime("%H:%M") for s in slot_starts(cast) if s.day == 27]
    assert tuesday == []


@time_machine.travel(NOW, tick=False)
def test_a_booked_session_gets_the_usual_reminders(cast, availability):
    from coaching import reminders

    session = services.booking_create(
        enrollment=cast.enrollments["fellow"],
        by=cast.fellow,
        starts_at=ny(27, 10),
        duration_minutes=60,
    )
    rows = reminders.scan(session.starts_at - datetime.timedelta(hours=23))
    mine = [r for r in rows if r.subject_id == session.pk]
    assert {(r.kind, r.recipient_id) for r in mine} == {
        ("coaching_24h", cast.fellow.pk),
        ("coaching_24h", cast.coach.pk),
    }


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "data, error",
    [
        ({"starts_at": "tomorrow at ten", "duration_minutes": "60"}, "Pick a time from the list."),
        ({"starts_at": "", "duration_minutes": "60"}, "Pick a time."),
        ({"starts_at": "2026-10-27T14:00:00+00:00", "duration_minutes": "45"}, "does not offer"),
        ({"starts_at": "2026-10-27T14:00:00+00:00", "duration_minutes": "7"}, "lengths"),
        # Sunday: not in the coach's hours.
        ({"starts_at": "2026-11-01T14:00:00+00:00", "duration_minutes": "60"}, "no longer free"),
        # 9:10: not a slot start.
        ({"starts_at": "2026-10-27T13:10:00+00:00", "duration_minutes": "60"}, "no longer free"),
        # Within the day's notice.
        ({"starts_at": "2026-10-26T14:00:00+00:00", "duration_minutes": "60"}, "24 hours ahead"),
        ({"starts_at": "2026-12-15T14:00:00+00:00", "duration_minutes": "60"}, "28 days ahead"),
    ],
)
def test_bad_bookings_are_refused_with_the_reason_and_save_nothing(
    cast, availability, client_for, data, error
):
    response = client_for("fellow").post(book_url(cast), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not CoachingSession.objects.filter(enrollment=cast.enrollments["fellow"]).exists()


@time_machine.travel(NOW, tick=False)
def test_a_slot_taken_in_between_is_said_to_be_gone(cast, availability, client_for):
    CoachingSessionFactory(
        enrollment=cast.enrollments["classmate"],
        coach=cast.coach,
        status="scheduled",
        starts_at=ny(27, 10),
    )
    response = post_booking(client_for("fellow"), cast, ny(27, 10))
    assert rules.SLOT_GONE in response.content.decode()
    assert not CoachingSession.objects.filter(enrollment=cast.enrollments["fellow"]).exists()


def test_the_database_refuses_two_scheduled_bookings_of_a_coach_at_one_time(cast):
    starts = datetime.datetime(2026, 10, 27, 14, tzinfo=datetime.UTC)
    booked = datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC)
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="scheduled",
        starts_at=starts,
        booked_at=booked,
    )
    with pytest.raises(IntegrityError, match="one_booking_per_slot|UNIQUE"):
        CoachingSession.objects.create(
            enrollment=cast.enrollments["classmate"],
            coach=cast.coach,
            status="scheduled",
            starts_at=starts,
            booked_at=booked,
        )


# --- Entitlement --------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_fellow_cannot_book_past_their_entitlement(cast, availability, client_for):
    program = cast.program
    program.coaching_entitlement_amount = 2
    program.save()
    fellow = cast.enrollments["fellow"]
    CoachingSessionFactory(enrollment=fellow, coach=cast.coach, status="completed")
    CoachingSessionFactory(
        enrollment=fellow, coach=cast.coach, status="scheduled", starts_at=ny(30, 9)
    )
    # A cancelled session does not count.
    CoachingSessionFactory(enrollment=fellow, coach=cast.coach, status="cancelled")
    client = client_for("fellow")
    page = client.get(book_url(cast)).content.decode()
    message = "You have had or booked all 2 coaching sessions your program gives you"
    assert message in page
    assert 'name="starts_at"' not in page
    response = post_booking(client, cast, ny(27, 10))
    assert message in response.content.decode()
    assert CoachingSession.objects.filter(enrollment=fellow).count() == 3


@time_machine.travel(NOW, tick=False)
def test_in_hours_only_lengths_that_fit_are_offered(cast, availability):
    program = cast.program
    program.coaching_entitlement_unit = "hours"
    program.coaching_entitlement_amount = 2
    program.save()
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        status="completed",
        duration_minutes=90,
    )
    page = selectors.slot_page(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, viewer_zone=NY
    )
    assert page.lengths == [30]
    with pytest.raises(ValidationError, match="0.5 hours are left"):
        services.booking_create(
            enrollment=cast.enrollments["fellow"],
            by=cast.fellow,
            starts_at=ny(27, 10),
            duration_minutes=60,
        )


# --- Moving and cancelling ----------------------------------------------------------------


@pytest.fixture
def booked(cast, availability):
    with time_machine.travel(NOW, tick=False):
        return services.booking_create(
            enrollment=cast.enrollments["fellow"],
            by=cast.fellow,
            starts_at=ny(28, 10),
            duration_minutes=60,
        )


@time_machine.travel(NOW, tick=False)
def test_the_fellow_moves_a_session_and_both_get_an_update(cast, booked, client_for):
    url = reverse("coaching:booking_move", kwargs={"code": booked.code})
    client = client_for("fellow")
    page = client.get(url).content.decode()
    # The session's own time is offered again (it is the one being moved).
    assert "Move to Wednesday 28 October, 10:00 AM, 60 minutes" in page
    response = client.post(url, {"starts_at": ny(29, 11).isoformat(), "duration_minutes": "60"})
    booked.refresh_from_db()
    assert response.status_code == 302
    assert booked.starts_at == ny(29, 11)
    assert booked.sequence == 1
    assert set(
        Notification.objects.filter(kind="event_updated", subject_id=booked.pk).values_list(
            "recipient", flat=True
        )
    ) == {cast.fellow.pk, cast.coach.pk}


@time_machine.travel(NOW, tick=False)
def test_the_fellow_cancels_a_session_before_the_cut_off(cast, booked, client_for):
    url = reverse("coaching:booking_cancel", kwargs={"code": booked.code})
    response = client_for("fellow").post(url)
    booked.refresh_from_db()
    assert response.status_code == 302
    assert booked.status == SessionStatus.CANCELLED
    assert booked.cancelled_at is not None
    assert Notification.objects.filter(
        kind="event_cancelled", subject_id=booked.pk, recipient=cast.coach
    ).exists()
    # The time is free again.
    assert ny(28, 10) in slot_starts(cast)


def test_after_the_cut_off_the_fellow_asks_their_coach(cast, booked, client_for):
    cast.program.coaching_change_cutoff_hours = 48
    cast.program.save()
    # Monday 26 October 14:00 UTC is 44 hours before Wednesday 10:00 New York time.
    with time_machine.travel("2026-10-26 18:00:00+00:00", tick=False):
        client = client_for("fellow")
        detail = client.get(booked.get_absolute_url()).content.decode()
        assert "too late to move or cancel" in detail
        response = client.post(reverse("coaching:booking_cancel", kwargs={"code": booked.code}))
        move = client.get(reverse("coaching:booking_move", kwargs={"code": booked.code}))
        follow = client.get(response["Location"]).content.decode()
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED
    assert response.status_code == 302
    assert move.status_code == 302
    assert "until 48 hours before they start" in follow


@time_machine.travel(NOW, tick=False)
def test_before_the_cut_off_the_session_page_offers_move_and_cancel(cast, booked, client_for):
    detail = client_for("fellow").get(booked.get_absolute_url()).content.decode()
    assert "Move this session" in detail and "Cancel this session" in detail
    assert "booked by the fellow on 26 Oct 2026" in detail
    coach_view = client_for("coach").get(booked.get_absolute_url()).content.decode()
    assert "Move this session" not in coach_view


# --- The coach's settings -----------------------------------------------------------------

SETTINGS = {
    "accepts_bookings": "on",
    "time_zone": "America/Denver",
    "session_lengths": ["30", "60"],
    "buffer_minutes": "10",
    "min_notice_hours": "12",
    "max_days_ahead": "21",
    "video_url": "https://meet.example.org/maya",
    "day_0": "9:00–12:00, 14:00-16:30",
    "day_2": "8-11",
}


def test_the_coach_sets_weekly_hours_and_booking_rules(cast, client_for):
    client = client_for("coach")
    response = client.post(reverse("coaching:availability"), SETTINGS)
    assert response.status_code == 302
    availability = cast.coach.coach_profile.availability
    assert availability.time_zone == "America/Denver"
    assert availability.session_lengths == [30, 60]
    assert (availability.buffer_minutes, availability.min_notice_hours) == (10, 12)
    assert availability.max_days_ahead == 21
    assert [str(w) for w in availability.windows.all()] == [
        "Monday 09:00–12:00",
        "Monday 14:00–16:30",
        "Wednesday 08:00–11:00",
    ]
    page = client.get(reverse("coaching:availability")).content.decode()
    assert 'value="09:00–12:00, 14:00–16:30"' in page


@pytest.mark.parametrize(
    "change, field, error",
    [
        ({"day_0": "9 to 25"}, "day_0", "Write hours like 9:00–12:00"),
        ({"day_1": "12:00-9:00"}, "day_1", "the end comes after the start"),
        ({"day_1": "9-12, 11-13"}, "day_1", "These hours overlap"),
        ({"session_lengths": []}, "session_lengths", "Offer at least one session length"),
        ({"buffer_minutes": "500"}, "buffer_minutes", "less than or equal to 120"),
        ({"max_days_ahead": "0"}, "max_days_ahead", "greater than or equal to 1"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"video_url": "not a link at all"}, "video_url", "Enter a valid URL"),
    ],
)
def test_bad_availability_is_refused_next_to_its_field(cast, client_for, change, field, error):
    response = client_for("coach").post(reverse("coaching:availability"), {**SETTINGS, **change})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(error in message for message in form.errors[field])
    assert not CoachAvailability.objects.filter(profile__user=cast.coach).exists()


@time_machine.travel(NOW, tick=False)
def test_the_coach_adds_and_removes_days_off(cast, availability, client_for):
    client = client_for("coach")
    bad = client.post(
        reverse("coaching:day_off_add"),
        {"first_day": "2026-11-10", "last_day": "2026-11-02", "note": ""},
    )
    assert bad.status_code == 200
    assert "comes on or after the first" in bad.content.decode()
    past = client.post(
        reverse("coaching:day_off_add"),
        {"first_day": "2026-10-01", "last_day": "2026-10-02", "note": ""},
    )
    assert "still to come" in past.content.decode()
    assert not availability.days_off.exists()
    client.post(
        reverse("coaching:day_off_add"),
        {"first_day": "2026-11-25", "last_day": "2026-11-27", "note": "Thanksgiving"},
    )
    day_off = availability.days_off.get()
    assert day_off.note == "Thanksgiving"
    assert "Thanksgiving" in client.get(reverse("coaching:availability")).content.decode()
    # Another coach cannot remove it.
    other = client_for("other_coach").post(
        reverse("coaching:day_off_remove", kwargs={"code": day_off.code})
    )
    assert other.status_code == 404
    client.post(reverse("coaching:day_off_remove", kwargs={"code": day_off.code}))
    assert not availability.days_off.exists()


# --- Query cost ---------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_slot_page_costs_the_same_for_a_coach_with_20_fellows_and_a_year_of_sessions(
    cast, availability, client_for
):
    cast.group.facilitator = cast.coach
    cast.group.save()
    year_start = datetime.datetime(2026, 9, 1, 15, tzinfo=datetime.UTC)

    def a_year_of_sessions(enrollment, hour):
        CoachingSession.objects.bulk_create(
            CoachingSession(
                enrollment=enrollment,
                coach=cast.coach,
                starts_at=year_start + datetime.timedelta(days=30 * month, hours=hour),
                status="completed" if month < 2 else "scheduled",
                duration_minutes=60,
            )
            for month in range(12)
        )

    def grow(n):
        for i in range(2 * n):
            enrollment = EnrollmentFactory(cohort=cast.cohort, agency=f"Busy agency {i}")
            CoachAssignmentFactory(coach=cast.coach, enrollment=enrollment)
            a_year_of_sessions(enrollment, hour=i % 5)
            GroupMeetingFactory(group=cast.group)

    a_year_of_sessions(cast.enrollments["fellow"], hour=6)
    grow(1)  # 1x: two more fellows with a year of sessions each; 10x: twenty
    client = client_for("fellow")
    count = assert_stable_queries(lambda: client.get(book_url(cast)), grow, factor=10)
    assert count <= 12


@time_machine.travel(NOW, tick=False)
def test_a_session_with_a_former_coach_can_be_cancelled_but_not_moved(cast, booked):
    ended = datetime.datetime.fromisoformat(NOW)
    CoachAssignment.objects.active().filter(enrollment=cast.enrollments["fellow"]).update(
        started_at=ended - datetime.timedelta(days=60), ended_at=ended
    )
    with pytest.raises(ValidationError, match="no longer coaches you"):
        services.booking_move(
            session=booked, by=cast.fellow, starts_at=ny(29, 10), duration_minutes=60
        )
    services.booking_cancel(session=booked, by=cast.fellow)
    booked.refresh_from_db()
    assert booked.status == SessionStatus.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_only_the_fellow_books_moves_and_cancels_through_the_services(cast, booked):
    with pytest.raises(ValidationError, match="Only the fellow books"):
        services.booking_create(
            enrollment=cast.enrollments["fellow"],
            by=cast.classmate,
            starts_at=ny(29, 10),
            duration_minutes=60,
        )
    with pytest.raises(ValidationError, match="Only the fellow moves or cancels"):
        services.booking_cancel(session=booked, by=cast.coach)


@time_machine.travel(NOW, tick=False)
def test_the_availability_page_costs_the_same_with_more_days_off(cast, availability, client_for):
    client = client_for("coach")

    def grow(n):
        for i in range(n):
            day = datetime.date(2026, 11, 2) + datetime.timedelta(days=3 * i)
            availability.days_off.create(first_day=day, last_day=day, note=f"Away {i}")

    grow(1)
    count = assert_stable_queries(lambda: client.get(reverse("coaching:availability")), grow)
    assert count <= 12
