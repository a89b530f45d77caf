"""The demo has session evaluations answered on past sessions, a start and an end survey of
the past cohort and coaching ratings: the results pages and the funder report show real
figures; seeding twice adds nothing."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from demo.accounts import DEMO_PASSWORD
from feedback.models import Response, Survey

from .conftest import AUTUMN

pytestmark = pytest.mark.django_db


def _login(output, role) -> Client:
    email = next(
        line.split()[-1] for line in output.splitlines() if line.strip().startswith(f"{role} ")
    )
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    return client


@time_machine.travel(AUTUMN, tick=False)
def test_the_demo_shows_evaluation_and_survey_results(seeded_demo):
    output = seeded_demo(AUTUMN).output  # seeding again: test_seed_demo.py
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
