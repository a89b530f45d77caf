"""The Django admin of the cohorts models, as a site admin uses it to look things up."""

import pytest
from django.urls import reverse

from cohorts.models import EnrollmentStatusChange, ProgramStaff
from cohorts.services import enrollments_change_status
from tests.factories.cohorts import EnrollmentFactory, InvitationFactory, RosterImportFactory
from tests.queries import assert_stable_queries

CHANGELISTS = [
    ("program", "?q=heli&coaching_entitlement_unit__exact=sessions"),
    ("partnerorganization", "?q=center"),
    ("programstaff", "?q=sam&role__exact=director"),
    ("cohort", "?q=2026&status__exact=active"),
    ("enrollment", "?q=fiona&status__exact=active&sector__exact=medicaid"),
    ("participantprofile", "?q=fiona"),
    ("rosterimport", "?q=roster"),
]


@pytest.mark.parametrize(("model", "query"), CHANGELISTS)
def test_every_changelist_searches_and_filters(cast, client_for, model, query):
    RosterImportFactory(cohort=cast.cohort)
    response = client_for("admin").get(reverse(f"admin:cohorts_{model}_changelist") + query)
    assert response.status_code == 200
    assert "Select" in response.content.decode()


def test_the_enrollment_list_finds_a_fellow_by_email(cast, client_for):
    url = reverse("admin:cohorts_enrollment_changelist") + "?q=fellow@example.org"
    response = client_for("admin").get(url)
    assert list(response.context["cl"].result_list) == [cast.enrollments["fellow"]]


def test_invitations_list_and_search(cast, client_for):
    InvitationFactory(program=cast.program)
    url = reverse("admin:cohorts_invitation_changelist") + "?q=example&role__exact=coach"
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_an_enrollment_shows_its_status_history_read_only(cast, client_for):
    enrollment = cast.enrollments["fellow"]
    enrollments_change_status(
        enrollments=[enrollment],
        to_status="withdrawn",
        by=cast.staff,
        withdrawn_on=cast.cohort.start_date,
        reason="Took a new post",
    )
    url = reverse("admin:cohorts_enrollment_change", args=[enrollment.pk])
    response = client_for("admin").get(url)
    body = response.content.decode()
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert inline.formset.model is EnrollmentStatusChange
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    assert "Took a new post" in body
    assert "Sam Staff" in body
    # The history cannot be changed through the form: no inputs for its rows.
    assert 'name="status_changes-0-to_status"' not in body
    assert 'name="status"' not in body


def test_users_are_chosen_by_autocomplete(cast, client_for):
    response = client_for("admin").get(reverse("admin:cohorts_programstaff_add"))
    body = response.content.decode()
    # The autocomplete widget, not a select of every user.
    assert 'class="admin-autocomplete" data-ajax--cache="true"' in body
    assert 'data-field-name="user"' in body
    response = client_for("admin").get(
        reverse("admin:cohorts_program_change", args=[cast.program.pk])
    )
    assert 'data-field-name="facilitators"' in response.content.decode()
    assert ProgramStaff.objects.filter(program=cast.program).count() == 1


def test_the_enrollment_list_does_not_grow(cast, client_for):
    client = client_for("admin")
    url = reverse("admin:cohorts_enrollment_changelist")
    assert_stable_queries(
        lambda: client.get(url),
        lambda times: [EnrollmentFactory(cohort=cast.cohort) for _ in range(times * 10)],
    )
