"""The demo's results and demographics (outcomes/demo.py) make the impact report look real:
results on plans of both cohorts, in many states, under every consent; most fellows
answered the optional questions. Seeding twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from accounts.models import User
from cohorts.models import Cohort
from outcomes.models import Consent, DemographicProfile, Result

from .conftest import SPRING


@pytest.mark.django_db
def test_the_demo_holds_results_across_two_cohorts_and_many_states(client, seeded_demo):
    now = SPRING
    with time_machine.travel(now, tick=False):
        seeded_demo(now)  # seeding again: test_seed_demo.py

        results = Result.objects.select_related("plan__enrollment__cohort")
        cohorts = {r.plan.enrollment.cohort.status for r in results}
        assert cohorts == {"active", "completed"}
        assert len({r.jurisdiction for r in results} - {"US"}) >= 10
        assert {r.consent for r in results} == set(Consent.values)
        assert any(r.is_verified for r in results) and not all(r.is_verified for r in results)
        for result in results:
            cohort = result.plan.enrollment.cohort
            assert cohort.start_date <= result.achieved_on <= cohort.local_date()
            assert result.focus_levels.exists()
        # Results staff recorded on a fellow's behalf stay internal.
        by_staff = results.exclude(recorded_by=F("plan__enrollment__user"))
        assert by_staff.exists()
        assert not by_staff.exclude(consent=Consent.INTERNAL).exists()
        assert DemographicProfile.objects.filter(race_ethnicity__isnull=False).exists()

        staff = User.objects.get(email="staff@cohortwise.demo")
        client.force_login(staff)
        response = client.get(reverse("outcomes:impact_mine") + "?by=race")
        assert response.status_code == 200
        report = response.context["report"]
        assert report.places >= 10 and report.stories and report.people_reached > 0
        past = Cohort.objects.filter(status="completed").latest("start_date")
        assert any(line.cohort == past and line.results for line in report.by_cohort)
