"""A fellow nominates raters; staff approve; raters are emailed a link. Bad input is refused
with a message next to the field and nothing is saved."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import EnrollmentStatus
from feedback360 import services
from feedback360.models import FeedbackPolicy, Nomination, NominationStatus, RaterLink
from tests.factories.feedback360 import FeedbackPolicyFactory, NominationFactory

pytestmark = pytest.mark.django_db


def _nominate_url(f360):
    return reverse("feedback360:nominate", kwargs={"code": f360.window.code})


def _post(client, f360, **data):
    return client.post(_nominate_url(f360), {"relationship": "peer", **data})


def test_fellow_adds_a_rater(cast, client_for, f360):
    response = _post(client_for("fellow"), f360, name="Rosa Díaz", email="rosa@dhs.example.gov")
    assert response.status_code == 302
    nomination = Nomination.objects.get(email="rosa@dhs.example.gov")
    assert (nomination.status, nomination.circle) == (NominationStatus.DRAFT, f360.circle)


@pytest.mark.parametrize(
    "email, field_error",
    [
        ("FELLOW@example.org", "You cannot rate yourself here: nominate someone else."),
        ("Ivy@Agency.example.org", "You have already nominated this email address."),
        ("not-an-email", "Enter a valid email address."),
    ],
)
def test_nominating_oneself_or_the_same_email_twice_is_refused(
    cast, client_for, f360, email, field_error
):
    before = Nomination.objects.count()
    response = _post(client_for("fellow"), f360, name="Someone", email=email)
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [field_error]}
    assert field_error in response.content.decode()
    assert Nomination.objects.count() == before


def test_nominating_in_a_closed_window_is_refused(cast, client_for, f360):
    f360.window.closes_on = cast.cohort.local_date().replace(day=1)
    f360.window.save()
    before = Nomination.objects.count()
    response = _post(client_for("fellow"), f360, name="Late", email="late@example.org")
    assert response.status_code == 200
    assert "window is closed" in " ".join(response.context["form"].non_field_errors())
    assert Nomination.objects.count() == before


def test_a_withdrawn_fellow_cannot_nominate(cast, f360):
    fellow = cast.enrollments["fellow"]
    fellow.status = EnrollmentStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="Only active fellows"):
        services.nomination_add(
            window=f360.window,
            enrollment=fellow,
            name="X",
            email="x@example.org",
            relationship="peer",
        )


def test_sending_is_refused_until_the_minimums_are_met(cast, client_for, f360):
    # Three peers (one pending, one draft, one invited) but no supervisor: the default
    # policy asks for 1 supervisor and 3 peers.
    client = client_for("fellow")
    response = client.post(
        reverse("feedback360:nominations_send", kwargs={"code": f360.window.code}), follow=True
    )
    assert "Your program asks for more raters: nominate 1 more supervisor." in (
        response.content.decode()
    )
    assert Nomination.objects.get(pk=f360.draft.pk).status == NominationStatus.DRAFT


def test_sending_for_approval_then_staff_approve_and_the_raters_are_emailed(
    cast, client_for, f360, django_capture_on_commit_callbacks
):
    _post(
        client_for("fellow"),
        f360,
        name="Sue Boss",
        email="sue@agency.example.org",
        relationship="supervisor",
    )
    client_for("fellow").post(
        reverse("feedback360:nominations_send", kwargs={"code": f360.window.code})
    )
    sue = Nomination.objects.get(email="sue@agency.example.org")
    assert sue.status == NominationStatus.PENDING
    assert Nomination.objects.get(pk=f360.draft.pk).status == NominationStatus.PENDING
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            f360.window.get_absolute_url(),
            {"nominations": [str(sue.code), str(f360.draft.code)], "action": "approve"},
        )
    assert response.status_code == 302
    sue.refresh_from_db()
    assert (sue.status, sue.decided_by) == (NominationStatus.INVITED, cast.staff)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dana@agency.example.org",
        "fellow@example.org",
        "sue@agency.example.org",
    ]
    # The fellow hears of it through the notification ledger.
    told = next(m for m in mail.outbox if m.to == ["fellow@example.org"])
    assert told.subject == "[Cohortwise] Your 360° nominations were approved"
    assert "Program staff approved 2 of your nominations" in told.body
    email = next(m for m in mail.outbox if m.to == ["sue@agency.example.org"])
    assert "Fiona Fellow asks for your feedback" in email.subject
    link = next(w for w in email.body.split() if "/360/r/" in w)
    token = link.rsplit("/r/", 1)[1].strip("/")
    # Only the token's hash is stored; the link opens the form.
    assert not RaterLink.objects.filter(token_hash=token).exists()
    assert RaterLink.objects.filter(token_hash=RaterLink.hash_token(token)).exists()
    assert client_for("anonymous").get(f"/360/r/{token}/").status_code == 200


def test_without_approval_sending_emails_the_raters_at_once(
    cast, client_for, f360, django_capture_on_commit_callbacks
):
    FeedbackPolicyFactory(program=cast.program, approval_required=False, min_supervisor=0)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("fellow").post(
            reverse("feedback360:nominations_send", kwargs={"code": f360.window.code})
        )
    assert Nomination.objects.get(pk=f360.draft.pk).status == NominationStatus.INVITED
    assert [m.to for m in mail.outbox] == [["dana@agency.example.org"]]


def test_declining_needs_a_reason_the_fellow_then_sees(cast, client_for, f360):
    staff = client_for("staff")
    url = f360.window.get_absolute_url()
    response = staff.post(url, {"nominations": [str(f360.pending.code)], "action": "decline"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Say why, so the fellow can nominate someone else."]
    }
    assert Nomination.objects.get(pk=f360.pending.pk).status == NominationStatus.PENDING
    staff.post(
        url,
        {
            "nominations": [str(f360.pending.code)],
            "action": "decline",
            "reason": "Please ask a peer outside your own team.",
        },
    )
    assert Nomination.objects.get(pk=f360.pending.pk).status == NominationStatus.DECLINED
    page = client_for("fellow").get(_nominate_url(f360)).content.decode()
    assert "Not approved: Please ask a peer outside your own team." in page


def test_staff_of_another_window_cannot_approve_its_nominations(cast, client_for, f360):
    response = client_for("staff").post(
        f360.closed.get_absolute_url(),
        {"nominations": [str(f360.pending.code)], "action": "approve"},
    )
    assert Nomination.objects.get(pk=f360.pending.pk).status == NominationStatus.PENDING
    assert response.status_code == 200


def test_fellow_removes_a_draft_but_not_an_invited_rater(cast, client_for, f360):
    client = client_for("fellow")
    client.post(reverse("feedback360:nomination_remove", kwargs={"code": f360.draft.code}))
    assert not Nomination.objects.filter(pk=f360.draft.pk).exists()
    response = client.post(
        reverse("feedback360:nomination_remove", kwargs={"code": f360.invited.code}), follow=True
    )
    assert "Ivy Invited has already been invited, so the nomination stays." in (
        response.content.decode()
    )
    assert Nomination.objects.filter(pk=f360.invited.pk).exists()


def test_policy_minimums_are_limited(cast, client_for):
    response = client_for("staff").post(
        reverse("feedback360:policy_edit", kwargs={"slug": cast.program.slug}),
        {
            "min_supervisor": 1,
            "min_peer": 11,
            "min_direct_report": 0,
            "min_community_partner": 0,
            "min_other": 0,
        },
    )
    assert response.status_code == 200
    assert "min_peer" in response.context["form"].errors
    assert not FeedbackPolicy.objects.exists()


def test_at_most_twenty_nominations(cast, f360):
    for i in range(17):
        NominationFactory(circle=f360.circle, email=f"n{i}@example.org")
    with pytest.raises(ValidationError, match="at most 20"):
        services.nomination_add(
            window=f360.window,
            enrollment=cast.enrollments["fellow"],
            name="One too many",
            email="many@example.org",
            relationship="peer",
        )


def test_the_policy_audit_entry_names_who_saved_it_outside_a_request(cast):
    """A command or the shell has no request: the service is told who acts."""
    from audit.models import AuditEntry

    services.policy_save(program=cast.program, by=cast.staff, min_peer=3)
    entry = AuditEntry.objects.get(action="feedback360.policy_saved")
    assert entry.actor == cast.staff
    assert FeedbackPolicy.objects.get(program=cast.program).min_peer == 3
