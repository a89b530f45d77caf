"""The search forms' fields written in Python (`as_filter_field`) are the markup crispy's
`as_crispy_field` writes, blank, filled in (with text that needs escaping) and refused."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.html import parse_html

from accounts.templatetags.filter_fields import as_filter_field
from action_plans.forms import CommentForm
from cohorts.filters import DirectoryFilter, RosterFilter
from cohorts.models import Cohort, Enrollment
from tests.factories.action_plans import MilestoneFactory
from tests.factories.cohorts import CohortFactory, PartnerOrganizationFactory

pytestmark = pytest.mark.django_db


def _forms():
    cohort = CohortFactory()
    CohortFactory(program=cohort.program)
    cohort.program.partners.add(PartnerOrganizationFactory())
    enrollments = Enrollment.objects.all()
    cohorts = Cohort.objects.all()
    yield RosterFilter(None, queryset=enrollments, program=cohort.program).form
    yield RosterFilter(
        {"q": '"><script>alert(1)</script>', "state": "HI", "agency": "Health & <Welfare>"},
        queryset=enrollments,
        program=cohort.program,
    ).form
    yield RosterFilter({"status": "nonsense"}, queryset=enrollments, program=None).form
    yield DirectoryFilter(None, queryset=enrollments, reach=frozenset(), cohorts=cohorts).form
    yield DirectoryFilter(
        {"cohort": str(cohort.code), "q": "Ana"},
        queryset=enrollments,
        reach=frozenset(),
        cohorts=cohorts,
    ).form
    # The plan page's comment form: a required text area and a list of the plan's milestones.
    milestone = MilestoneFactory(title='Draft the "<b>" amendment & more')
    plan = milestone.goal.plan
    yield CommentForm(plan=plan, milestones=[milestone])
    yield CommentForm({"body": "<i>Well done</i>", "milestone": ""}, plan=plan)


def test_fields_are_the_markup_crispy_writes():
    written = 0
    for form in _forms():
        for field in form:
            ours = as_filter_field(field)
            assert parse_html(ours) == parse_html(as_crispy_field(field)), field.name
            assert "<script>" not in ours
            written += 1
    assert written > 24


def test_a_refused_value_shows_crispys_error_next_to_the_field():
    form = RosterFilter({"status": "nonsense"}, queryset=Enrollment.objects.none()).form
    assert "is-invalid" in as_filter_field(form["status"])
    assert "invalid-feedback" in as_filter_field(form["status"])
