"""Sessions end when idle (program staff and the site admin sooner) and, whatever happens,
a fixed time after signing in (accounts/sessions.py); pages are never stored by browsers
(accounts.middleware.NoStoreMiddleware). Tested with a frozen clock."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.mfa import mark_mfa_done

START = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


def _at(minutes):
    return START + datetime.timedelta(minutes=minutes)


@pytest.fixture
def signed_in(cast):
    def make(role):
        with time_machine.travel(START, tick=False):
            client = Client()
            client.force_login(cast.user(role))
            mark_mfa_done(client)
        return client

    return make


def _expired(response, path):
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith(reverse("account_login")), location
    assert "expired=1" in location
    assert path.replace("/", "%2F") in location


@pytest.mark.parametrize(
    "role, idle_minutes",
    [("fellow", 60), ("coach", 60), ("staff", 30), ("admin", 30)],
)
def test_a_session_ends_after_its_idle_limit(settings, signed_in, role, idle_minutes):
    settings.SESSION_IDLE_SECONDS = 60 * 60
    settings.SESSION_STAFF_IDLE_SECONDS = 30 * 60
    client = signed_in(role)
    url = reverse("accounts:settings")
    with time_machine.travel(_at(idle_minutes - 1), tick=False):
        assert client.get(url).status_code == 200
    # That request counted as activity: the limit runs from it.
    with time_machine.travel(_at(2 * idle_minutes - 2), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(_at(3 * idle_minutes), tick=False):
        _expired(client.get(url), url)
        # Signed out for good: the next request is anonymous.
        assert client.get(url)["Location"].startswith(reverse("account_login"))
        assert "expired" not in client.get(url)["Location"]


def test_a_session_ends_at_its_lifetime_however_active(settings, signed_in):
    settings.SESSION_MAX_AGE_SECONDS = 4 * 60 * 60
    client = signed_in("fellow")
    url = reverse("accounts:settings")
    for minutes in range(20, 240, 20):
        with time_machine.travel(_at(minutes), tick=False):
            assert client.get(url).status_code == 200, minutes
    with time_machine.travel(_at(241), tick=False):
        _expired(client.get(url), url)


def test_a_form_sent_after_expiry_saves_nothing_and_leads_to_sign_in(cast, signed_in):
    client = signed_in("fellow")
    url = reverse("accounts:settings")
    with time_machine.travel(_at(61), tick=False):
        response = client.post(url, {"full_name": "Typed Late", "time_zone": "Pacific/Honolulu"})
    _expired(response, url)
    cast.fellow.refresh_from_db()
    assert cast.fellow.full_name != "Typed Late"
    # The sign-in page says why, and marks the page for session.js to put the draft back.
    with time_machine.travel(_at(62), tick=False):
        page = client.get(response["Location"])
    body = page.content.decode()
    assert "You were signed out after a while without activity" in body
    assert 'data-session-expired="1"' in body


def test_the_page_knows_the_seconds_left_for_its_warning(settings, signed_in):
    settings.SESSION_IDLE_SECONDS = 3600
    client = signed_in("fellow")
    # Within a minute of the last stamp a request writes no new one (no extra query)...
    with time_machine.travel(_at(0.5), tick=False):
        body = client.get(reverse("accounts:settings")).content.decode()
    assert 'data-session-seconds-left="3570"' in body
    # ...later it does, and the full idle time is left again.
    with time_machine.travel(_at(10), tick=False):
        body = client.get(reverse("accounts:settings")).content.decode()
    assert 'data-session-seconds-left="3600"' in body
    assert 'id="session-warning"' in body
    assert "Stay signed in" in body


def test_asking_for_the_time_left_is_not_activity_but_staying_is(settings, signed_in):
    settings.SESSION_IDLE_SECONDS = 3600
    client = signed_in("fellow")
    status = reverse("accounts:session_status")
    with time_machine.travel(_at(50), tick=False):
        assert client.get(status).json() == {"signed_in": True, "seconds_left": 600}
    with time_machine.travel(_at(59), tick=False):
        assert client.post(reverse("accounts:session_keepalive")).json()["seconds_left"] == 3600
    with time_machine.travel(_at(100), tick=False):
        assert client.get(status).json()["seconds_left"] == 19 * 60
    with time_machine.travel(_at(200), tick=False):
        response = client.get(status)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "seconds_left": 0}


def test_keepalive_is_post_only(signed_in):
    client = signed_in("fellow")
    with time_machine.travel(_at(1), tick=False):
        assert client.get(reverse("accounts:session_keepalive")).status_code == 405


def test_htmx_requests_after_expiry_are_sent_to_sign_in(signed_in):
    client = signed_in("fellow")
    with time_machine.travel(_at(61), tick=False):
        response = client.get(reverse("accounts:settings"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("account_login"))


# --- Cache-Control --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, url_name, kwargs",
    [
        ("coach", "coaching:coach_home", {}),
        ("fellow", "cohorts:fellow_home", {}),
        ("staff", "reports:index", {}),
        ("staff", "audit:log", {}),
        ("fellow", "accounts:settings", {}),
    ],
)
def test_personal_pages_are_never_stored(client_for, role, url_name, kwargs):
    response = client_for(role).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_exports_and_the_calendar_feed_are_never_stored(cast, client_for):
    export = client_for("staff").get(
        reverse("reports:export", kwargs={"code": cast.cohort.code, "kind": "roster"})
    )
    assert export["Cache-Control"] == "no-store"
    from notifications.services import settings_for

    token = settings_for(user=cast.fellow).calendar_token
    feed = Client().get(reverse("notifications:calendar_feed", kwargs={"token": token}))
    assert feed.status_code == 200
    assert feed["Cache-Control"] == "no-store"


def test_the_sign_in_page_is_not_stored_either_but_static_files_are_cacheable(client):
    assert client.get(reverse("account_login"))["Cache-Control"] == "no-store"


def test_each_request_reads_the_signed_in_person_afresh(cast, client_for):
    """The person behind a session is looked up again on every request (accounts.models
    UserManager.get): a changed time zone shows at once, and a deactivated account is
    signed out."""
    from accounts.models import User

    client = client_for("coach")
    User.objects.filter(pk=cast.coach.pk).update(time_zone="Asia/Tokyo")
    assert "Times are shown in Asia/Tokyo" in client.get(reverse("coaching:coach_home")).text
    User.objects.filter(pk=cast.coach.pk).update(is_active=False)
    response = client.get(reverse("coaching:coach_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=0)
