import contextlib
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort, Enrollment
from demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_totp_code
from demo.cohorts import SLUG as INSTITUTE

from .conftest import AUTUMN, SPRING, run_seed_demo


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _rows_per_table() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [AUTUMN, SPRING, None], ids=["autumn", "spring", "today"])
def test_seeding_again_adds_removes_and_cancels_nothing(seeded_demo, moment):
    """Every demo test reads one seed (tests/demo/conftest.py); here the demo of each moment
    is seeded a second time: no table gains or loses a row (no second set of coach hours,
    plans, milestones, sessions, ratings, answers, notifications, announcements, results,
    applications, users, cohorts...) and no meeting is cancelled again."""
    with time_machine.travel(moment, tick=False) if moment else contextlib.nullcontext():
        seeded_demo(moment)
        before = _rows_per_table()
        again = run_seed_demo()
        assert again.output
        assert _rows_per_table() == before
        assert again.calendar_changes == []


@pytest.mark.django_db
def test_seed_demo_prints_a_working_login_per_role(seeded_demo):
    output = seeded_demo().output
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
def test_demo_program_looks_like_a_real_fellowship(seeded_demo):
    seeded_demo()
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
