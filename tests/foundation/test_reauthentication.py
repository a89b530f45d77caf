"""Sensitive account changes ask for the password (or a second factor) again unless the
person signed in or confirmed within ACCOUNT_REAUTHENTICATION_TIMEOUT; and a person locked
out by the failed-login limit still gets in with a code sent to their email."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from notifications.services import settings_for
from tests.mfa import give_totp, mark_mfa_done

START = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
LATER = START + datetime.timedelta(minutes=10)  # past the 5-minute window, not idle yet


@pytest.fixture
def fellow_client(cast):
    with time_machine.travel(START, tick=False):
        client = Client()
        client.force_login(cast.fellow)
        mark_mfa_done(client)
    return client


def _asks_to_reauthenticate(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("account_reauthenticate")), response["Location"]


def test_adding_an_email_address_asks_for_the_password_again(cast, fellow_client):
    with time_machine.travel(LATER, tick=False):
        response = fellow_client.post(
            reverse("account_email"), {"action_add": "", "email": "second@example.org"}
        )
        _asks_to_reauthenticate(response)
        assert not EmailAddress.objects.filter(email="second@example.org").exists()
        # After the password, the change goes through.
        fellow_client.post(reverse("account_reauthenticate"), {"password": "pw-for-tests-1"})
        fellow_client.post(
            reverse("account_email"), {"action_add": "", "email": "second@example.org"}
        )
    assert EmailAddress.objects.filter(email="second@example.org", user=cast.fellow).exists()
    assert AuditEntry.objects.filter(action="accounts.email_added", actor=cast.fellow).exists()


def test_a_wrong_password_on_the_reauthentication_page_is_refused(cast, fellow_client):
    with time_machine.travel(LATER, tick=False):
        response = fellow_client.post(reverse("account_reauthenticate"), {"password": "nope"})
        assert response.status_code == 200
        assert response.context["form"].errors
        _asks_to_reauthenticate(
            fellow_client.post(reverse("account_email"), {"action_add": "", "email": "x@x.org"})
        )


def test_changing_the_password_asks_for_the_current_one(cast, fellow_client):
    url = reverse("account_change_password")
    with time_machine.travel(LATER, tick=False):
        assert "oldpassword" in fellow_client.get(url).context["form"].fields
        refused = fellow_client.post(
            url,
            {"oldpassword": "guess", "password1": "N3w-pass!word", "password2": "N3w-pass!word"},
        )
        assert "oldpassword" in refused.context["form"].errors
        cast.fellow.refresh_from_db()
        assert cast.fellow.check_password("pw-for-tests-1")
        fellow_client.post(
            url,
            {
                "oldpassword": "pw-for-tests-1",
                "password1": "N3w-pass!word",
                "password2": "N3w-pass!word",
            },
        )
    cast.fellow.refresh_from_db()
    assert cast.fellow.check_password("N3w-pass!word")
    assert AuditEntry.objects.filter(action="accounts.password_changed").exists()


def test_removing_a_second_factor_asks_again(cast):
    give_totp(cast.staff)
    with time_machine.travel(START, tick=False):
        client = Client()
        client.force_login(cast.staff)
        mark_mfa_done(client)
    with time_machine.travel(LATER, tick=False):
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert response["Location"].startswith(
            (reverse("account_reauthenticate"), reverse("mfa_reauthenticate"))
        )
    assert cast.staff.authenticator_set.filter(type="totp").exists()


def test_a_new_calendar_link_asks_again(cast, fellow_client):
    before = settings_for(user=cast.fellow).calendar_token
    with time_machine.travel(LATER, tick=False):
        _asks_to_reauthenticate(fellow_client.post(reverse("notifications:calendar_regenerate")))
    assert settings_for(user=cast.fellow).calendar_token == before


def test_right_after_signing_in_no_second_password_is_asked(cast, fellow_client):
    before = settings_for(user=cast.fellow).calendar_token
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        response = fellow_client.post(reverse("notifications:calendar_regenerate"))
    assert response["Location"] == reverse("notifications:calendar")
    assert settings_for(user=cast.fellow).calendar_token != before
    assert AuditEntry.objects.filter(action="accounts.calendar_token_reset").exists()


# --- Lockout, and the way around it for the real person ------------------------------------


def test_a_locked_out_person_signs_in_with_an_emailed_code(cast):
    client = Client()
    login = reverse("account_login")
    for _ in range(5):
        client.post(login, {"login": cast.fellow.email, "password": "guess"})
    locked = client.post(login, {"login": cast.fellow.email, "password": "pw-for-tests-1"})
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "Send me a sign-in code" in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated

    mail.outbox.clear()
    response = client.post(reverse("account_request_login_code"), {"email": cast.fellow.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    code = re.search(r"^\s*([A-Z0-9]{6}|[A-Z0-9-]{6,9})\s*$", message.body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.login_failed", actor=cast.fellow).count() == 5


def test_staff_signing_in_by_code_still_give_their_second_factor(cast):
    give_totp(cast.staff)
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": cast.staff.email})
    code = re.search(r"^\s*([A-Z0-9]{6}|[A-Z0-9-]{6,9})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == reverse("mfa_authenticate")
