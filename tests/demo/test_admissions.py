"""The demo's open round for next year's cohort (demo/admissions.py): applications from every
state and territory, reviewers part way through, and the outside reviewer's login sees their
own assignments only. Seeding twice changes nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from admissions.models import Application, ApplicationRound, ReviewAssignment
from cohorts.geography import StateOrTerritory

from ..mfa import mark_mfa_done
from .test_notifications import _login


@pytest.mark.django_db
def test_the_demo_has_an_open_round_with_applications_from_every_state(client):
    now = datetime.datetime(2027, 4, 14, 15, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        counts = (Application.objects.count(), ReviewAssignment.objects.count())
        call_command("seed_demo", stdout=StringIO())
        assert (Application.objects.count(), ReviewAssignment.objects.count()) == counts

        round_ = ApplicationRound.objects.get()
        assert round_.is_open_at(now)
        assert round_.cohort.start_date > now.date()
        assert round_.cohort.status == "planned"
        states = set(Application.objects.values_list("state", flat=True))
        assert states == set(StateOrTerritory.values)
        assert ReviewAssignment.objects.filter(submitted_at__isnull=False).exists()
        assert ReviewAssignment.objects.filter(submitted_at__isnull=True).exists()

        reviewer = User.objects.get(email=_login(out.getvalue(), "reviewer"))
        client.force_login(reviewer)
        mark_mfa_done(client)
        page = client.get(reverse("admissions:my_reviews", kwargs={"code": round_.code}))
        assert page.status_code == 200
        mine = ReviewAssignment.objects.filter(seat__user=reviewer).count()
        assert 0 < mine < ReviewAssignment.objects.count()
        assert len(page.context["assignments"]) == mine
