"""Passkey enrolment in Chromium, with its virtual authenticator (DevTools' WebAuthn domain)
standing in for a phone or a security key: a staff member who must use a second factor
signs in with a password, is led to the enrolment page, chooses a passkey, and the
authenticator allauth stores is the one the browser made. Then the next sign-in asks for
the passkey as the second step."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _virtual_authenticator(page):
    """A platform authenticator that says yes at once (as if the person touched it)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _password_step(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form[action^='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_staff_enrol_a_passkey_after_signing_in_and_use_it_next_time(cast, page, live_server):
    staff = cast.staff
    assert not Authenticator.objects.filter(user=staff).exists()
    cdp, authenticator_id = _virtual_authenticator(page)

    _password_step(page, live_server, staff)
    expect(page.locator("h1")).to_have_text("Protect your account with a second step")
    page.get_by_role("link", name="Use a passkey or security key").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add").click()
    # The first factor set up brings recovery codes, shown once; waiting for that page
    # also waits for the server to have saved the key.
    expect(page.locator("main")).to_contain_text("Recovery")

    stored = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert stored.wrap().name == "Work laptop"
    made = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(made["credentials"]) == 1
    assert Authenticator.objects.filter(user=staff, type="recovery_codes").exists()
    # Enrolled: the staff pages open.
    page.goto(f"{live_server.url}/programs/")
    expect(page.locator("main h1")).to_have_text("Programs")

    # Signed out and in again: after the password, the passkey is the second step.
    page.context.clear_cookies()
    _password_step(page, live_server, staff)
    use_key = page.get_by_role("button", name="Use a security key")
    expect(use_key).to_be_visible()
    use_key.click()
    # The key's answer is posted by the page's script: wait for that sign-in to finish
    # before opening another page (a goto meanwhile would cut it short).
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
    page.goto(f"{live_server.url}/programs/")
    expect(page.locator("main h1")).to_have_text("Programs")
    assert "/accounts/" not in page.url
