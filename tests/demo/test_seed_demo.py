from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cohorts.models import Cohort, Enrollment
from demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_totp_code
from demo.cohorts import SLUG as INSTITUTE


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_a_working_login_per_role():
    output = seed()
    counts = (User.objects.count(), Cohort.objects.count(), Enrollment.objects.count())
    assert seed() and counts == (
        User.objects.count(),
        Cohort.objects.count(),
        Enrollment.objects.count(),
    )
    logins = {}
    for line in output.splitlines():
        for role in ("site admin", "program staff", "coach", "fellow"):
            if line.strip().startswith(role + " "):
                logins[role] = line.split()[-1]
    assert set(logins) == {"site admin", "program staff", "coach", "fellow"}
    assert DEMO_TOTP_SECRET in output
    for role, email in logins.items():
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}, follow=True
        )
        if role in ("site admin", "program staff"):
            # Staff sign in with the demo authenticator key the output names.
            assert response.redirect_chain[-1][0] == reverse("mfa_authenticate"), role
            response = client.post(
                reverse("mfa_authenticate"), {"code": demo_totp_code()}, follow=True
            )
        assert response.status_code == 200, role
        assert response.redirect_chain[-1][0] not in (
            reverse("account_login"),
            reverse("accounts:mfa_required"),
            reverse("mfa_authenticate"),
        ), role


@pytest.mark.django_db
def test_demo_program_looks_like_a_real_fellowship():
    seed()
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    fellows = Enrollment.objects.filter(cohort=current)
    assert 25 <= fellows.count() <= 35
    assert fellows.values("state").distinct().count() >= 18
    assert fellows.values("user__time_zone").distinct().count() >= 5
    assert Cohort.objects.filter(status="completed").exists()


@pytest.mark.django_db
def test_scale_multiplies_the_fellows():
    seed("--scale", "2")
    current = Cohort.objects.get(status="active", program__slug=INSTITUTE)
    assert Enrollment.objects.filter(cohort=current).count() == 60
