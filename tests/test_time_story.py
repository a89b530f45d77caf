"""The same story from three zones, across both changes of the clocks: staff in Chicago, a
coach in Honolulu and a fellow in Guam, with a New York cohort. Saving unchanged forms
changes nothing, every day-based figure is the same for all three, and every time shown
is the calendar feed's instant."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from accounts.timezones import format_span
from action_plans.models import PlanStatus
from coaching.models import CoachingSession, SessionStatus
from curriculum.models import Session
from notifications.services import settings_for
from tests.factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from tests.factories.coaching import CoachingSessionFactory
from tests.factories.curriculum import SessionFactory
from tests.forms import submitted

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
UTC = datetime.UTC
ZONES = {"staff": "America/Chicago", "coach": "Pacific/Honolulu", "fellow": "Pacific/Guam"}

# (the frozen clock, a session on the day the clocks change, a milestone due the day before)
STORIES = {
    "November": (
        datetime.datetime(2026, 11, 1, 3, 30, tzinfo=UTC),  # 31 Oct, 11:30 PM in New York
        datetime.datetime(2026, 11, 1, 9, 0, tzinfo=NY),
        datetime.date(2026, 10, 31),
    ),
    "March": (
        datetime.datetime(2027, 3, 14, 4, 30, tzinfo=UTC),  # 14 Mar, 12:30 AM in New York
        datetime.datetime(2027, 3, 14, 9, 0, tzinfo=NY),
        datetime.date(2027, 3, 13),
    ),
}


def _feed(client, user) -> list:
    token = settings_for(user=user).calendar_token
    body = client.get(reverse("notifications:calendar_feed", args=[token])).content
    return list(Calendar.from_ical(body).walk("VEVENT"))


def _instant(html: str) -> datetime.datetime:
    (value,) = re.findall(r'<time datetime="([^"]+)"', html)[:1]
    return datetime.datetime.fromisoformat(value)


@pytest.mark.parametrize("story", STORIES)
def test_three_zones_one_story(cast, client_for, story):
    moment, starts, due = STORIES[story]
    for role, zone in ZONES.items():
        user = cast.user(role)
        user.time_zone = zone
        user.save(update_fields=["time_zone"])
    session = SessionFactory(
        cohort=cast.cohort, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    coaching = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=starts + datetime.timedelta(hours=4),
        status=SessionStatus.SCHEDULED,
    )
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], status=PlanStatus.APPROVED)
    MilestoneFactory(goal=GoalFactory(plan=plan), due_date=due)

    with time_machine.travel(moment, tick=False):
        clients = {role: client_for(role) for role in ZONES}

        # Saving unchanged forms changes nothing.
        before = Session.objects.values_list("starts_at", "ends_at", "sequence").get()
        url = reverse("curriculum:session_edit", args=[session.code])
        page = clients["staff"].get(url)
        assert clients["staff"].post(url, submitted(page.content, "title")).status_code == 302
        assert Session.objects.values_list("starts_at", "ends_at", "sequence").get() == before
        before = CoachingSession.objects.values_list("starts_at", "sequence").get()
        url = reverse("coaching:session_edit", args=[coaching.code])
        page = clients["coach"].get(url)
        assert "In Pacific/Honolulu (your time zone)." in page.content.decode()
        assert clients["coach"].post(url, submitted(page.content, "starts_at")).status_code == 302
        assert CoachingSession.objects.values_list("starts_at", "sequence").get() == before

        # Every day-based figure is the same for all three (the milestone is not overdue
        # until the New York cohort's day is over, whatever day it is in Guam or Honolulu).
        overdue = {
            role: clients[role].get(plan.get_absolute_url()).context["page"].progress.overdue
            for role in ZONES
        }
        assert overdue == dict.fromkeys(ZONES, 0 if moment.astimezone(NY).date() <= due else 1)

        # Every time shown is the feed's instant, in the viewer's own zone.
        (event,) = [
            e for e in _feed(clients["fellow"], cast.fellow) if session.title in str(e["SUMMARY"])
        ]
        feed_starts, feed_ends = event.decoded("DTSTART"), event.decoded("DTEND")
        assert feed_starts == starts
        for role, zone in ZONES.items():
            html = clients[role].get(session.get_absolute_url()).content.decode()
            assert _instant(html) == feed_starts
            assert format_span(feed_starts, feed_ends, zone, style="full") in html
        (coached,) = [
            e
            for e in _feed(clients["coach"], cast.coach)
            if e.decoded("DTSTART") == coaching.starts_at
        ]
        html = clients["fellow"].get(coaching.get_absolute_url()).content.decode()
        assert (
            format_span(coached.decoded("DTSTART"), coached.decoded("DTEND"), "Pacific/Guam")
            in html
        )
