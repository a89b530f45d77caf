"""The demo's open round for next year's cohort (demo/admissions.py): applications from every
state and territory, reviewers part way through, and the outside reviewer's login sees their
own assignments only. Seeding twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from admissions.models import Application, ApplicationRound, ReviewAssignment
from cohorts.geography import StateOrTerritory

from ..mfa import mark_mfa_done
from .conftest import SPRING
from .test_notifications import _login


@pytest.mark.django_db
def test_the_demo_has_an_open_round_with_applications_from_every_state(client, seeded_demo):
    now = SPRING
    with time_machine.travel(now, tick=False):
        output = seeded_demo(now).output  # seeding again: test_seed_demo.py

        round_ = ApplicationRound.objects.get()
        assert round_.is_open_at(now)
        assert round_.cohort.start_date > now.date()
        assert round_.cohort.status == "planned"
        states = set(Application.objects.values_list("state", flat=True))
        assert states == set(StateOrTerritory.values)
        assert ReviewAssignment.objects.filter(submitted_at__isnull=False).exists()
        assert ReviewAssignment.objects.filter(submitted_at__isnull=True).exists()

        reviewer = User.objects.get(email=_login(output, "reviewer"))
        client.force_login(reviewer)
        mark_mfa_done(client)
        page = client.get(reverse("admissions:my_reviews", kwargs={"code": round_.code}))
        assert page.status_code == 200
        mine = ReviewAssignment.objects.filter(seat__user=reviewer).count()
        assert 0 < mine < ReviewAssignment.objects.count()
        assert len(page.context["assignments"]) == mine
