"""Two-factor authentication (accounts/mfa.py): required for the site admin, program staff
and coaches of a program that asks it; someone who must use it and has not set it up is
led to the enrolment page and reaches nothing else first."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from tests.mfa import give_totp, mark_mfa_done, totp_code
from tests.queries import count_queries

PASSWORD = "pw-for-tests-1"


def _signed_in(user) -> Client:
    """force_login alone: signed in, no second factor used."""
    client = Client()
    client.force_login(user)
    return client


def _enrolment_redirect(response, path):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("accounts:mfa_required"))
    assert f"next={path.replace('/', '%2F')}" in response["Location"]


@pytest.mark.parametrize("role", ["admin", "staff", "other_staff"])
def test_staff_and_the_site_admin_must_enrol_before_anything_else(cast, role):
    client = _signed_in(cast.user(role))
    for url in [reverse("home"), reverse("cohorts:staff_home"), reverse("accounts:settings")]:
        _enrolment_redirect(client.get(url), url)
    # A write is refused the same way, and changes nothing.
    response = client.post(reverse("accounts:settings"), {"full_name": "Changed"})
    assert response["Location"].startswith(reverse("accounts:mfa_required"))
    cast.user(role).refresh_from_db()
    assert cast.user(role).full_name != "Changed"


@pytest.mark.parametrize("role", ["fellow", "coach", "alumnus", "withdrawn"])
def test_fellows_and_coaches_need_no_second_factor_by_default(cast, role):
    response = _signed_in(cast.user(role)).get(reverse("accounts:settings"))
    assert response.status_code == 200


def test_coaches_must_enrol_where_their_program_says_so(cast):
    cast.program.coaches_need_mfa = True
    cast.program.save()
    url = reverse("accounts:settings")
    _enrolment_redirect(_signed_in(cast.coach).get(url), url)
    # A fellow of that program is not asked.
    assert _signed_in(cast.fellow).get(url).status_code == 200


def test_the_enrolment_pages_logout_and_health_stay_open(cast):
    client = _signed_in(cast.staff)
    page = client.get(reverse("accounts:mfa_required"))
    assert page.status_code == 200
    assert reverse("mfa_activate_totp") in page.content.decode()
    assert reverse("mfa_add_webauthn") in page.content.decode()
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:settings"))["Location"].startswith(reverse("account_login"))


def test_the_enrolment_path_from_login_to_the_first_page(cast, django_capture_on_commit_callbacks):
    """Password, led to enrolment, sets up an authenticator app (the code proves it), sees
    the recovery codes, and then reaches the page they asked for."""
    client = Client()
    wanted = reverse("cohorts:staff_home")
    response = client.post(
        f"{reverse('account_login')}?next={wanted}",
        {"login": cast.staff.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    _enrolment_redirect(response, wanted)
    enrol = client.get(response["Location"])
    assert "Use an authenticator app" in enrol.content.decode()

    # Just signed in with the password: setting up the app asks for no password again.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    # allauth announces the new factor once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=cast.staff, type="totp").exists()
    assert Authenticator.objects.filter(user=cast.staff, type="recovery_codes").exists()
    assert client.get(wanted).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.mfa_enrolled", actor=cast.staff).exists()


def test_an_enrolled_staff_member_gives_a_code_at_sign_in(cast):
    give_totp(cast.staff)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": cast.staff.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("cohorts:staff_home")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get(reverse("cohorts:staff_home")).status_code == 200


def test_a_session_that_skipped_the_factor_must_confirm_it(cast):
    give_totp(cast.staff)
    url = reverse("cohorts:staff_home")
    response = _signed_in(cast.staff).get(url)
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_session_that_used_the_factor_costs_no_query_for_the_rule(cast):
    client = _signed_in(cast.staff)
    mark_mfa_done(client)
    url = reverse("accounts:settings")
    client.get(url)
    plain = _signed_in(cast.fellow)
    plain.get(url)
    staff_count, _, _ = count_queries(lambda: client.get(url))
    fellow_count, _, _ = count_queries(lambda: plain.get(url))
    assert staff_count == fellow_count


def test_htmx_requests_are_sent_to_enrolment_with_hx_redirect(cast):
    response = _signed_in(cast.staff).get(reverse("accounts:settings"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:mfa_required"))
