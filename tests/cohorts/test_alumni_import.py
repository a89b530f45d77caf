"""Loading an earlier year's people directly as alumni: no invitation, no coaching nudges."""

from django.core import mail
from django.urls import reverse

from cohorts.models import Enrollment, EnrollmentStatus, EnrollmentStatusChange
from tests.factories.cohorts import EnrollmentFactory

from .conftest import person_row, to_csv, upload


def _upload(client, cohort, text, **extra):
    return client.post(
        reverse("cohorts:roster_import", kwargs={"code": cohort.code}),
        {"file": upload(text), **extra},
    )


def test_an_ended_cohorts_people_are_loaded_as_alumni_without_invitations(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    past = cast.past_cohort
    form_page = client.get(reverse("cohorts:roster_import", kwargs={"code": past.code}))
    assert "These people completed this cohort" in form_page.content.decode()
    response = _upload(client, past, to_csv([person_row(n) for n in range(3)]), as_alumni="on")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "they are loaded as its alumni" in preview.content.decode()
    code = response["Location"].rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cohorts:roster_import_apply", kwargs={"code": code}),
            {"digest": preview.context["plan"].digest},
        )
    loaded = Enrollment.objects.filter(cohort=past, user__email__startswith="fellow")
    assert loaded.count() == 3
    assert set(loaded.values_list("status", flat=True)) == {EnrollmentStatus.COMPLETED}
    changes = EnrollmentStatusChange.objects.filter(enrollment__in=loaded)
    assert set(changes.values_list("from_status", "to_status")) == {("", "completed")}
    assert not mail.outbox


def test_a_cohort_still_running_cannot_take_alumni(cast, client_for):
    client = client_for("staff")
    page = client.get(reverse("cohorts:roster_import", kwargs={"code": cast.cohort.code}))
    assert "These people completed this cohort" not in page.content.decode()
    before = Enrollment.objects.count()
    # The option is ignored where it is not offered: they are fellows to invite.
    response = _upload(client, cast.cohort, to_csv([person_row(7)]), as_alumni="on")
    preview = client.get(response["Location"])
    assert "they are loaded as its alumni" not in preview.content.decode()
    assert Enrollment.objects.count() == before


def test_an_alumna_is_never_told_a_coach_is_coming_nor_shown_pace(cast, client_for):
    alumna = EnrollmentFactory(
        cohort=cast.past_cohort, user=cast.classmate, status=EnrollmentStatus.COMPLETED
    )
    cast.enrollments["classmate"].delete()
    client = client_for("classmate")
    home = client.get(reverse("cohorts:fellow_home")).content.decode()
    assert "Your coach will be assigned soon" not in home
    assert "Your fellowship year is complete" in home
    assert "cw-entitlement" not in home  # no meter, no pace
    page = client.get(reverse("coaching:enrollment_coaching", args=[alumna.code]))
    body = page.content.decode()
    assert "No coach assigned." not in body
    assert "Burn-down" not in body and "Behind an even pace" not in body
    assert "The fellowship year is complete" in body
