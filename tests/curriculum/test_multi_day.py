"""A two-day event names both days everywhere: its page, the schedule, the email telling
attendees of a change, and the calendar feed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from accounts.timezones import format_span
from curriculum import services
from curriculum.models import SessionKind
from notifications.delivery import deliver_batch
from notifications.models import Notification, State
from notifications.services import settings_for
from tests.factories.curriculum import SessionFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
STARTS = datetime.datetime(2027, 8, 19, 9, 0, tzinfo=NY)
ENDS = datetime.datetime(2027, 8, 20, 16, 0, tzinfo=NY)
NOW = datetime.datetime(2027, 7, 1, 15, tzinfo=datetime.UTC)


@pytest.fixture
def gathering(cast):
    return SessionFactory(
        cohort=cast.cohort,
        title="Final gathering",
        kind=SessionKind.FINAL,
        starts_at=STARTS,
        ends_at=ENDS,
        video_url="",
        venue="Convention Center",
        address="1 Main St, Albuquerque, NM",
    )


def test_format_span_names_both_days_of_a_multi_day_event():
    assert format_span(STARTS, ENDS, NY) == (
        "Thu 19 Aug 2027, 9:00 AM – Fri 20 Aug 2027, 4:00 PM EDT"
    )
    assert format_span(STARTS, STARTS.replace(hour=12), NY, style="full") == (
        "Thursday 19 August 2027, 9:00 AM – 12:00 PM EDT"
    )
    # In Guam the same two days are 19 Aug 11 PM to 21 Aug 6 AM.
    assert format_span(STARTS, ENDS, ZoneInfo("Pacific/Guam")) == (
        "Thu 19 Aug 2027, 11:00 PM – Sat 21 Aug 2027, 6:00 AM ChST"
    )


def test_the_page_and_the_schedule_show_both_days(cast, client_for, gathering):
    with time_machine.travel(NOW, tick=False):
        client = client_for("fellow")
        response = client.get(gathering.get_absolute_url())
        assert response.status_code == 200, response
        page = response.content.decode()
        schedule = client.get(reverse("curriculum:schedule", args=[cast.cohort.code]))
    assert "Thursday 19 August 2027, 9:00 AM – Friday 20 August 2027, 4:00 PM EDT" in page
    assert "Thu 19 Aug 2027, 9:00 AM – Fri 20 Aug 2027, 4:00 PM EDT" in schedule.content.decode()


def test_the_email_and_the_feed_show_both_days(
    cast, client_for, gathering, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.session_update(session=gathering, venue="Civic Plaza")
        pending = Notification.objects.filter(state=State.PENDING)
        deliver_batch(list(pending.values_list("pk", flat=True)))
        message = next(m for m in mail.outbox if m.to == [cast.fellow.email])
        token = settings_for(user=cast.fellow).calendar_token
        feed = client_for("anonymous").get(reverse("notifications:calendar_feed", args=[token]))
    assert (
        "Thursday, August 19, 2027 at 9:00 AM EDT (America/New_York) – "
        "Friday, August 20, 2027 at 4:00 PM EDT"
    ) in message.body
    event = next(
        e for e in Calendar.from_ical(feed.content).walk("VEVENT") if "Final" in str(e["SUMMARY"])
    )
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == ENDS


# --- Attendance is taken day by day ----------------------------------------------------------

DAY_TWO_MORNING = datetime.datetime(2027, 8, 20, 10, 0, tzinfo=NY)


def _sheet(enrollments, status):
    from curriculum.forms import AttendanceForm

    return {AttendanceForm.key(e): status for e in enrollments}


def test_staff_take_attendance_for_each_day_of_a_gathering(cast, client_for, gathering):
    from curriculum.selectors import roster_of

    roster = list(roster_of(cast.cohort))
    url = reverse("curriculum:attendance_take", args=[gathering.code])
    with time_machine.travel(DAY_TWO_MORNING, tick=False):
        client = client_for("staff")
        sheet = client.get(url).content.decode()
        assert "Day 1: Thursday 19 August" in sheet and "Day 2: Friday 20 August" in sheet
        assert client.post(url, _sheet(roster, "present")).status_code == 302
        assert client.post(f"{url}?day=2", _sheet(roster, "absent")).status_code == 302
        day_two = client.get(f"{url}?day=2").content.decode()
    assert "Attendance on Friday 20 August 2027" in day_two
    marks = set(gathering.attendance.values_list("day_number", "status"))
    assert marks == {(1, "present"), (2, "absent")}
    assert gathering.attendance.count() == 2 * len(roster)

    with time_machine.travel(datetime.datetime(2027, 8, 21, tzinfo=NY), tick=False):
        page = client_for("staff").get(
            reverse("curriculum:enrollment_attendance", args=[cast.enrollments["fellow"].code])
        )
    body = page.content.decode()
    assert "Fri 20 Aug 2027" in body and "Thu 19 Aug 2027" in body
    assert page.context["totals"].present == 1 and page.context["totals"].absent == 1


def test_the_second_day_cannot_be_taken_before_it_begins(cast, client_for, gathering):
    from curriculum.selectors import roster_of

    url = reverse("curriculum:attendance_take", args=[gathering.code])
    roster = list(roster_of(cast.cohort))
    with time_machine.travel(datetime.datetime(2027, 8, 19, 15, 0, tzinfo=NY), tick=False):
        refused = client_for("staff").post(f"{url}?day=2", _sheet(roster, "present"))
    assert refused.status_code == 200
    assert "Attendance for Friday 20 August can be taken once that day begins." in (
        refused.content.decode()
    )
    assert not gathering.attendance.exists()


@pytest.mark.parametrize("day", ["3", "0", "two", "-1"])
def test_a_day_the_session_does_not_have_is_not_found(cast, client_for, gathering, day):
    url = reverse("curriculum:attendance_take", args=[gathering.code])
    with time_machine.travel(DAY_TWO_MORNING, tick=False):
        assert client_for("staff").get(f"{url}?day={day}").status_code == 404


def test_a_one_day_session_has_no_day_tabs(cast, client_for):
    seminar = SessionFactory(cohort=cast.cohort, starts_at=STARTS, ends_at=STARTS.replace(hour=12))
    url = reverse("curriculum:attendance_take", args=[seminar.code])
    with time_machine.travel(DAY_TWO_MORNING, tick=False):
        sheet = client_for("staff").get(url).content.decode()
        assert client_for("staff").get(f"{url}?day=2").status_code == 404
    assert "Days of this session" not in sheet
