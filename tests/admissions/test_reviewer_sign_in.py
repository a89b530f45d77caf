"""An outside reviewer, invited to one round by email, signs in with the code allauth emails
them and sees that round's applications assigned to them, and nothing else."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from admissions import services
from tests.factories.admissions import make_application, make_round, make_seat


def _code(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{6}|[A-Z0-9-]{6,9})\s*$", message.body, re.M).group(1)


def test_an_invited_reviewer_signs_in_by_code_and_sees_only_their_assignments(adm, cast):
    # A third reviewer for each application: the outside reviewer invited now.
    adm.round.reviewers_per_application = 3
    adm.round.save()
    seat = services.seat_add(
        round_=adm.round,
        email="Outside.Reviewer@Example.org",
        full_name="Olu Outside",
        agency="University of Somewhere",
        state="",
        by=cast.staff,
    )
    services.assign_reviewers(round_=adm.round, by=cast.staff)
    mine = list(seat.assignments.select_related("application"))
    assert [a.application for a in mine] == [adm.application]
    # Another round of the program, with an application the reviewer is not assigned to.
    other_round = make_round(cast.sibling_cohort, title="Sibling intake")
    other_application = make_application(other_round)
    other_assignment = make_seat(other_round).assignments.create(application=other_application)

    client = Client()
    mail.outbox.clear()
    response = client.post(
        reverse("account_request_login_code"), {"email": "outside.reviewer@example.org"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    response = client.post(reverse("account_confirm_login_code"), {"code": _code(message)})
    assert response.status_code == 302
    home = client.get(response["Location"], follow=True)
    assert home.status_code == 200
    body = home.content.decode()
    # Where they land says where their reviews are.
    my_reviews = reverse("admissions:my_reviews", kwargs={"code": adm.round.code})
    assert my_reviews in body

    reviews = client.get(my_reviews)
    assert reviews.status_code == 200
    listing = reviews.content.decode()
    assert reverse("admissions:review", kwargs={"code": mine[0].code}) in listing
    assert other_application.applicant.full_name not in listing
    assert adm.draft.applicant.full_name not in listing

    assert (
        client.get(reverse("admissions:review", kwargs={"code": mine[0].code})).status_code == 200
    )
    for url, status in [
        (reverse("admissions:review", kwargs={"code": other_assignment.code}), 404),
        (reverse("admissions:review", kwargs={"code": adm.assignment.code}), 404),
        (reverse("admissions:my_reviews", kwargs={"code": other_round.code}), 404),
        (reverse("admissions:round_detail", kwargs={"code": adm.round.code}), 403),
        (reverse("admissions:ranking", kwargs={"code": adm.round.code}), 403),
        (reverse("admissions:round_questions", kwargs={"code": adm.round.code}), 403),
        (reverse("admissions:decide", kwargs={"code": adm.application.code}), 404),
        (reverse("admissions:application_status", kwargs={"code": adm.application.code}), 404),
        (
            reverse("admissions:document", kwargs={"code": other_application.code, "kind": "cv"}),
            404,
        ),
        (reverse("cohorts:program_detail", kwargs={"slug": cast.program.slug}), 404),
    ]:
        assert client.get(url).status_code == status, url


def test_the_start_page_lists_their_rounds_and_applications_in_flat_queries(adm, cast, login):
    from tests.queries import assert_stable_queries

    client = login(adm.reviewer)
    make_application(adm.round, adm.reviewer, submitted=False, state="OR")

    def grow(times):
        for i in range(times):
            other = make_round(cast.sibling_cohort, title=f"Intake {i}")
            make_seat(other, adm.reviewer)
            make_application(other, adm.reviewer)

    count = assert_stable_queries(lambda: client.get(reverse("home")), grow)
    assert count <= 12
    page = client.get(reverse("home")).content.decode()
    assert reverse("admissions:apply", kwargs={"code": adm.round.code}) in page
    assert "Intake 8" in page
