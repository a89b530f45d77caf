"""Selection: the committee's ranking and mix, decisions with reasons, emails through the
ledger from the round's own words, and acceptance becoming an invited enrollment."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from admissions import selectors, services
from admissions.models import ApplicationStatus, Outcome, ReviewAssignment
from cohorts.models import Enrollment, EnrollmentStatus, Invitation
from notifications.models import Notification
from tests.factories.admissions import make_application, make_seat


def _decide(client, application, outcome, reason="Strong fit."):
    return client.post(
        reverse("admissions:decide", kwargs={"code": application.code}),
        {"outcome": outcome, "reason": reason},
    )


def test_accepting_makes_an_invited_enrollment_with_the_applicants_details(adm, cast, client_for):
    response = _decide(client_for("staff"), adm.application, "accept")
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(cohort=cast.cohort, user=adm.applicant)
    assert enrollment.status == EnrollmentStatus.INVITED
    assert (enrollment.state, enrollment.agency, enrollment.title, enrollment.sector) == (
        "CA",
        "California Department of Health Care Services",
        "Deputy director",
        "medicaid",
    )
    assert Invitation.objects.filter(enrollment=enrollment, user=adm.applicant).exists()
    adm.application.refresh_from_db()
    assert adm.application.status == ApplicationStatus.DECIDED
    assert adm.application.decision.enrollment == enrollment
    note = Notification.objects.get(recipient=adm.applicant, kind="adm_decision")
    assert cast.cohort.name in note.payload["text"]


def test_decision_emails_use_the_rounds_edited_words(adm, client_for):
    adm.round.decline_text = "Thank you for applying to {cohort}; we were moved by your work."
    adm.round.save()
    _decide(client_for("staff"), adm.application, "decline", "Capacity.")
    note = Notification.objects.get(recipient=adm.applicant, kind="adm_decision")
    assert note.payload["text"].endswith("we were moved by your work.")
    assert "{cohort}" not in note.payload["text"]
    assert not Enrollment.objects.filter(user=adm.applicant).exists()


def test_a_waitlisted_applicant_can_be_moved_up_later(adm, cast, client_for):
    client = client_for("staff")
    assert _decide(client, adm.application, "waitlist", "Close call.").status_code == 302
    assert not Enrollment.objects.filter(user=adm.applicant).exists()
    assert _decide(client, adm.application, "accept", "A place opened.").status_code == 302
    assert Enrollment.objects.filter(cohort=cast.cohort, user=adm.applicant).exists()
    assert Notification.objects.filter(recipient=adm.applicant, kind="adm_decision").count() == 2


def test_a_final_decision_is_not_changed_and_nothing_is_saved(adm, client_for):
    client = client_for("staff")
    _decide(client, adm.application, "decline", "No.")
    response = _decide(client, adm.application, "accept", "Changed our minds.")
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    assert not Enrollment.objects.filter(user=adm.applicant).exists()
    assert adm.application.__class__.objects.get(pk=adm.application.pk).decision.outcome == (
        Outcome.DECLINE
    )


def test_a_decision_needs_a_reason_and_a_submitted_application(adm, cast):
    with pytest.raises(ValidationError):
        services.decide(application=adm.application, outcome="accept", reason=" ", by=cast.staff)
    with pytest.raises(ValidationError):
        services.decide(application=adm.draft, outcome="accept", reason="Yes", by=cast.staff)
    with pytest.raises(ValidationError):
        services.decide(application=adm.application, outcome="maybe", reason="Hm", by=cast.staff)
    assert not Enrollment.objects.filter(user__in=[adm.applicant, adm.other_applicant]).exists()


def _score(application, seat, value):
    assignment, _ = ReviewAssignment.objects.get_or_create(seat=seat, application=application)
    services.review_submit(
        assignment=assignment,
        raw_scores={f"c{c.pk}": str(value) for c in application.round.criteria.all()},
        comments="",
    )


def test_the_ranking_orders_by_weighted_mean_and_shows_the_spread(adm):
    second = make_seat(adm.round)
    strong = make_application(adm.round, state="WA", agency="Washington HCA")
    split = make_application(adm.round, state="OR", agency="Oregon OHA")
    _score(strong, adm.seat, 5)
    _score(strong, second, 5)
    _score(split, adm.seat, 5)
    _score(split, second, 1)
    ranked = selectors.ranking(adm.round)
    assert [a.pk for a in ranked[:2]] == [strong.pk, split.pk]
    assert ranked[0].spread == Decimal("0")
    assert ranked[1].spread > Decimal("1")
    # Unscored applications come last; drafts not at all.
    assert ranked[-1].mean is None
    assert adm.draft.pk not in {a.pk for a in ranked}


def test_the_mix_of_the_accept_list(adm, cast):
    other = make_application(
        adm.round, state="GU", agency="Guam Public Health", sector="public_health"
    )
    for application in (adm.application, other):
        services.decide(application=application, outcome="accept", reason="Yes", by=cast.staff)
    mix = selectors.accepted_mix(adm.round)
    assert mix["total"] == 2
    assert dict(mix["states"]) == {"California": 1, "Guam": 1}
    assert dict(mix["sectors"]) == {"Medicaid": 1, "Public health": 1}


def test_the_committee_page_shows_letters_and_reviews_to_staff(adm, client_for):
    body = (
        client_for("staff")
        .get(reverse("admissions:decide", kwargs={"code": adm.application.code}))
        .content.decode()
    )
    assert "SECRET-LETTER-TEXT" in body and "Rae Reviewer" in body


def test_a_deadline_extension_lets_late_applicants_submit(adm, client_for):
    url = reverse("admissions:round_edit", kwargs={"code": adm.round.code})
    page = client_for("staff").get(url)
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "extended_until"}
    data["cohort"] = adm.round.cohort_id
    for name in ("opens_at", "closes_at"):
        data[name] = timezone.localtime(
            getattr(adm.round, name), timezone.get_fixed_timezone(0)
        ).strftime("%Y-%m-%dT%H:%M")
    data["extended_until"] = "2020-01-01T00:00"
    response = client_for("staff").post(url, data)
    assert response.status_code == 400
    assert "An extension must be later than the deadline." in response.content.decode()


def test_staff_create_a_round_in_the_programs_zone(cast, client_for):
    from admissions.models import ApplicationRound

    cast.program.default_time_zone = "Pacific/Honolulu"
    cast.program.save()
    response = client_for("staff").post(
        reverse("admissions:program_rounds", kwargs={"slug": cast.program.slug}),
        {
            "cohort": cast.cohort.pk,
            "title": "Applications to the Hawaii cohort",
            "opens_at": "2027-01-04T08:00",
            "closes_at": "2027-03-01T17:00",
            "letters_required": 2,
            "reviewers_per_application": 3,
            "accept_text": "Welcome to {cohort}.",
            "waitlist_text": "Waiting list.",
            "decline_text": "Thank you.",
        },
    )
    assert response.status_code == 302
    round_ = ApplicationRound.objects.get(title="Applications to the Hawaii cohort")
    # 17:00 in Honolulu (UTC−10) is 03:00 UTC the next day.
    assert round_.closes_at.isoformat() == "2027-03-02T03:00:00+00:00"


def test_a_round_that_closes_before_it_opens_is_refused_next_to_the_field(cast, client_for):
    from admissions.models import ApplicationRound

    response = client_for("staff").post(
        reverse("admissions:program_rounds", kwargs={"slug": cast.program.slug}),
        {
            "cohort": cast.cohort.pk,
            "title": "Backwards",
            "opens_at": "2027-03-01T08:00",
            "closes_at": "2027-01-01T08:00",
            "letters_required": 1,
            "reviewers_per_application": 2,
            "accept_text": "a",
            "waitlist_text": "b",
            "decline_text": "c",
        },
    )
    assert response.status_code == 400
    assert "The round must close after it opens." in response.content.decode()
    assert not ApplicationRound.objects.filter(title="Backwards").exists()
