"""Partner organizations on enrollments: the sponsoring partner of a fellow, set when adding,
editing or importing them, a roster filter, a column of the roster export and a section of
the funder report."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Enrollment
from cohorts.roster_import import plan_import
from cohorts.services import enrollment_update
from tests.factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory
from tests.factories.cohorts import EnrollmentFactory, PartnerOrganizationFactory
from tests.queries import assert_stable_queries


@pytest.fixture
def partners(cast):
    """Two partners of the cast's program; a third belongs to another program only."""
    county = PartnerOrganizationFactory(name="County Health Alliance")
    university = PartnerOrganizationFactory(name="State University")
    stranger = PartnerOrganizationFactory(name="Elsewhere Foundation")
    cast.program.partners.add(county, university)
    cast.other_program.partners.add(stranger)
    return county, university, stranger


def _add_data(**changes):
    return {
        "email": "kai@health.hawaii.gov",
        "full_name": "Kai Kealoha",
        "state": "HI",
        "agency": "Hawaii DOH",
        "sector": "public_health",
        **changes,
    }


def test_staff_add_a_fellow_with_their_sponsoring_partner(cast, client_for, partners):
    county, _, _ = partners
    response = client_for("staff").post(
        reverse("cohorts:enrollment_add", args=[cast.cohort.code]),
        _add_data(partner=county.pk, send_invitation=""),
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(user__email="kai@health.hawaii.gov").partner == county


def test_a_partner_of_another_program_is_refused_next_to_the_field(cast, client_for, partners):
    _, _, stranger = partners
    response = client_for("staff").post(
        reverse("cohorts:enrollment_add", args=[cast.cohort.code]),
        _add_data(partner=stranger.pk),
    )
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Enrollment.objects.filter(user__email="kai@health.hawaii.gov").exists()


def test_the_service_refuses_a_partner_the_program_does_not_have(cast, partners):
    _, _, stranger = partners
    with pytest.raises(ValidationError) as error:
        enrollment_update(enrollment=cast.enrollments["fellow"], data={"partner": stranger})
    assert "partner" in error.value.message_dict


def test_a_program_without_partners_asks_for_none(cast, client_for):
    response = client_for("staff").get(reverse("cohorts:enrollment_add", args=[cast.cohort.code]))
    assert "partner" not in response.context["form"].fields


def test_staff_change_the_partner_on_the_record(cast, client_for, partners):
    _, university, _ = partners
    enrollment = cast.enrollments["fellow"]
    response = client_for("staff").post(
        reverse("cohorts:enrollment_edit", args=[enrollment.code]),
        {
            "state": enrollment.state,
            "agency": enrollment.agency,
            "title": enrollment.title,
            "sector": enrollment.sector,
            "partner": university.pk,
            "bio": "",
        },
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.partner == university
    page = client_for("staff").get(enrollment.get_absolute_url())
    assert "State University" in page.content.decode()


def test_the_roster_filters_by_partner(cast, client_for, partners):
    county, _, _ = partners
    Enrollment.objects.filter(pk=cast.enrollments["peer"].pk).update(partner=county)
    response = client_for("staff").get(
        reverse("cohorts:roster", args=[cast.cohort.code]), {"partner": county.pk}
    )
    names = [e.user.full_name for e in response.context["page"]]
    assert names == [cast.peer.full_name]


def test_the_roster_filter_refuses_a_partner_of_another_program(cast, client_for, partners):
    _, _, stranger = partners
    response = client_for("staff").get(
        reverse("cohorts:roster", args=[cast.cohort.code]), {"partner": stranger.pk}
    )
    assert response.status_code == 200
    assert "partner" in response.context["filter"].form.errors


def test_the_roster_lists_the_programs_partners_read_once(cast, client_for, partners):
    county, university, stranger = partners
    with CaptureQueriesContext(connection) as ctx:
        response = client_for("staff").get(reverse("cohorts:roster", args=[cast.cohort.code]))
    html = response.content.decode()
    assert html.index(county.name) < html.index(university.name)
    assert stranger.name not in html
    assert f'<option value="{county.pk}">{county.name}</option>' in html
    read = [q for q in ctx.captured_queries if "cohorts_partnerorganization" in q["sql"]]
    assert len(read) == 1


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "full_name", "state", "agency", "partner"])
    writer.writerows(rows)
    return out.getvalue()


def test_the_import_sets_the_partner_by_name_and_refuses_unknown_ones(cast, partners):
    county, _, _ = partners
    plan = plan_import(
        cast.sibling_cohort,
        _csv(
            [
                ["a@example.org", "Ana A", "HI", "DOH", "county health alliance"],
                ["b@example.org", "Ben B", "PR", "DOH", "Elsewhere Foundation"],
                ["c@example.org", "Cy C", "GU", "DOH", ""],
            ]
        ),
    )
    first, second, third = plan.rows
    assert first.values["partner"] == county and not first.reasons
    assert second.reasons == [
        "“Elsewhere Foundation” is not one of the program’s partner organizations"
    ]
    assert third.values["partner"] is None and not third.reasons


def test_a_reimport_that_changes_the_partner_says_so(cast, partners):
    county, university, _ = partners
    invited = EnrollmentFactory(cohort=cast.sibling_cohort, status="invited", partner=county)
    (row,) = plan_import(
        cast.sibling_cohort,
        _csv(
            [
                [
                    invited.user.email,
                    invited.user.full_name,
                    invited.state,
                    invited.agency,
                    university.name,
                ]
            ]
        ),
    ).rows
    assert row.outcome == "update"
    assert "partner: “County Health Alliance” → “State University”" in row.changes


def test_the_roster_export_names_each_partner(cast, client_for, partners):
    county, _, _ = partners
    Enrollment.objects.filter(pk=cast.enrollments["fellow"].pk).update(partner=county)
    response = client_for("staff").get(
        reverse("reports:export", kwargs={"code": cast.cohort.code, "kind": "roster"})
    )
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert rows[0][-1] == "Sponsoring partner"
    by_name = {row[0]: row[-1] for row in rows[1:]}
    assert by_name[cast.fellow.full_name] == "County Health Alliance"
    assert by_name[cast.peer.full_name] == ""


def _with_milestones(enrollment, done, total):
    plan = ActionPlanFactory(enrollment=enrollment)
    goal = GoalFactory(plan=plan)
    for n in range(total):
        MilestoneFactory(goal=goal, status="done" if n < done else "not_started")


def test_the_funder_report_has_a_section_per_partner(cast, client_for, partners):
    county, university, _ = partners
    Enrollment.objects.filter(pk=cast.enrollments["fellow"].pk).update(partner=county)
    Enrollment.objects.filter(pk=cast.enrollments["peer"].pk).update(partner=university)
    _with_milestones(cast.enrollments["fellow"], done=2, total=3)
    html = (
        client_for("staff")
        .get(reverse("reports:cohort_report", args=[cast.cohort.code]))
        .content.decode()
    )
    section = html.split('data-section="partners"')[1].split("</section>")[0]
    county_row = section.split('data-partner="County Health Alliance"')[1].split("</tr>")[0]
    assert ">1<" in county_row and "2 of 3" in county_row
    assert 'data-partner="State University"' in section
    assert "No sponsoring partner" in section  # the classmate


def test_the_funder_report_has_no_partner_section_without_partners(cast, client_for):
    html = client_for("staff").get(reverse("reports:cohort_report", args=[cast.cohort.code]))
    assert b'data-section="partners"' not in html.content


def test_the_funder_reports_partner_section_costs_the_same_with_more_fellows(
    cast, client_for, partners
):
    county, university, _ = partners
    client = client_for("staff")

    def grow(times):
        for n in range(times * 4):
            enrollment = EnrollmentFactory(
                cohort=cast.cohort, status="active", partner=(county, university)[n % 2]
            )
            _with_milestones(enrollment, done=1, total=2)

    grow(1)
    assert_stable_queries(
        lambda: client.get(reverse("reports:cohort_report", args=[cast.cohort.code])), grow
    )
