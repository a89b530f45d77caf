"""The in-app list with its unread badge, the email choices page and the calendar feed."""

import datetime

import time_machine
from django.urls import reverse
from icalendar import Calendar

from notifications import registry
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.services import settings_for

from ..factories.notifications import NotificationFactory, PendingNotificationFactory
from ..queries import assert_stable_queries


def test_list_shows_only_my_delivered_notifications_and_the_badge_counts_unread(cast, client_for):
    mine = NotificationFactory(recipient=cast.fellow, title="Due today: brief the governor")
    NotificationFactory(recipient=cast.fellow, title="Already read", read_at=mine.sent_at)
    PendingNotificationFactory(recipient=cast.fellow, title="Not sent yet")
    NotificationFactory(recipient=cast.peer, title="Pedro's nudge")

    body = client_for("fellow").get(reverse("notifications:list")).content.decode()

    assert "Due today: brief the governor" in body and "Already read" in body
    assert "Not sent yet" not in body and "Pedro&#x27;s nudge" not in body
    assert 'aria-label="Notifications, 1 unread"' in body
    assert "1 unread." in body


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(cast, client_for):
    note = NotificationFactory(recipient=cast.fellow, url="/notifications/preferences/")
    client = client_for("fellow")
    response = client.get(note.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == "/notifications/preferences/"
    note.refresh_from_db()
    assert note.read_at is not None
    body = client.get(reverse("notifications:list")).content.decode()
    assert "unread)" not in body and "You are all caught up." in body


def test_someone_elses_notification_is_not_found(cast, client_for):
    note = NotificationFactory(recipient=cast.fellow)
    assert client_for("peer").get(note.get_absolute_url()).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(cast, client_for):
    NotificationFactory.create_batch(3, recipient=cast.fellow)
    client_for("fellow").post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=cast.fellow).unread().exists()


def test_list_costs_the_same_queries_with_more_notifications(cast, client_for):
    client = client_for("fellow")
    NotificationFactory(recipient=cast.fellow)
    assert_stable_queries(
        lambda: client.get(reverse("notifications:list")),
        lambda n: NotificationFactory.create_batch(n, recipient=cast.fellow),
    )


def _choices(**overrides):
    """Every registered topic (whichever apps declared them) delivered immediately."""
    data = {"quiet_start": "22:00", "quiet_end": "06:30"}
    data.update({f"topic_{t}": "immediate" for t in registry.REGISTRY.topics})
    data.update(overrides)
    return data


def test_preferences_are_saved(cast, client_for):
    client = client_for("fellow")
    response = client.post(
        reverse("notifications:preferences"),
        _choices(topic_milestones="digest", topic_plan_comments="none"),
    )
    assert response.status_code == 302
    found = settings_for(user=cast.fellow)
    assert found.quiet_start == datetime.time(22, 0) and found.quiet_end == datetime.time(6, 30)
    prefs = dict(
        NotificationPreference.objects.filter(user=cast.fellow).values_list("topic", "delivery")
    )
    assert prefs["milestones"] == Delivery.DIGEST and prefs["plan_comments"] == Delivery.NONE
    body = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="22:00"' in body


def test_each_person_chooses_only_for_what_can_concern_them(client_for):
    fellow_page = client_for("fellow").get(reverse("notifications:preferences")).content
    staff_page = client_for("staff").get(reverse("notifications:preferences")).content
    coach_page = client_for("coach").get(reverse("notifications:preferences")).content
    assert b"Milestone nudges" in fellow_page and b"Weekly cohort digest" not in fellow_page
    assert b"Weekly cohort digest" in staff_page and b"Milestone nudges" not in staff_page
    assert b"Log this coaching session" in coach_page


def test_bad_preferences_say_what_is_wrong_and_save_nothing(cast, client_for):
    response = client_for("fellow").post(
        reverse("notifications:preferences"),
        _choices(quiet_start="7:00", quiet_end="07:00", topic_sessions="sometimes"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Quiet hours must end at another time than they start." in body
    assert "Select a valid choice." in body
    assert not NotificationPreference.objects.filter(user=cast.fellow).exists()


def test_preferences_page_query_count_is_stable(cast, client_for):
    client = client_for("fellow")
    settings_for(user=cast.fellow)  # made on the first visit

    def grow(n):
        for topic in ["sessions", "coaching", "meetings", "milestones"][:n]:
            NotificationPreference.objects.create(user=cast.fellow, topic=topic, delivery="none")

    assert_stable_queries(lambda: client.get(reverse("notifications:preferences")), grow)


@time_machine.travel("2026-11-09 15:00:00+00:00", tick=False)
def test_calendar_feed_parses_back_with_milestone_due_dates(cast, client, make_plan):
    make_plan(
        cast.enrollments["fellow"],
        milestones=[("Brief the governor", datetime.date(2026, 12, 1))],
    )
    token = settings_for(user=cast.fellow).calendar_token
    response = client.get(reverse("notifications:calendar_feed", kwargs={"token": token}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"] and cal["METHOD"] == "PUBLISH"
    (due,) = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Due:")]
    assert str(due["SUMMARY"]) == "Due: Brief the governor"
    assert due.decoded("DTSTART") == datetime.date(2026, 12, 1)
    assert due["DTSTAMP"] and due["UID"]


def test_regenerating_the_feed_token_retires_the_old_url(cast, client, client_for):
    old = settings_for(user=cast.fellow).calendar_token
    old_url = reverse("notifications:calendar_feed", kwargs={"token": old})
    assert client.get(old_url).status_code == 200
    response = client_for("fellow").post(reverse("notifications:calendar_regenerate"))
    assert response.status_code == 302
    new = settings_for(user=cast.fellow).calendar_token
    assert new != old
    assert client.get(old_url).status_code == 404
    page = client_for("fellow").get(reverse("notifications:calendar")).content.decode()
    assert str(new) in page


def test_feed_query_count_is_stable(cast, client, make_plan):

    token = settings_for(user=cast.fellow).calendar_token
    plan, _ = make_plan(cast.enrollments["fellow"], milestones=[("A", datetime.date(2026, 12, 1))])
    goal = plan.goals.get()

    def grow(n):
        for i in range(n):
            goal.milestones.create(title=f"M{i}", due_date=datetime.date(2026, 12, 2 + i))

    assert_stable_queries(
        lambda: client.get(reverse("notifications:calendar_feed", kwargs={"token": token})), grow
    )


def test_unknown_feed_token_is_not_found(db, client):
    import uuid

    url = reverse("notifications:calendar_feed", kwargs={"token": uuid.uuid4()})
    assert client.get(url).status_code == 404


def test_calendar_page_query_count_is_stable(cast, client_for):
    client = client_for("fellow")
    settings_for(user=cast.fellow)
    assert_stable_queries(
        lambda: client.get(reverse("notifications:calendar")),
        lambda n: NotificationFactory.create_batch(n, recipient=cast.fellow),
    )


def test_opening_costs_the_same_queries_with_more_notifications(cast, client_for):
    client = client_for("fellow")
    notes = NotificationFactory.create_batch(5, recipient=cast.fellow, url="")

    def open_next():
        response = client.get(notes.pop().get_absolute_url())
        assert response.status_code == 302 and response["Location"] == "/notifications/"
        response.status_code = 200  # a redirect is this view's success
        return response

    assert_stable_queries(
        open_next, lambda n: NotificationFactory.create_batch(n, recipient=cast.fellow)
    )
