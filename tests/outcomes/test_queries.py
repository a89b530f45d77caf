"""Outcomes pages, and the panels outcomes adds to other pages, cost the same number of
queries at 1x and 10x data."""

import itertools

import pytest
from django.urls import reverse

from outcomes.models import Consent

from ..factories.action_plans import ActionPlanFactory, CompetencyFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.outcomes import DemographicProfileFactory, ResultFactory
from ..queries import assert_stable_queries, count_queries

KINDS = itertools.cycle(["policy", "program", "practice", "data"])
CONSENTS = itertools.cycle([Consent.PUBLIC, Consent.FUNDERS, Consent.INTERNAL])
STATES = itertools.cycle(["HI", "PR", "GU", "TX", "US", "NM"])
RACES = itertools.cycle([["hispanic"], ["black", "white"], ["prefer_not"], ["asian"], []])


def _results(plan, n, framework=None):
    for _ in range(n):
        result = ResultFactory(
            plan=plan,
            kind=next(KINDS),
            consent=next(CONSENTS),
            jurisdiction=next(STATES),
            levels=["community", "societal"],
            people_reached=120,
            reach_source="agency data",
        )
        if framework is not None:
            result.competencies.add(CompetencyFactory(domain=framework.domains.first()))


def _fellows(cohort, n, framework=None):
    """n more fellows in the cohort, each with a plan, two results and demographic answers."""
    for _ in range(n):
        enrollment = EnrollmentFactory(cohort=cohort)
        DemographicProfileFactory(
            user=enrollment.user, gender="woman", race=next(RACES), lived=["rural"]
        )
        _results(ActionPlanFactory(enrollment=enrollment), 2, framework)


@pytest.fixture
def seeded(cast, plan, framework):
    _results(plan, 2, framework)
    _fellows(cast.cohort, 1, framework)
    return framework


def stable(client, url, grow, limit=None):
    count = assert_stable_queries(lambda: client.get(url), grow, factor=10)
    if limit is not None:
        assert count <= limit, f"{count} queries"
    return count


def test_the_plan_page_with_its_results(cast, client_for, plan, seeded):
    for role in ("fellow", "peer"):
        stable(client_for(role), plan.get_absolute_url(), lambda n: _results(plan, n, seeded))


def test_a_result_page(cast, client_for, plan, seeded):
    result = plan.results.first()
    url = result.get_absolute_url()
    stable(client_for("staff"), url, lambda n: _results(plan, n, seeded), limit=12)


def test_the_cohort_results_list(cast, client_for, seeded):
    url = reverse("outcomes:cohort_results", kwargs={"code": cast.cohort.code})
    for role in ("staff", "coach"):
        stable(client_for(role), url, lambda n: _fellows(cast.cohort, n, seeded), limit=12)


@pytest.mark.parametrize("by", ["", "race", "lived", "gender"])
def test_the_impact_report_of_a_cohort(cast, client_for, seeded, by):
    url = reverse("outcomes:impact_cohort", kwargs={"code": cast.cohort.code}) + f"?by={by}"
    stable(client_for("staff"), url, lambda n: _fellows(cast.cohort, n, seeded), limit=12)


def test_the_impact_reports_across_years_and_programs(cast, client_for, seeded):
    for url in (
        reverse("outcomes:impact_program", kwargs={"slug": cast.program.slug}) + "?by=race",
        reverse("outcomes:impact_mine"),
    ):
        stable(client_for("staff"), url, lambda n: _fellows(cast.past_cohort, n, seeded), limit=12)


def test_the_export(cast, client_for, seeded):
    url = reverse("outcomes:export_cohort", kwargs={"code": cast.cohort.code})
    client = client_for("staff")

    def fetch():
        response = client.get(url)
        response.body = b"".join(response.streaming_content)  # the rows are read here
        return response

    before, _sql, _ = count_queries(fetch)
    _fellows(cast.cohort, 9, seeded)
    after, sql, response = count_queries(fetch)
    assert before == after, "\n".join(sql)
    assert response.body.count(b"\n") > 10


def test_the_funder_report_and_the_dashboard_with_their_outcomes_sections(cast, client_for, seeded):
    for name, role in (
        ("reports:cohort_report", "staff"),
        ("reports:cohort_report", "coach"),
        ("reports:cohort_dashboard", "staff"),
    ):
        url = reverse(name, kwargs={"code": cast.cohort.code})
        stable(client_for(role), url, lambda n: _fellows(cast.cohort, n, seeded))


def test_the_fellow_home_and_enrollment_panels(cast, client_for, plan, seeded):
    stable(client_for("fellow"), reverse("cohorts:fellow_home"), lambda n: _results(plan, n))
    url = reverse("cohorts:enrollment_detail", kwargs={"code": cast.enrollments["fellow"].code})
    stable(client_for("staff"), url, lambda n: _results(plan, n))


def test_the_export_reads_in_one_pass_past_any_batch_size(cast, client_for, plan, seeded):
    """250 results, then 2,500 (beyond the 2,000 rows a chunked read takes at a time): the
    same queries, and each row still carries its own levels and competencies."""
    import uuid

    from outcomes.models import Result, ResultFocusLevel

    template = ResultFactory(plan=plan, consent=Consent.FUNDERS, levels=["community"])
    competency = CompetencyFactory(domain=seeded.domains.first(), name="Bulk competency")
    copied = [f.attname for f in Result._meta.concrete_fields if f.name not in ("id", "code")]

    def grow(times):
        made = Result.objects.bulk_create(
            Result(**{name: getattr(template, name) for name in copied}, code=uuid.uuid4())
            for _ in range(250 * times)
        )
        # Every other result is at the societal level and names the bulk competency.
        ResultFocusLevel.objects.bulk_create(
            ResultFocusLevel(result=r, level="societal") for r in made[::2]
        )
        Result.competencies.through.objects.bulk_create(
            Result.competencies.through(result=r, competency=competency) for r in made[::2]
        )

    client = client_for("staff")
    url = reverse("outcomes:export_cohort", kwargs={"code": cast.cohort.code})

    def fetch():
        response = client.get(url)
        fetch.body = b"".join(response.streaming_content).decode("utf-8-sig")
        return response

    grow(1)
    assert_stable_queries(fetch, grow, factor=10)
    import csv
    import io

    rows = [r for r in csv.reader(io.StringIO(fetch.body)) if r[4] == template.title]
    assert len(rows) == 2501
    levels = [r[7] for r in rows]
    assert (levels.count("Community"), levels.count("Societal"), levels.count("")) == (
        1,
        1250,
        1250,
    )
    named = [r for r in rows if r[13] == "Bulk competency"]
    assert len(named) == 1250
