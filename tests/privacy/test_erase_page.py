"""The site admin's page to erase a person on request: find them by address, see who they
are and what erasure does, type the address again to confirm, and read what was done.
Nobody else reaches it; nothing changes before the confirmation; the audit log has it."""

import pytest
from django.urls import reverse

from accounts.models import User
from action_plans.models import ActionPlan
from audit.models import AuditEntry
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.cohorts import CohortFactory, EnrollmentFactory

from ..queries import assert_stable_queries

FIND = reverse("privacy:erase_find")


def _confirm_url(person):
    return reverse("privacy:erase_person", kwargs={"code": person.code})


def test_finding_the_person_leads_to_the_confirmation(cast, client_for):
    client = client_for("admin")
    response = client.get(FIND, {"email": "FELLOW@example.org"})
    assert response.status_code == 302
    assert response["Location"] == _confirm_url(cast.fellow)
    page = client.get(response["Location"]).content.decode()
    assert "Erase Fiona Fellow?" in page and "fellow@example.org" in page
    assert "Kept without their name" in page and "cannot be undone" in page
    assert User.objects.get(pk=cast.fellow.pk).is_active  # nothing changed yet


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "Nobody has this email address."),
        ("not an address", "Enter a valid email address."),
        ("", "This field is required."),
    ],
)
def test_a_bad_address_is_told_next_to_its_field(cast, client_for, email, message):
    response = client_for("admin").get(FIND, {"email": email})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == [message]
    assert "Error:" in response.content.decode().split("</title>")[0]


def test_the_last_director_the_site_admin_and_oneself_are_refused(cast, client_for):
    client = client_for("admin")
    refused = client.get(FIND, {"email": cast.staff.email})
    assert "only director" in refused.context["form"].errors["email"][0]
    page = client.get(_confirm_url(cast.admin)).content.decode()
    assert "Nobody erases their own account" in page
    assert "Erase this person" not in page
    client.post(_confirm_url(cast.staff), {"confirm_email": cast.staff.email})
    assert User.objects.get(pk=cast.staff.pk).is_active


def test_a_wrong_confirmation_changes_nothing(cast, client_for):
    ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    response = client_for("admin").post(
        _confirm_url(cast.fellow), {"confirm_email": "peer@example.org"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_email"] == [
        "This is not fellow@example.org; nothing was erased."
    ]
    assert User.objects.get(pk=cast.fellow.pk).full_name == "Fiona Fellow"
    assert ActionPlan.objects.filter(enrollment__user=cast.fellow).exists()
    assert not AuditEntry.objects.filter(action="accounts.erased").exists()


def test_the_confirmed_erasure_shows_what_was_done_and_is_audited(cast, client_for):
    ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    client = client_for("admin")
    response = client.post(_confirm_url(cast.fellow), {"confirm_email": " Fellow@Example.org "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fiona Fellow has been erased" in page
    assert "Action plans" in page and "Anonymised" in page and "Kept" in page
    fellow = User.objects.get(pk=cast.fellow.pk)
    assert fellow.full_name == "Erased person" and not fellow.is_active
    assert not ActionPlan.objects.filter(enrollment__user=fellow).exists()
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.actor == cast.admin and entry.target_id == str(fellow.code)
    # Sent again (a reload): refused, and no second entry.
    again = client.post(_confirm_url(fellow), {"confirm_email": fellow.email})
    assert "already been erased" in again.content.decode()
    assert AuditEntry.objects.filter(action="accounts.erased").count() == 1


@pytest.mark.parametrize("role", ["staff", "coach", "fellow", "other_staff"])
def test_nobody_but_the_site_admin_erases(cast, client_for, role):
    client = client_for(role)
    assert client.get(FIND, {"email": cast.peer.email}).status_code == 404
    response = client.post(_confirm_url(cast.peer), {"confirm_email": cast.peer.email})
    assert response.status_code == 404
    assert User.objects.get(pk=cast.peer.pk).full_name == "Pedro Peer"
    assert not AuditEntry.objects.filter(action="accounts.erased").exists()


def test_the_confirmation_costs_the_same_at_1x_and_10x(cast, client_for):
    client = client_for("admin")

    def grow(n):
        for _ in range(n):
            enrollment = EnrollmentFactory(cohort=CohortFactory(program=cast.program))
            enrollment.user = cast.fellow
            enrollment.save()
            ActionPlanFactory(enrollment=enrollment)

    count = assert_stable_queries(lambda: client.get(_confirm_url(cast.fellow)), grow)
    assert count <= 12
