"""Links built from one reversed pattern (accounts/links.py) and the site's `{% url %}` tag
are the URLs `reverse()` and Django's tag give, including under a script prefix."""

import uuid

import pytest
from django.template import Context, TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from accounts.links import code_url
from tests.factories.cohorts import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_code_url_is_the_url_reverse_gives():
    cohort = CohortFactory()
    enrollment = EnrollmentFactory(cohort=cohort)
    for name, code in [
        ("cohorts:enrollment_detail", enrollment.code),
        ("cohorts:cohort_detail", cohort.code),
        ("cohorts:roster", str(cohort.code)),
    ]:
        assert code_url(name, code) == reverse(name, kwargs={"code": code})


def test_code_url_follows_the_script_prefix():

    cohort = CohortFactory()
    try:
        set_script_prefix("/cohortwise/")
        under_prefix = code_url("cohorts:roster", cohort.code)
        assert under_prefix == reverse("cohorts:roster", kwargs={"code": cohort.code})
    finally:
        set_script_prefix("/")
    assert under_prefix.startswith("/cohortwise/")
    assert code_url("cohorts:roster", cohort.code) == under_prefix.removeprefix("/cohortwise")


def test_the_url_tag_gives_what_djangos_gives():
    cohort = CohortFactory()
    engine = engines["django"].engine
    source = (
        "{% url 'health' %}|{% url 'cohorts:roster' cohort.code %}|"
        "{% url 'cohorts:roster' code=cohort.code %}|{% url 'cohorts:roster' text %}|"
        "{% url 'cohorts:program_detail' cohort.program.slug %}|"
        "{% url 'cohorts:nowhere' cohort.code as missing %}[{{ missing }}]|"
        "{% url 'cohorts:roster' cohort.code as link %}{{ link }}|"
        "{% url 'cohorts:roster' code=text %}|{% url 'cohorts:program_detail' slug=slug %}"
    )
    context = {"cohort": cohort, "text": str(cohort.code), "slug": cohort.program.slug}
    ours = engine.from_string(source).render(Context(context))
    roster = reverse("cohorts:roster", kwargs={"code": cohort.code})
    expected = "|".join(
        [
            reverse("health"),
            roster,
            roster,
            roster,
            reverse("cohorts:program_detail", kwargs={"slug": cohort.program.slug}),
            "[]",
            roster,
            roster,
            reverse("cohorts:program_detail", kwargs={"slug": cohort.program.slug}),
        ]
    )
    assert ours == expected


def test_the_url_tag_still_refuses_what_reverse_refuses():
    engine = engines["django"].engine
    with pytest.raises(NoReverseMatch):
        engine.from_string("{% url 'cohorts:roster' %}").render(Context({}))
    with pytest.raises(NoReverseMatch):
        engine.from_string("{% url 'cohorts:roster' 12 %}").render(Context({}))
    with pytest.raises(NoReverseMatch):
        engine.from_string("{% url 'cohorts:roster' slug=code %}").render(
            Context({"code": uuid.uuid4()})
        )
    with pytest.raises(TemplateSyntaxError):
        engine.from_string("{% url %}")
    code = uuid.uuid4()
    request = RequestFactory().get("/")
    rendered = engine.from_string("{% url 'cohorts:roster' code %}").render(
        Context({"code": code, "request": request})
    )
    assert rendered == reverse("cohorts:roster", args=[code])
