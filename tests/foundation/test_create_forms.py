"""Every create form starts from the model's defaults: a person who types only what has no
default (a name, a date) and presses Save succeeds on the first submit."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import Program
from tests.factories.action_plans import ActionPlanFactory, GoalFactory
from tests.factories.curriculum import build_curriculum
from tests.forms import submitted

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 10, 20, 15, tzinfo=datetime.UTC)


def _plan(cast):
    return ActionPlanFactory(enrollment=cast.enrollments["fellow"])


# (role, url of the create page, a field of its form, what the person types)
CREATE_FORMS = {
    "program": ("staff", lambda c: reverse("cohorts:program_create"), "name", {"name": "New"}),
    "cohort": (
        "staff",
        lambda c: reverse("cohorts:cohort_create", args=[c.program.slug]),
        "name",
        {"name": "2027–2028", "start_date": "2027-09-01", "end_date": "2028-08-31"},
    ),
    "enrollment": (
        "staff",
        lambda c: reverse("cohorts:enrollment_add", args=[c.cohort.code]),
        "email",
        {"email": "new@example.org", "full_name": "Nia New", "state": "AZ", "agency": "AHCCCS"},
    ),
    "framework": (
        "staff",
        lambda c: reverse("curriculum:framework_create"),
        "slug",
        {"name": "Seven evolutions", "slug": "seven"},
    ),
    "domain": (
        "staff",
        lambda c: reverse("curriculum:domain_create", args=[build_curriculum(c).framework.code]),
        "name",
        {"name": "Trust"},
    ),
    "competency": (
        "staff",
        lambda c: reverse("curriculum:competency_create", args=[build_curriculum(c).domain.code]),
        "name",
        {"name": "Listening"},
    ),
    "module": (
        "staff",
        lambda c: reverse("curriculum:module_create", args=[c.cohort.code]),
        "title",
        {"title": "Leading change", "starts_on": "2026-11-01", "ends_on": "2026-11-30"},
    ),
    "session": (
        "staff",
        lambda c: reverse("curriculum:session_create", args=[c.cohort.code]),
        "title",
        {
            "title": "November session",
            "starts_at_0": "2026-11-10",
            "starts_at_1": "13:00",
            "ends_at_0": "2026-11-10",
            "ends_at_1": "14:30",
            "video_url": "https://meet.example.org/nov",
        },
    ),
    "series": (
        "staff",
        lambda c: reverse("curriculum:series_create", args=[c.cohort.code]),
        "first_month",
        {
            "first_month": "2026-11-01",
            "last_month": "2027-01-01",
            "video_url": "https://meet.example.org/m",
        },
    ),
    "assignment": (
        "staff",
        lambda c: reverse("curriculum:assignment_create", args=[build_curriculum(c).module.code]),
        "title",
        {
            "title": "Reflection",
            "instructions": "Write a page.",
            "due_at_0": "2026-11-30",
            "due_at_1": "17:00",
        },
    ),
    "coaching session": (
        "coach",
        lambda c: reverse("coaching:session_create", args=[c.enrollments["fellow"].code]),
        "starts_at",
        {"starts_at": "2026-10-30T10:00"},
    ),
    "goal": (
        "fellow",
        lambda c: reverse("action_plans:goal_add", args=[_plan(c).code]),
        "title",
        {"title": "Pass the waiver"},
    ),
    "milestone": (
        "fellow",
        lambda c: reverse("action_plans:milestone_add", args=[GoalFactory(plan=_plan(c)).code]),
        "due_date",
        {"title": "Draft", "due_date": "2026-12-01"},
    ),
    "progress update": (
        "fellow",
        lambda c: reverse("action_plans:update_add", args=[_plan(c).code]),
        "body",
        {"body": "Moving."},
    ),
    "meeting series": (
        "staff",
        lambda c: reverse("networks:meeting_schedule", args=[c.group.code]),
        "first_date",
        {"first_date": "2026-11-02"},
    ),
}


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_a_create_form_saves_on_its_first_submit(client_for, cast, name):
    role, url_of, field, typed = CREATE_FORMS[name]
    client = client_for(role)
    with time_machine.travel(NOW, tick=False):
        url = url_of(cast)
        page = client.get(url)
        assert page.status_code == 200
        data = submitted(page.content, field)
        data.update(typed)
        response = client.post(url, data)
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert response.status_code == 302, errors


def test_the_new_program_form_shows_the_program_defaults(client_for):
    page = client_for("staff").get(reverse("cohorts:program_create"))
    data = submitted(page.content, "name")
    defaults = Program()
    assert data["coaching_behind_pace_percent"] == str(defaults.coaching_behind_pace_percent)
    assert data["coaching_running_low_percent"] == str(defaults.coaching_running_low_percent)
    assert data["default_time_zone"] == defaults.default_time_zone


def test_a_new_session_starts_as_the_model_default_kind(client_for, cast):
    page = client_for("staff").get(reverse("curriculum:session_create", args=[cast.cohort.code]))
    assert submitted(page.content, "title")["kind"] == "monthly"


def test_every_model_form_of_the_project_starts_from_the_model_defaults():
    import importlib

    from django import forms

    from accounts.form_helpers import ModelForm

    apps = ["accounts", "action_plans", "coaching", "cohorts", "curriculum", "networks"]
    plain = [
        f"{app}.{name}"
        for app in apps
        for name, cls in vars(importlib.import_module(f"{app}.forms")).items()
        if isinstance(cls, type)
        and issubclass(cls, forms.ModelForm)
        and cls.__module__ == f"{app}.forms"
        and not issubclass(cls, ModelForm)
    ]
    assert plain == []
