"""Review: balanced assignment, conflicts (found and declared), scoring only within one's
own assignment, weighted means, names hidden when the round says so."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from admissions import services
from admissions.models import Conflict, ReviewAssignment
from tests.factories.admissions import make_application, make_round, make_seat


@pytest.fixture
def round_(cast):
    return make_round(cast.cohort, reviewers_per_application=2)


def test_assignment_is_balanced_and_never_conflicted(round_, cast):
    seats = [
        make_seat(round_, agency="Ohio Medicaid", state="OH"),
        make_seat(round_, agency="Iowa Public Health", state="IA"),
        make_seat(round_, agency="Utah Child Welfare", state="UT"),
        make_seat(round_, agency="Maine Legislature", state="ME"),
    ]
    applications = [
        make_application(round_, state=s, agency=f"Agency {s}")
        for s in ["WA", "OR", "NV", "ID", "MT", "WY"]
    ]
    # Same agency (any case) and same state are both conflicts.
    applications.append(make_application(round_, state="OH", agency="Other Ohio agency"))
    applications.append(make_application(round_, state="NY", agency="iowa public health"))
    made = services.assign_reviewers(round_=round_, by=cast.staff)
    assert made == 16
    loads = Counter(a.seat_id for a in ReviewAssignment.objects.filter(seat__round=round_))
    assert sorted(loads.values()) == [4, 4, 4, 4]
    assert not ReviewAssignment.objects.filter(seat=seats[0], application=applications[6]).exists()
    assert not ReviewAssignment.objects.filter(seat=seats[1], application=applications[7]).exists()
    assert Conflict.objects.filter(automatic=True).count() == 2
    # Running it again changes nothing.
    assert services.assign_reviewers(round_=round_, by=cast.staff) == 0


def test_a_declared_conflict_hands_the_application_to_someone_else(adm, login, cast):
    url = reverse("admissions:review", kwargs={"code": adm.assignment.code})
    response = login(adm.reviewer).post(
        url, {"action": "conflict", "reason": "I supervised this applicant."}
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(pk=adm.assignment.pk).exists()
    third = make_seat(adm.round, agency="Vermont Health", state="VT")
    services.assign_reviewers(round_=adm.round, by=cast.staff)
    assert ReviewAssignment.objects.filter(seat=third, application=adm.application).exists()
    assert not ReviewAssignment.objects.filter(seat=adm.seat, application=adm.application).exists()


def test_a_conflict_needs_a_reason(adm, login):
    url = reverse("admissions:review", kwargs={"code": adm.assignment.code})
    response = login(adm.reviewer).post(url, {"action": "conflict", "reason": ""})
    assert response.status_code == 400
    assert ReviewAssignment.objects.filter(pk=adm.assignment.pk).exists()


def _scores(round_, *values):
    return {f"c{c.pk}": str(v) for c, v in zip(round_.criteria.all(), values, strict=True)}


def test_scores_make_a_weighted_mean(adm, login):
    url = reverse("admissions:review", kwargs={"code": adm.assignment.code})
    data = {"action": "score", "comments": "Strong plan.", **_scores(adm.round, 5, 2)}
    assert login(adm.reviewer).post(url, data).status_code == 302
    adm.assignment.refresh_from_db()
    # Leadership ×2 at 5, equity ×1 at 2: (10 + 2) / 3.
    assert adm.assignment.weighted_score == Decimal("4.00")
    assert adm.assignment.comments == "Strong plan."


@pytest.mark.parametrize("value", ["0", "6", "x", ""])
def test_a_score_outside_1_to_5_is_refused(adm, login, value):
    url = reverse("admissions:review", kwargs={"code": adm.assignment.code})
    data = {"action": "score", **_scores(adm.round, 3, 3)}
    data[next(iter(data.keys() - {"action"}))] = value
    response = login(adm.reviewer).post(url, data)
    assert response.status_code == 400
    assert "Give a score from 1 to 5." in response.content.decode()
    adm.assignment.refresh_from_db()
    assert adm.assignment.submitted_at is None


def test_scoring_outside_ones_assignment_is_refused(adm, login):
    other = make_application(adm.round, state="VT", agency="Vermont")
    other_seat = make_seat(adm.round)
    theirs = ReviewAssignment.objects.create(seat=other_seat, application=other)
    url = reverse("admissions:review", kwargs={"code": theirs.code})
    response = login(adm.reviewer).post(url, {"action": "score", **_scores(adm.round, 5, 5)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.submitted_at is None


def test_a_conflicted_reviewer_cannot_score(adm):
    Conflict.objects.create(seat=adm.seat, application=adm.application, reason="Same team")
    with pytest.raises(ValidationError):
        services.review_submit(
            assignment=adm.assignment, raw_scores=_scores(adm.round, 4, 4), comments=""
        )


def test_names_are_hidden_from_outside_reviewers_when_asked(adm, login, client_for):
    adm.round.hide_names = True
    adm.round.save()
    page = login(adm.reviewer).get(
        reverse("admissions:review", kwargs={"code": adm.assignment.code})
    )
    body = page.content.decode()
    assert adm.applicant.full_name not in body and adm.applicant.email not in body
    assert adm.application.reference in body
    listing = login(adm.reviewer).get(
        reverse("admissions:my_reviews", kwargs={"code": adm.round.code})
    )
    assert adm.applicant.full_name not in listing.content.decode()


def test_an_outside_reviewer_sees_nothing_else_of_the_program(adm, login, cast):
    client = login(adm.reviewer)
    for url in (
        reverse("cohorts:cohort_detail", kwargs={"code": cast.cohort.code}),
        reverse("admissions:round_detail", kwargs={"code": adm.round.code}),
        reverse("admissions:ranking", kwargs={"code": adm.round.code}),
        reverse("admissions:decide", kwargs={"code": adm.application.code}),
        reverse("admissions:application_status", kwargs={"code": adm.application.code}),
    ):
        assert client.get(url).status_code in (403, 404), url
    other_round = make_round(cast.sibling_cohort)
    assert (
        client.get(reverse("admissions:my_reviews", kwargs={"code": other_round.code})).status_code
        == 404
    )


def test_staff_add_an_outside_reviewer_who_is_told_through_the_ledger(adm, client_for):
    from notifications.models import Notification

    url = reverse("admissions:round_detail", kwargs={"code": adm.round.code})
    data = {
        "action": "add_reviewer",
        "full_name": "Dr. Imani Okafor",
        "email": "imani@university.example.edu",
        "agency": "University policy center",
        "state": "CO",
    }
    assert client_for("staff").post(url, data).status_code == 302
    seat = adm.round.seats.get(user__email="imani@university.example.edu")
    assert (seat.agency, seat.state) == ("University policy center", "CO")
    note = Notification.objects.get(recipient=seat.user, kind="adm_reviewer")
    assert note.url.endswith(f"/admissions/rounds/{adm.round.code}/reviews/")
    again = client_for("staff").post(url, data)
    assert again.status_code == 400
    assert "already reviews this round" in again.content.decode()
