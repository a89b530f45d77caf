"""Weekly hours across a change of the clocks (frozen clock): a coach's 9:00–12:00 in New
York stays 9:00–12:00 on their clock when daylight saving time ends or starts, moves by an
hour in UTC, and a fellow in Honolulu (no daylight saving time) sees it move on theirs."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse

from coaching.booking import selectors
from coaching.booking.slots import open_slots

from ..factories.coaching import CoachAvailabilityFactory

NY = zoneinfo.ZoneInfo("America/New_York")
HONOLULU = zoneinfo.ZoneInfo("Pacific/Honolulu")


def _slots_by_day(cast, minutes=60):
    page = selectors.slot_page(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, viewer_zone=NY, minutes=minutes
    )
    by_day = {}
    for _, slots in page.days:
        for slot, _ in slots:
            by_day.setdefault(slot.starts_at.astimezone(NY).date(), []).append(slot)
    return by_day


def _assert_nine_to_twelve(slots):
    local = [(s.starts_at.astimezone(NY), s.ends_at.astimezone(NY)) for s in slots]
    assert local[0][0].time() == datetime.time(9, 0)
    assert local[-1][1].time() == datetime.time(12, 0)
    assert all(start.time() >= datetime.time(9) for start, _ in local)
    assert all(end.time() <= datetime.time(12) for _, end in local)


# Friday 30 October 2026; the clocks go back in New York on Sunday 1 November.
@time_machine.travel("2026-10-28 16:00:00+00:00", tick=False)
def test_the_window_stays_nine_to_twelve_when_the_clocks_go_back(cast):
    CoachAvailabilityFactory(profile=cast.coach.coach_profile)
    by_day = _slots_by_day(cast)
    before, after = by_day[datetime.date(2026, 10, 30)], by_day[datetime.date(2026, 11, 2)]
    _assert_nine_to_twelve(before)
    _assert_nine_to_twelve(after)
    # The same 9:00 is 13:00 UTC before the change and 14:00 UTC after it.
    assert before[0].starts_at.astimezone(datetime.UTC).hour == 13
    assert after[0].starts_at.astimezone(datetime.UTC).hour == 14
    assert len(before) == len(after) == 5


# The clocks go forward in New York on Sunday 14 March 2027.
@time_machine.travel("2027-03-10 16:00:00+00:00", tick=False)
def test_the_window_stays_nine_to_twelve_when_the_clocks_go_forward(cast):
    CoachAvailabilityFactory(profile=cast.coach.coach_profile)
    by_day = _slots_by_day(cast)
    before, after = by_day[datetime.date(2027, 3, 12)], by_day[datetime.date(2027, 3, 15)]
    _assert_nine_to_twelve(before)
    _assert_nine_to_twelve(after)
    assert before[0].starts_at.astimezone(datetime.UTC).hour == 14
    assert after[0].starts_at.astimezone(datetime.UTC).hour == 13


@time_machine.travel("2026-10-28 16:00:00+00:00", tick=False)
def test_a_fellow_in_honolulu_sees_the_hour_move_on_their_clock(cast, client_for):
    CoachAvailabilityFactory(profile=cast.coach.coach_profile)
    cast.fellow.time_zone = "Pacific/Honolulu"
    cast.fellow.save()
    url = reverse("coaching:book", kwargs={"code": cast.enrollments["fellow"].code})
    page = client_for("fellow").get(url).content.decode()
    # 9:00 in New York: 3:00 in Honolulu before the change, 4:00 after it.
    assert "Book Friday 30 October, 3:00 AM, 60 minutes" in page
    assert "Book Monday 2 November, 4:00 AM, 60 minutes" in page
    assert "Book Monday 2 November, 3:00 AM" not in page


def test_a_window_across_the_missing_hour_offers_only_real_times():
    """2:00–3:00 does not exist on the night the clocks go forward: a 1:00–4:00 window that
    night offers 1:00 and then 3:00 local, never a time that is not on any clock."""

    class Window:
        weekday = 6  # Sunday 14 March 2027
        starts = datetime.time(1)
        ends = datetime.time(4)

    earliest = datetime.datetime(2027, 3, 14, 0, tzinfo=NY)
    slots = open_slots(
        windows=[Window()],
        days_off=[],
        zone=NY,
        minutes=60,
        buffer_minutes=0,
        earliest=earliest,
        latest=earliest + datetime.timedelta(hours=12),
        busy=[],
    )
    local = [s.starts_at.astimezone(NY).strftime("%H:%M") for s in slots]
    assert local == ["01:00", "01:30", "03:00"]
    assert all(s.ends_at <= datetime.datetime(2027, 3, 14, 4, tzinfo=NY) for s in slots)
