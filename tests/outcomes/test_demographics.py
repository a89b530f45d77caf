"""Figures by self-identified demographics: who is counted in which group, the tables of the
impact report and the dashboard worked out by hand, and who may see them."""

import re

import pytest
from django.urls import reverse

from outcomes.access import get_impact_for_cohort
from outcomes.demographics import DIMENSIONS, people_groups
from outcomes.impact import impact_report
from reports.suppression import MASK

from ..factories.action_plans import ActionPlanFactory
from ..factories.cohorts import EnrollmentFactory
from ..factories.outcomes import DemographicProfileFactory, ResultFactory


def test_who_is_counted_where(cast):
    fellow, peer, classmate, alumnus = (cast.fellow, cast.peer, cast.classmate, cast.alumnus)
    DemographicProfileFactory(user=fellow, race=["nhpi"], lived=["rural", "medicaid"])
    DemographicProfileFactory(user=peer, race=["hispanic", "black"], gender="man")
    DemographicProfileFactory(user=classmate, race=["prefer_not"], gender="prefer_not")
    ids = [fellow.pk, peer.pk, classmate.pk, alumnus.pk]  # the alumna never answered

    race = people_groups(ids, DIMENSIONS["race"])
    assert race == {
        fellow.pk: ["nhpi"],
        peer.pk: ["multiple"],
        classmate.pk: ["prefer_not"],
        alumnus.pk: ["not_answered"],
    }
    gender = people_groups(ids, DIMENSIONS["gender"])
    assert [gender[i] for i in ids] == [["not_answered"], ["man"], ["prefer_not"], ["not_answered"]]
    lived = people_groups(ids, DIMENSIONS["lived"])
    assert [lived[i] for i in ids] == [
        ["medicaid", "rural"],
        ["none_chosen"],
        ["none_chosen"],
        ["not_answered"],
    ]


def rows_of(table):
    return {label: [c.display for c in cells] for label, cells, _total in table.rows}


@pytest.fixture
def equity_cohort(cast):
    """Worked by hand. Besides the cast's fellow, peer and classmate (no answers):
    six Hispanic or Latino fellows (five with one policy result each), five White fellows
    (two with one program result each), two Black fellows, one who chose Asian and White.
    The fellow (no answers) has one policy result."""

    def fellows(n, race, with_results=0, kind="policy"):
        for i in range(n):
            enrollment = EnrollmentFactory(cohort=cast.cohort)
            DemographicProfileFactory(user=enrollment.user, race=race)
            if i < with_results:
                ResultFactory(plan=ActionPlanFactory(enrollment=enrollment), kind=kind)

    fellows(6, ["hispanic"], with_results=5)
    fellows(5, ["white"], with_results=2, kind="program")
    fellows(2, ["black"])
    fellows(1, ["asian", "white"])
    ResultFactory(plan=ActionPlanFactory(enrollment=cast.enrollments["fellow"]), kind="policy")
    return cast.cohort


def test_the_impact_report_by_race_and_ethnicity(cast, equity_cohort):
    report = impact_report(
        get_impact_for_cohort(cast.staff, equity_cohort.code), DIMENSIONS["race"]
    )
    summary, kinds = report.tables
    assert summary.column_labels == [
        "Fellows",
        "Fellows with a result",
        "Results",
        "People reached",
    ]
    # Every group under 5 people is hidden, zero included. The hidden fellows add up to
    # 17 - 6 - 5 = 6 but are spread over eight groups; 2 White fellows with a result are
    # hidden, as is the 1 of "Not answered". Nobody estimated people reached: all hidden.
    hidden = [MASK] * 4
    assert rows_of(summary) == {
        "American Indian or Alaska Native": hidden,
        "Asian": hidden,
        "Black or African American": hidden,
        "Hispanic or Latino": ["6", "5", "5", MASK],
        "Middle Eastern or North African": hidden,
        "Native Hawaiian or Pacific Islander": hidden,
        "White": ["5", MASK, MASK, MASK],
        "More than one race or ethnicity": hidden,
        "Prefer not to say": hidden,
        "Not answered": hidden,
    }
    assert [c.display for c in summary.column_totals] == ["17", "8", "8", MASK]

    # Results by kind: only the 5 policy results of 5 Hispanic or Latino fellows are shown,
    # with their row total; the 6 policy results (by 6 fellows) and the 8 in all.
    shown = {
        (label, summary_label): c.display
        for label, cells, _t in kinds.rows
        for summary_label, c in zip(kinds.column_labels, cells, strict=True)
        if not c.hidden
    }
    assert shown == {("Hispanic or Latino", "Policy or rule adopted"): "5"}
    totals = {label: t.display for label, _cells, t in kinds.rows if not t.hidden}
    assert totals == {"Hispanic or Latino": "5"}
    assert kinds.column_totals[0].display == "6" and kinds.grand_total.display == "8"
    assert all(c.hidden for c in kinds.column_totals[1:])


def test_the_dashboard_by_gender_for_staff_only(cast, client_for, equity_cohort):
    for enrollment in equity_cohort.enrollments.all():
        DemographicProfileFactory(user=enrollment.user)
    url = reverse("reports:cohort_dashboard", kwargs={"code": equity_cohort.code})
    page = client_for("staff").get(url + "?by=gender").content.decode()
    assert "By self-identified demographics" in page
    assert "Fellows by gender" in page
    # Nobody gave a gender: all 18 on the roster (withdrawn included) are "Not answered".
    assert re.search(r'<th scope="row">Not answered</th>\s*<td class="text-end">18</td>', page)
    coach_page = client_for("coach").get(url).content.decode()
    assert "By self-identified demographics" not in coach_page
    assert "Fellows by race" not in coach_page


def test_an_unknown_breakdown_shows_none_on_the_report_and_race_on_the_dashboard(
    cast, client_for, equity_cohort
):
    report = reverse("outcomes:impact_cohort", kwargs={"code": equity_cohort.code})
    assert client_for("staff").get(report + "?by=shoe-size").context["report"].tables == []
    dashboard = reverse("reports:cohort_dashboard", kwargs={"code": equity_cohort.code})
    page = client_for("staff").get(dashboard + "?by=shoe-size").content.decode()
    assert "Fellows by race and ethnicity" in page
