"""The demo has a baseline 360° window with answers: the demo fellow's report shows merged
groups and comments; seeding twice adds nothing."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from demo.accounts import DEMO_PASSWORD
from feedback360.models import FeedbackWindow, Nomination, RaterCircle, RaterResponse
from feedback360.selectors import cohort_growth

from .conftest import AUTUMN

pytestmark = pytest.mark.django_db


def _login(output, role) -> Client:
    email = next(
        line.split()[-1] for line in output.splitlines() if line.strip().startswith(f"{role} ")
    )
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD)
    return client, email


@time_machine.travel(AUTUMN, tick=False)
def test_the_demo_fellow_reads_their_baseline_360_report(seeded_demo):
    output = seeded_demo(AUTUMN).output  # seeding again: test_seed_demo.py
    baseline = FeedbackWindow.objects.get(cohort__status="active", phase="baseline")
    assert baseline.state_on(baseline.cohort.local_date()) == "Closed"
    assert RaterResponse.objects.filter(circle__window=baseline).count() > 100

    client, email = _login(output, "fellow")
    circle = RaterCircle.objects.get(window=baseline, enrollment__user__email=email)
    response = client.get(circle.get_absolute_url())
    assert response.status_code == 200
    report = response.context["page"].report
    assert [(c.label, c.count) for c in report.columns] == [
        ("Self", None),
        ("Peers", 4),
        ("Others combined", 4),
        ("All raters", 8),
    ]
    assert report.strengths
    # The demo fellow shared it with their coach; the midpoint window is open for them.
    assert circle.is_shared_with_coach
    midpoint = FeedbackWindow.objects.get(cohort=baseline.cohort, phase="midpoint")
    assert midpoint.state_on(baseline.cohort.local_date()) == "Open"
    assert not RaterCircle.objects.filter(window=midpoint, enrollment__user__email=email).exists()
    assert Nomination.objects.filter(circle__window=midpoint, status="pending").exists()
    # The past cohort has baseline and final answers: its funder figures show growth.
    past = FeedbackWindow.objects.filter(cohort__status="completed")
    assert sorted(past.values_list("phase", flat=True)) == ["baseline", "final"]
    staff, _ = _login(output, "program staff")
    past_cohort = past.first().cohort
    funder = staff.get(reverse("reports:cohort_report", args=[past_cohort.code]))
    assert "How the people who work with the fellows rate them" in funder.content.decode()
    rows = cohort_growth(past_cohort).rows
    assert rows and all(r.baseline is not None and r.final is not None for r in rows)
    assert all(r.final > r.baseline for r in rows)
