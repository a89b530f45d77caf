"""The demo has session evaluations answered on past sessions, a start and an end survey of
the past cohort and coaching ratings: the results pages and the funder report show real
figures; seeding twice adds nothing."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.accounts import DEMO_PASSWORD
from feedback.models import Receipt, Response, Survey

pytestmark = pytest.mark.django_db


def _login(output, role) -> Client:
    email = next(
        line.split()[-1] for line in output.splitlines() if line.strip().startswith(f"{role} ")
    )
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    return client


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_the_demo_shows_evaluation_and_survey_results():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    counts = (Response.objects.count(), Receipt.objects.count())
    assert Response.objects.exclude(session=None).count() > 100
    assert Response.objects.exclude(coach=None).count() >= 5
    past = Survey.objects.filter(cohort__status="completed")
    assert sorted(past.values_list("phase", flat=True)) == ["end", "start"]
    assert Response.objects.filter(respondent=None).exclude(session=None).exists()

    staff = _login(output, "program staff")
    cohort = past.first().cohort
    page = staff.get(reverse("feedback:cohort_results", args=[cohort.code])).content.decode()
    assert "Start of the year against its end" in page and "data-mean" in page
    funder = staff.get(reverse("reports:cohort_report", args=[cohort.code])).content.decode()
    assert "What fellows said" in funder and 'data-figure="change">+' in funder

    call_command("seed_demo", stdout=StringIO())
    assert (Response.objects.count(), Receipt.objects.count()) == counts
