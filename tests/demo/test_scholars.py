"""The demo's second program: shaped like the health-equity scholars program, next to the
institute, and shown in its own words."""

import pytest
from django.test import Client
from django.urls import reverse

from action_plans.models import ActionPlan, Milestone
from cohorts.models import Cohort, Enrollment, Program
from curriculum.models import Session, SessionKind
from demo.accounts import DEMO_PASSWORD
from demo.cohorts import SLUG as INSTITUTE
from demo.scholars import SLUG
from networks.models import PeerCoaching, PeerGroup


@pytest.mark.django_db
def test_the_demo_holds_a_scholars_program_next_to_the_institute(seeded_demo):
    output = seeded_demo().output  # seeding again: test_seed_demo.py
    program = Program.objects.get(slug=SLUG)
    assert Program.objects.filter(slug=INSTITUTE).exists()
    assert (program.participant_plural, program.plan_name) == (
        "scholars",
        "Advocacy Action Project",
    )
    assert (program.group_size_min, program.group_size_max) == (2, 3)
    assert program.partners.count() == 6
    cohort = Cohort.objects.get(program=program)
    scholars = Enrollment.objects.filter(cohort=cohort)
    assert scholars.count() == 11
    assert not scholars.filter(partner__isnull=True).exists()  # each sponsored by a partner

    # Pairs, the last one a trio (eleven scholars), and a logged peer-coaching talk each.
    sizes = sorted(g.memberships.count() for g in PeerGroup.objects.filter(cohort=cohort))
    assert sizes == [2, 2, 2, 2, 3]
    assert PeerCoaching.objects.filter(meeting__group__cohort=cohort).count() >= 1

    # An online launch workshop in two 3-hour parts and a two-day in-person gathering.
    launch = Session.objects.filter(cohort=cohort, kind=SessionKind.LAUNCH)
    assert [(s.ends_at - s.starts_at).seconds // 3600 for s in launch] == [3, 3]
    final = Session.objects.get(cohort=cohort, kind=SessionKind.FINAL)
    local = final.starts_at.astimezone(final.ends_at.tzinfo)
    assert (final.ends_at.date() - local.date()).days == 1 and final.venue

    # Every project started from the program's template of phases.
    plans = ActionPlan.objects.filter(enrollment__cohort=cohort)
    assert plans.count() == 11
    assert set(
        Milestone.objects.filter(goal__plan=plans.first()).values_list("title", flat=True)
    ) >= {
        "Project charter agreed with your institutional sponsor",
        "Poster for the final gathering",
    }

    # A scholar signs in and reads their project in the program's words.
    assert "scholar " in output
    scholar = scholars.order_by("pk").first().user
    client = Client()
    client.post(reverse("account_login"), {"login": scholar.email, "password": DEMO_PASSWORD})
    plan = plans.get(enrollment__user=scholar)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Advocacy Action Project" in html and "Leadership Action Plan" not in html
