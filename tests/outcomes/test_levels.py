"""Focus levels year over year: plans, milestones done and results by level for a program
across its cohorts and across the programs one person runs, as a page and a CSV. Every
figure below is counted by hand from the data each test makes."""

import csv
import io

import pytest
from django.urls import reverse

from action_plans.models import MilestoneStatus
from cohorts.models import Enrollment
from outcomes.models import Consent

from ..factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from ..factories.cohorts import EnrollmentFactory, ProgramStaffFactory
from ..factories.outcomes import ResultFactory
from ..queries import assert_stable_queries

DONE, OPEN = MilestoneStatus.DONE, MilestoneStatus.NOT_STARTED


def make_plan(enrollment, levels, done=0, open_=0, results=()):
    """A plan at `levels` with `done` + `open_` milestones, and results (consent, levels)."""
    plan = ActionPlanFactory(enrollment=enrollment)
    for level in levels:
        plan.focus_levels.create(level=level)
    goal = GoalFactory(plan=plan)
    for status in [DONE] * done + [OPEN] * open_:
        MilestoneFactory(goal=goal, status=status)
    for consent, result_levels in results:
        ResultFactory(plan=plan, consent=consent, levels=result_levels)
    return plan


@pytest.fixture
def levels_data(cast):
    """The institute: 2025 (the past cohort) and 2026 (the current and the spring cohort,
    which start in the same year). The scholars program: 2026."""
    e = cast.enrollments
    # 2025: the alumnus. Their internal result is counted nowhere.
    make_plan(
        e["alumnus"],
        ["patient", "community"],
        done=2,
        open_=1,
        results=[(Consent.FUNDERS, ["community"]), (Consent.INTERNAL, ["patient"])],
    )
    # 2026.
    make_plan(
        e["fellow"],
        ["community", "societal"],
        done=1,
        open_=3,
        results=[(Consent.PUBLIC, ["community", "societal"]), (Consent.FUNDERS, ["societal"])],
    )
    make_plan(e["peer"], ["community"], done=2)
    make_plan(e["other_cohort_fellow"], ["organizational"], open_=1)
    make_plan(e["classmate"], [])  # names no level
    make_plan(e["withdrawn"], ["patient"], done=5)  # withdrawn: not counted
    # The scholars program, 2026.
    scholar = EnrollmentFactory(cohort=cast.other_cohort)
    make_plan(scholar, ["patient"], done=1, open_=1, results=[(Consent.FUNDERS, ["patient"])])


def figures(html: str, table_id: str) -> dict:
    """{(year, level): (plans, milestones text, results)} read from one table of the page."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = False
            self.year = self.level = self.figure = None
            self.rows = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table":
                self.inside = attrs.get("id") == table_id
            if not self.inside:
                return
            if tag == "tbody" and "data-year" in attrs:
                self.year = int(attrs["data-year"])
            if tag == "tr" and "data-level" in attrs:
                self.level = attrs["data-level"]
                self.rows[(self.year, self.level)] = []
            if tag == "td" and "data-figure" in attrs:
                self.figure = attrs["data-figure"]

        def handle_endtag(self, tag):
            if tag == "td":
                self.figure = None
            if tag == "table":
                self.inside = False

        def handle_data(self, data):
            if self.inside and self.figure:
                self.rows[(self.year, self.level)].append(data.strip())

    reader = Reader()
    reader.feed(html)
    return {key: tuple(value) for key, value in reader.rows.items()}


INSTITUTE = {
    (2025, "patient"): ("1", "2 of 3 (67%)", "0"),
    (2025, "organizational"): ("0", "0 of 0", "0"),
    (2025, "community"): ("1", "2 of 3 (67%)", "1"),
    (2025, "societal"): ("0", "0 of 0", "0"),
    (2026, "patient"): ("0", "0 of 0", "0"),
    (2026, "organizational"): ("1", "0 of 1 (0%)", "0"),
    (2026, "community"): ("2", "3 of 6 (50%)", "1"),
    (2026, "societal"): ("1", "1 of 4 (25%)", "2"),
}
SCHOLARS = {
    (2026, "patient"): ("1", "1 of 2 (50%)", "1"),
    (2026, "organizational"): ("0", "0 of 0", "0"),
    (2026, "community"): ("0", "0 of 0", "0"),
    (2026, "societal"): ("0", "0 of 0", "0"),
}


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_program_by_level_year_over_year(cast, client_for, levels_data):
    url = reverse("outcomes:levels_program", kwargs={"slug": cast.program.slug})
    response = client_for("staff").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert figures(html, "levels-all") == INSTITUTE
    # 2026 holds both cohorts that start that year; one of its four plans names no level.
    assert "2026 spring cohort, 2026–2027 cohort · 4 plans, 1 naming no level" in html
    assert 'id="level-plans-chart-title"' in html and 'id="level-results-chart-title"' in html
    assert "Scholars" not in html


def test_the_program_view_links_its_level_report(cast, client_for):
    url = reverse("reports:program_dashboard", kwargs={"slug": cast.program.slug})
    html = client_for("staff").get(url).content.decode()
    assert reverse("outcomes:levels_program", kwargs={"slug": cast.program.slug}) in html


def test_across_the_programs_a_person_runs(cast, client_for, levels_data):
    ProgramStaffFactory(program=cast.other_program, user=cast.users["staff"])
    html = client_for("staff").get(reverse("outcomes:levels_mine")).content.decode()
    both = dict(INSTITUTE)
    both[(2026, "patient")] = SCHOLARS[(2026, "patient")]
    assert figures(html, "levels-all") == both
    assert figures(html, "levels-heli") == INSTITUTE
    assert figures(html, "levels-scholars") == SCHOLARS


def test_staff_of_one_program_see_only_theirs(cast, client_for, levels_data):
    html = client_for("other_staff").get(reverse("outcomes:levels_mine")).content.decode()
    assert figures(html, "levels-all") == SCHOLARS
    assert "Health Equity Leadership Institute" not in html
    other = reverse("outcomes:levels_program", kwargs={"slug": cast.program.slug})
    assert client_for("other_staff").get(other).status_code == 404
    export = reverse("outcomes:export_levels_program", kwargs={"slug": cast.program.slug})
    assert client_for("other_staff").get(export).status_code == 404


@pytest.mark.parametrize("role", ["coach", "fellow", "peer", "alumnus", "anonymous"])
def test_nobody_but_staff_gets_the_figures(cast, client_for, levels_data, role):
    for name, kwargs in [
        ("outcomes:levels_program", {"slug": cast.program.slug}),
        ("outcomes:export_levels_program", {"slug": cast.program.slug}),
        ("outcomes:levels_mine", {}),
        ("outcomes:export_levels_mine", {}),
    ]:
        response = client_for(role).get(reverse(name, kwargs=kwargs))
        assert response.status_code in (302, 404), (name, response.status_code)
        assert b"levels-all" not in response.content


def test_an_unknown_program_is_404(cast, client_for):
    url = reverse("outcomes:levels_program", kwargs={"slug": "no-such-program"})
    assert client_for("staff").get(url).status_code == 404


def test_the_csv_of_a_program(cast, client_for, levels_data):
    url = reverse("outcomes:export_levels_program", kwargs={"slug": cast.program.slug})
    rows = csv_rows(client_for("staff").get(url))
    assert rows[0] == [
        "Program",
        "Year",
        "Cohorts",
        "Focus level",
        "Plans",
        "Milestones",
        "Milestones done",
        "Results",
    ]
    name = "Health Equity Leadership Institute"
    both = "2026 spring cohort; 2026–2027 cohort"
    assert rows[1:] == [
        [name, "2025", "2025–2026 cohort", "Patient", "1", "3", "2", "0"],
        [name, "2025", "2025–2026 cohort", "Organizational", "0", "0", "0", "0"],
        [name, "2025", "2025–2026 cohort", "Community", "1", "3", "2", "1"],
        [name, "2025", "2025–2026 cohort", "Societal", "0", "0", "0", "0"],
        [name, "2026", both, "Patient", "0", "0", "0", "0"],
        [name, "2026", both, "Organizational", "1", "1", "0", "0"],
        [name, "2026", both, "Community", "2", "6", "3", "1"],
        [name, "2026", both, "Societal", "1", "4", "1", "2"],
    ]


def test_the_csv_across_programs_names_each_program(cast, client_for, levels_data):
    ProgramStaffFactory(program=cast.other_program, user=cast.users["staff"])
    rows = csv_rows(client_for("staff").get(reverse("outcomes:export_levels_mine")))
    assert [row[0] for row in rows[1:]] == ["Health Equity Leadership Institute"] * 8 + [
        "Scholars Program"
    ] * 4
    assert rows[9] == ["Scholars Program", "2026", "Scholars 2026", "Patient", "1", "2", "1", "1"]


def test_the_page_and_csv_speak_in_the_programs_words(cast, client_for, levels_data):
    program = cast.program
    program.participant_singular, program.participant_plural = "scholar", "scholars"
    program.plan_name, program.plan_short_name = "Advocacy Action Project", "project"
    program.save()
    url = reverse("outcomes:levels_program", kwargs={"slug": program.slug})
    html = client_for("staff").get(url).content.decode()
    assert "Projects by focus level" in html and "active scholars and alumni" in html
    assert "fellows" not in html.lower().replace("fellows-", "")
    export = reverse("outcomes:export_levels_program", kwargs={"slug": program.slug})
    assert csv_rows(client_for("staff").get(export))[0][4] == "Projects"


def _grow(cast):
    """n more fellows in each cohort of both programs, each with a plan at two levels, two
    milestones and a result."""

    def grow(n):
        for cohort in (cast.cohort, cast.past_cohort, cast.other_cohort):
            for _ in range(n):
                make_plan(
                    EnrollmentFactory(cohort=cohort),
                    ["patient", "societal"],
                    done=1,
                    open_=1,
                    results=[(Consent.FUNDERS, ["patient"])],
                )

    return grow


@pytest.mark.parametrize(
    "name", ["outcomes:levels_mine", "outcomes:export_levels_mine"], ids=["page", "csv"]
)
def test_cross_program_queries_stay_flat(cast, client_for, levels_data, name):
    ProgramStaffFactory(program=cast.other_program, user=cast.users["staff"])
    client = client_for("staff")

    def fetch():
        response = client.get(reverse(name))
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    count = assert_stable_queries(fetch, _grow(cast))
    assert count <= 12


@pytest.mark.parametrize(
    "name", ["outcomes:levels_program", "outcomes:export_levels_program"], ids=["page", "csv"]
)
def test_program_queries_stay_flat(cast, client_for, levels_data, name):
    client = client_for("staff")
    url = reverse(name, kwargs={"slug": cast.program.slug})

    def fetch():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    count = assert_stable_queries(fetch, _grow(cast))
    assert count <= 12
    assert Enrollment.objects.filter(cohort__program=cast.program).count() == 6 + 2 * 9
