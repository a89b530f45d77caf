"""The impact report, its export and the funder report's results: what is counted, what is
told, and the fellow's consent on every surface."""

import csv
import datetime
import io

from django.urls import reverse

from cohorts.geography import StateOrTerritory
from outcomes import services
from outcomes.access import get_impact_for_cohort, get_impact_for_program, get_impact_for_viewer
from outcomes.impact import impact_report, over_time
from outcomes.models import Consent
from outcomes.tilemap import TILES, tile_map

from ..factories.action_plans import ActionPlanFactory
from ..factories.cohorts import EnrollmentFactory, ProgramStaffFactory
from ..factories.outcomes import ResultFactory


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def surfaces(client, cast) -> dict[str, str]:
    """What staff see of results on each surface: the impact report, its CSV export and
    the funder report."""
    code = {"code": cast.cohort.code}
    return {
        "report": client.get(reverse("outcomes:impact_cohort", kwargs=code)).content.decode(),
        "export": b"".join(
            client.get(reverse("outcomes:export_cohort", kwargs=code)).streaming_content
        ).decode(),
        "funder": client.get(reverse("reports:cohort_report", kwargs=code)).content.decode(),
    }


def test_consent_decides_every_surface_and_a_change_applies_at_once(cast, client_for, plan):
    internal = ResultFactory(plan=plan, title="Kept in the family", consent=Consent.INTERNAL)
    ResultFactory(plan=plan, title="Told to funders", consent=Consent.FUNDERS)
    ResultFactory(plan=plan, title="Told to the world", consent=Consent.PUBLIC)
    staff = client_for("staff")

    seen = surfaces(staff, cast)
    for surface, text in seen.items():
        assert "Kept in the family" not in text, surface
        assert "Told to funders" in text, surface
        assert "Told to the world" in text, surface
    # Only public results are told as stories.
    stories = seen["report"].split('id="stories"')[1].split('id="all-results"')[0]
    assert "Told to the world" in stories and "Told to funders" not in stories
    assert 'data-figure="left-out">1<' in seen["report"]

    services.result_set_consent(result=internal, by=cast.fellow, consent=Consent.PUBLIC)
    for surface, text in surfaces(staff, cast).items():
        assert "Kept in the family" in text, surface

    services.result_set_consent(result=internal, by=cast.fellow, consent=Consent.INTERNAL)
    for surface, text in surfaces(staff, cast).items():
        assert "Kept in the family" not in text, surface


def test_a_coach_sees_consented_results_of_their_own_fellows_in_the_funder_report(
    cast, client_for, plan
):
    ResultFactory(plan=plan, title="Result of the coached fellow", consent=Consent.FUNDERS)
    classmate_plan = ActionPlanFactory(enrollment=cast.enrollments["classmate"])
    ResultFactory(plan=classmate_plan, title="Result of somebody else", consent=Consent.FUNDERS)
    url = reverse("reports:cohort_report", kwargs={"code": cast.cohort.code})
    text = client_for("coach").get(url).content.decode()
    assert "Result of the coached fellow" in text and "Result of somebody else" not in text


def test_the_report_counts_by_kind_level_place_and_time(cast, plan):
    peer_plan = ActionPlanFactory(enrollment=cast.enrollments["peer"])
    ResultFactory(
        plan=plan,
        kind="policy",
        jurisdiction="HI",
        achieved_on=datetime.date(2026, 10, 5),
        levels=["community", "societal"],
        people_reached=1000,
        reach_source="enrollment data",
        consent=Consent.PUBLIC,
    )
    ResultFactory(
        plan=plan, kind="funding", jurisdiction="US", achieved_on=datetime.date(2027, 2, 1)
    )
    ResultFactory(
        plan=peer_plan,
        kind="policy",
        jurisdiction="PR",
        achieved_on=datetime.date(2027, 1, 15),
        levels=["patient"],
        people_reached=250,
        reach_source="clinic logs",
    )
    ResultFactory(plan=peer_plan, kind="data", consent=Consent.INTERNAL)  # left out

    report = impact_report(get_impact_for_cohort(cast.staff, cast.cohort.code))
    assert len(report.results) == 3 and report.left_out == 1
    assert dict(report.by_kind)["Policy or rule adopted"] == 2
    assert dict(report.by_kind)["Funding secured"] == 1
    assert dict(report.by_kind)["Data or reporting changed"] == 0
    assert dict(report.by_level) == {
        "Patient": 1,
        "Organizational": 0,
        "Community": 2,
        "Societal": 1,
    }
    assert report.by_place == [
        ("HI", "Hawaii", 1),
        ("US", "National", 1),
        ("PR", "Puerto Rico", 1),
    ]
    assert report.national == 1 and report.places == 2
    assert report.over_time == [("2026 Q4", 1), ("2027 Q1", 2)]
    assert report.people_reached == 1250
    assert [r.people_reached for r in report.reached] == [1000, 250]
    assert [r.jurisdiction for r in report.stories] == ["HI"]
    assert report.fellows == 3 and report.reporting == 2  # fellow, peer, classmate active


def test_over_time_fills_empty_quarters_and_turns_to_years_over_three_years():
    days = [datetime.date(2026, 2, 1), datetime.date(2026, 11, 3), datetime.date(2026, 12, 9)]
    assert over_time(days) == [("2026 Q1", 1), ("2026 Q2", 0), ("2026 Q3", 0), ("2026 Q4", 2)]
    long = [datetime.date(2022, 5, 1), datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)]
    assert over_time(long) == [("2022", 1), ("2023", 0), ("2024", 0), ("2025", 2)]
    assert over_time([]) == []


def test_the_tile_map_has_every_state_dc_and_territory_once():
    assert set(TILES) == set(StateOrTerritory.values)
    assert len(set(TILES.values())) == len(TILES)  # no two tiles on one square
    assert len(TILES) == 56  # 50 states, DC, five territories
    drawn = tile_map({"HI": 3, "PR": 1, "TX": 12})
    counts = {tile.code: tile.count for tile in drawn.tiles}
    assert counts["HI"] == 3 and counts["TX"] == 12 and counts["ME"] == 0
    fills = {tile.code: tile.fill for tile in drawn.tiles}
    assert fills["TX"] != fills["HI"] != fills["ME"]
    assert drawn.places_with_results == 3
    assert [step.text for step in drawn.legend] == ["None", "1–3", "4–6", "7–9", "10–12"]


def test_the_map_is_drawn_on_the_page_with_its_table(cast, client_for, plan):
    ResultFactory(plan=plan, jurisdiction="GU")
    url = reverse("outcomes:impact_cohort", kwargs={"code": cast.cohort.code})
    text = client_for("staff").get(url).content.decode()
    assert 'data-place="GU" data-count="1"' in text
    assert 'data-place="VI" data-count="0"' in text
    assert '<th scope="row">Guam</th>' in text


def test_a_program_report_spans_its_cohorts_and_the_viewers_report_their_programs(cast):
    past_plan = ActionPlanFactory(enrollment=cast.enrollments["alumnus"])
    ResultFactory(plan=past_plan, title="From last year")
    current_plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    ResultFactory(plan=current_plan, title="From this year")
    other = EnrollmentFactory(cohort=cast.other_cohort)
    ResultFactory(plan=ActionPlanFactory(enrollment=other), title="Other program")

    program = impact_report(get_impact_for_program(cast.staff, cast.program.slug))
    assert {r.title for r in program.results} == {"From last year", "From this year"}
    lines = {line.cohort.name: line.results for line in program.by_cohort}
    assert lines == {"2025–2026 cohort": 1, "2026 spring cohort": 0, "2026–2027 cohort": 1}

    mine = impact_report(get_impact_for_viewer(cast.staff))
    assert {r.title for r in mine.results} == {"From last year", "From this year"}
    ProgramStaffFactory(program=cast.other_program, user=cast.staff)
    cast.staff.__dict__.pop("_cw_staff_program_ids", None)
    both = impact_report(get_impact_for_viewer(cast.staff))
    assert {r.title for r in both.results} == {"From last year", "From this year", "Other program"}


def test_the_export_has_one_row_per_consented_result_and_is_spreadsheet_safe(
    cast, client_for, plan
):
    ResultFactory(plan=plan, title='=HYPERLINK("http://x")', consent=Consent.FUNDERS)
    ResultFactory(plan=plan, title="Not for funders", consent=Consent.INTERNAL)
    response = client_for("staff").get(
        reverse("outcomes:export_program", kwargs={"slug": cast.program.slug})
    )
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert [row["Title"] for row in rows] == ['\'=HYPERLINK("http://x")']
    assert rows[0]["Fellow"] == "Fiona Fellow" and rows[0]["Consent"].startswith("May appear")
