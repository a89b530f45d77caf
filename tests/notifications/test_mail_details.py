"""What real mail and calendar clients check: one charset on calendar parts, an ORGANIZER
on feed events, one-click unsubscribe (RFC 8058), a moved session named in the body, and
"Join online" as a real link in the HTML part."""

import datetime

import time_machine
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from notifications import hooks, ical
from notifications.emails import build_email, unsubscribe_token
from notifications.models import Delivery, NotificationPreference

from ..factories.notifications import PendingNotificationFactory
from ..queries import assert_stable_queries
from .conftest import FakeEvent, at

NOW = "2026-11-09 15:00:00+00:00"


def _moved(cast, outbox, django_capture_on_commit_callbacks, **event):
    event = FakeEvent(starts_at=at("2026-11-12T15:00:00+00:00"), attendees=[cast.fellow], **event)
    event.sequence = 1
    with django_capture_on_commit_callbacks(execute=True):
        hooks.calendar_event_changed(event)
    return outbox[-1]


@time_machine.travel(NOW, tick=False)
def test_the_calendar_part_declares_its_charset_once(
    cast, outbox, django_capture_on_commit_callbacks
):
    message = _moved(cast, outbox, django_capture_on_commit_callbacks).message()
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part["Content-Type"].lower().count("charset") == 1
    assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"


def test_feed_events_have_an_organizer():
    snapshot = {
        "event_code": "abc",
        "event_title": "Monthly session",
        "starts_at": "2026-11-12T15:00:00+00:00",
        "ends_at": "2026-11-12T16:30:00+00:00",
    }
    now = datetime.datetime(2026, 11, 9, tzinfo=datetime.UTC)
    body = ical.feed("Feed", [snapshot], [], now=now)
    vevent = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@cohortwise.local"


@time_machine.travel(NOW, tick=False)
def test_the_moved_email_names_the_session_in_its_body(
    cast, outbox, django_capture_on_commit_callbacks
):
    message = _moved(
        cast, outbox, django_capture_on_commit_callbacks, title="Monthly session: Systems"
    )
    assert "What: Monthly session: Systems" in message.body
    html = message.alternatives[0][0]
    assert "What: Monthly session: Systems" in html


@time_machine.travel(NOW, tick=False)
def test_join_online_is_a_link_in_the_html_part_and_user_text_stays_escaped(
    cast, outbox, django_capture_on_commit_callbacks
):
    message = _moved(
        cast,
        outbox,
        django_capture_on_commit_callbacks,
        title="<b>Bold</b> session",
        video_url="https://zoom.example/j/1",
    )
    html = message.alternatives[0][0]
    assert 'Join online: <a href="https://zoom.example/j/1"' in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html


# --- One-click unsubscribe ----------------------------------------------------------------


def test_notification_emails_carry_one_click_unsubscribe_headers(cast):
    note = PendingNotificationFactory(recipient=cast.fellow)
    headers = build_email(note, now=datetime.datetime.now(datetime.UTC)).message()
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(note)})
    assert headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_post_turns_the_topics_email_off(cast, client):
    note = PendingNotificationFactory(recipient=cast.fellow)
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(note)})
    # A link checker opening the link changes nothing.
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe</button>" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=cast.fellow).exists()
    # The mail client's one-click POST (no CSRF token, not signed in).
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Done" in response.content.decode()
    pref = NotificationPreference.objects.get(user=cast.fellow)
    assert (pref.topic, pref.delivery) == ("milestones", Delivery.NONE)


def test_a_forged_or_changed_token_is_refused(cast, client):
    note = PendingNotificationFactory(recipient=cast.fellow)
    token = unsubscribe_token(note)
    for bad in [token[:-2] + ("yy" if token.endswith("xx") else "xx"), str(note.code), "nonsense"]:
        url = reverse("notifications:unsubscribe", kwargs={"token": bad})
        assert client.post(url).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_the_unsubscribe_page_costs_the_same_queries_with_more_rows(cast, client):
    note = PendingNotificationFactory(recipient=cast.fellow)
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(note)})

    def grow(n):
        for _ in range(n * 5):
            PendingNotificationFactory(recipient=cast.fellow)

    assert_stable_queries(lambda: client.get(url), grow)
