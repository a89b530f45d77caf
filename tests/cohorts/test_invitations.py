"""Invitations: the email, accepting (password, verified email, role, login, start page),
expired / used / revoked links, resend, revoke, and coaches, facilitators and staff."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachProfile
from cohorts import invitations
from cohorts.invitations import invitation_create, invite_enrollments
from cohorts.models import (
    EnrollmentStatus,
    Invitation,
    InvitationRole,
    InvitationState,
    ProgramStaff,
)
from cohorts.services import enrollment_change_status
from networks.selectors import eligible_facilitators
from tests.factories.accounts import InviteeFactory, UserFactory
from tests.factories.cohorts import EnrollmentFactory, InvitationFactory

from .conftest import invitation_links

PASSWORD = "Kokua-and-aloha-2026"


@pytest.fixture
def invited(cast, django_capture_on_commit_callbacks):
    """A fellow added to the current cohort and sent their invitation."""
    enrollment = EnrollmentFactory(
        cohort=cast.cohort,
        user=InviteeFactory(email="leilani@health.hawaii.gov", full_name="Leilani Akana"),
        status=EnrollmentStatus.INVITED,
        state="HI",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invite_enrollments(enrollments=[enrollment], by=cast.staff)
    return enrollment


def _accept(client, link, **data):
    return client.post(
        link,
        {
            "full_name": data.get("full_name", "Leilani Akana"),
            "time_zone": data.get("time_zone", "Pacific/Honolulu"),
            "new_password1": data.get("password", PASSWORD),
            "new_password2": data.get("password", PASSWORD),
        },
        follow=True,
    )


def test_a_fellow_accepts_an_invitation_and_lands_on_their_start_page(cast, invited):
    """The issue's "done when": a fellow accepts an invitation and lands on their start page."""
    (link,) = invitation_links(to="leilani@health.hawaii.gov")
    client = Client()
    form = client.get(link)
    assert form.status_code == 200
    assert "Welcome to Health Equity Leadership Institute" in form.content.decode()
    assert "leilani@health.hawaii.gov" in form.content.decode()

    response = _accept(client, link, full_name="Leilani K. Akana")
    assert response.redirect_chain[-1][0] == reverse("cohorts:fellow_home")
    body = response.content.decode()
    assert "Welcome, Leilani K. Akana" in body
    assert "Welcome to Health Equity Leadership Institute!" in body

    invited.refresh_from_db()
    user = invited.user
    user.refresh_from_db()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password(PASSWORD)
    assert user.full_name == "Leilani K. Akana"
    assert EmailAddress.objects.get(user=user, email=user.email).verified
    assert invited.status == EnrollmentStatus.ACTIVE
    change = invited.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == ("invited", "active", user)
    assert Invitation.objects.get(enrollment=invited).state == InvitationState.ACCEPTED

    # From now on the person logs in like anyone else.
    other = Client()
    other.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert other.get(reverse("cohorts:fellow_home")).status_code == 200


def test_the_email_has_text_and_html_parts_with_the_link(cast, invited):
    (message,) = mail.outbox
    assert message.to == ["leilani@health.hawaii.gov"]
    assert message.subject == "[Cohortwise] Your invitation to Health Equity Leadership Institute"
    (link,) = invitation_links()
    assert link in message.body
    invites = (
        "Sam Staff invites you to join Health Equity Leadership Institute as fellow in the "
        "2026–2027 cohort"
    )
    assert invites in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link in html and "<a href=" in html
    # The expiry is given in the invitee's own zone.
    assert "(America/New_York)" in message.body


def test_only_a_hash_of_the_link_is_stored(cast, invited):
    (link,) = invitation_links()
    token = link.rstrip("/").split("/")[-1]
    invitation = Invitation.objects.get(enrollment=invited)
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)


def test_a_link_works_once(cast, invited):
    (link,) = invitation_links()
    _accept(Client(), link)
    response = Client().get(link)
    assert response.status_code == 410
    assert "This invitation has already been used" in response.content.decode()
    assert "Log in with leilani@health.hawaii.gov" in response.content.decode()


def test_an_expired_link_says_so(cast, invited):
    (link,) = invitation_links()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = Client().get(link)
        assert response.status_code == 410
        assert "This invitation has expired" in response.content.decode()
        assert "Ask the program staff to send you a new one" in response.content.decode()
        _accept(Client(), link)
    invited.refresh_from_db()
    assert invited.status == EnrollmentStatus.INVITED


def test_the_program_decides_how_long_links_work(cast, invited, django_capture_on_commit_callbacks):
    cast.program.invitation_valid_days = 3
    cast.program.save()
    invitation = Invitation.objects.get(enrollment=invited)
    with django_capture_on_commit_callbacks(execute=True):
        Client().logout()
        client = Client()
        client.force_login(cast.staff)
        client.post(reverse("cohorts:invitation_resend", kwargs={"code": invitation.code}))
    invitation.refresh_from_db()
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)


def test_a_revoked_link_says_so(cast, invited, client_for):
    (link,) = invitation_links()
    invitation = Invitation.objects.get(enrollment=invited)
    response = client_for("staff").post(
        reverse("cohorts:invitation_revoke", kwargs={"code": invitation.code})
    )
    assert response["Location"] == invited.get_absolute_url()
    response = Client().get(link)
    assert response.status_code == 410
    assert "This invitation was withdrawn" in response.content.decode()


def test_an_unknown_link_says_so(db):
    response = Client().get(reverse("invitations:accept", kwargs={"token": "x" * 43}))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_resending_retires_the_old_link(
    cast, invited, client_for, django_capture_on_commit_callbacks
):
    (old,) = invitation_links()
    invitation = Invitation.objects.get(enrollment=invited)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("cohorts:invitation_resend", kwargs={"code": invitation.code})
        )
    assert response.status_code == 302
    old_again, new = invitation_links()
    assert old_again == old and new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.send_count == 2


def test_an_accepted_invitation_cannot_be_resent_or_revoked(cast, invited, client_for):
    (link,) = invitation_links()
    _accept(Client(), link)
    invitation = Invitation.objects.get(enrollment=invited)
    client = client_for("staff")
    for name in ("cohorts:invitation_resend", "cohorts:invitation_revoke"):
        response = client.post(reverse(name, kwargs={"code": invitation.code}), follow=True)
        assert "This invitation was" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED


def test_withdrawing_an_invited_fellow_revokes_their_link(cast, invited):
    (link,) = invitation_links()
    enrollment_change_status(
        enrollment=invited,
        to_status=EnrollmentStatus.WITHDRAWN,
        by=cast.staff,
        withdrawn_on=datetime.date(2026, 9, 15),
        reason="Left the agency before the program began.",
    )
    response = Client().get(link)
    assert "This invitation was withdrawn" in response.content.decode()


def test_a_weak_password_is_refused_next_to_the_field(cast, invited):
    (link,) = invitation_links()
    response = _accept(Client(), link, password="12345678")
    assert response.status_code == 200
    body = response.content.decode()
    assert "This password is too common." in body or "entirely numeric" in body
    invited.refresh_from_db()
    assert invited.status == EnrollmentStatus.INVITED


def test_someone_else_logged_in_is_asked_to_log_out(cast, invited, client_for):
    (link,) = invitation_links()
    client = client_for("classmate")
    response = client.get(link)
    assert "but you are logged in as classmate@example.org" in response.content.decode()
    client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    invited.refresh_from_db()
    assert invited.status == EnrollmentStatus.INVITED


def test_someone_with_an_account_logs_in_then_accepts(
    cast, client_for, django_capture_on_commit_callbacks
):
    """An alumnus enrolled in a new cohort keeps their password: they log in to accept."""
    enrollment = EnrollmentFactory(
        cohort=cast.sibling_cohort, user=cast.alumnus, status=EnrollmentStatus.INVITED
    )
    with django_capture_on_commit_callbacks(execute=True):
        invite_enrollments(enrollments=[enrollment], by=cast.staff)
    (link,) = invitation_links()
    response = Client().get(link)
    assert "You already have a Cohortwise account" in response.content.decode()
    assert f"?next={link}" in response.content.decode()

    client = client_for("alumnus")
    assert "Accept the invitation" in client.get(link).content.decode()
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cohorts:fellow_home")
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert cast.alumnus.check_password("pw-for-tests-1")


def test_staff_invite_one_fellow_by_email(cast, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("cohorts:enrollment_add", kwargs={"code": cast.cohort.code}),
            {
                "email": "Keoni@Health.Hawaii.gov",
                "full_name": "Keoni Kahananui",
                "pronouns": "he/him",
                "state": "HI",
                "agency": "Hawaii Department of Health",
                "title": "Chief Health Equity Officer",
                "sector": "public_health",
                "send_invitation": "on",
            },
        )
    enrollment = cast.cohort.enrollments.get(user__email="keoni@health.hawaii.gov")
    assert response["Location"] == enrollment.get_absolute_url()
    assert enrollment.status == EnrollmentStatus.INVITED
    assert not enrollment.user.has_usable_password()
    assert invitation_links(to="keoni@health.hawaii.gov")
    # Adding the same person twice is refused next to the email field.
    response = client_for("staff").post(
        reverse("cohorts:enrollment_add", kwargs={"code": cast.cohort.code}),
        {
            "email": "keoni@health.hawaii.gov",
            "full_name": "K",
            "state": "HI",
            "agency": "A",
            "sector": "other",
        },
    )
    assert "already on this cohort’s roster" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        (InvitationRole.COACH, "coaching:coach_home"),
        (InvitationRole.COORDINATOR, "cohorts:staff_home"),
        (InvitationRole.DIRECTOR, "cohorts:staff_home"),
        (InvitationRole.FACILITATOR, "home"),
    ],
)
def test_coaches_facilitators_and_staff_are_invited_the_same_way(
    cast, client_for, django_capture_on_commit_callbacks, role, lands_on
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("cohorts:program_people", kwargs={"slug": cast.program.slug}),
            {"email": "new.person@example.org", "full_name": "Nia Newperson", "role": role},
        )
    assert response.status_code == 302
    (link,) = invitation_links(to="new.person@example.org")
    response = _accept(Client(), link, full_name="Nia Newperson")
    assert response.redirect_chain[-1][0] == reverse(lands_on)
    invitation = Invitation.objects.get(user__email="new.person@example.org")
    person = invitation.user
    assert invitation.state == InvitationState.ACCEPTED
    if role == InvitationRole.COACH:
        assert list(CoachProfile.objects.get(user=person).programs.all()) == [cast.program]
    elif role in InvitationRole.staff_roles():
        assert ProgramStaff.objects.get(program=cast.program, user=person).role == role
    else:
        # A facilitator has an account and can be chosen to facilitate the program's groups.
        assert not ProgramStaff.objects.filter(user=person).exists()
        assert list(person.facilitated_programs.all()) == [cast.program]
        assert person in eligible_facilitators(cast.program)
        assert "not part of a program yet" in response.content.decode()


def test_an_existing_coach_joins_another_program(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            program=cast.other_program, user=cast.coach, role=InvitationRole.COACH, by=None
        )
    (link,) = invitation_links(to=cast.coach.email)
    client = Client()
    client.force_login(cast.coach)
    client.post(link)
    profile = CoachProfile.objects.get(user=cast.coach)
    assert set(profile.programs.all()) == {cast.program, cast.other_program}


def test_someone_already_in_the_role_is_not_invited_again(cast, client_for):
    response = client_for("staff").post(
        reverse("cohorts:program_people", kwargs={"slug": cast.program.slug}),
        {"email": cast.coach.email, "full_name": "Cora Coach", "role": "coach"},
    )
    assert "is already a coach of Health Equity Leadership Institute" in response.content.decode()
    assert not Invitation.objects.exists()


def test_without_coaching_no_one_is_invited_as_a_coach(cast, client_for, monkeypatch):
    """The coach role is coaching's to give (registered from coaching's AppConfig.ready):
    without it, cohorts neither offers the role nor accepts a coach invitation."""
    monkeypatch.setattr(invitations, "_ROLE_GRANTS", {})
    url = reverse("cohorts:program_people", kwargs={"slug": cast.program.slug})
    client = client_for("staff")
    assert 'value="coach"' not in client.get(url).content.decode()
    assert 'value="facilitator"' in client.get(url).content.decode()
    response = client.post(
        url, {"email": "new.coach@example.org", "full_name": "Nico Coach", "role": "coach"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError, match="Nobody can be invited as Coach"):
        invitation_create(
            program=cast.program, user=UserFactory(), role=InvitationRole.COACH, by=cast.staff
        )


def test_an_open_invitation_is_sent_again_not_duplicated(cast, django_capture_on_commit_callbacks):
    person = InviteeFactory(email="twice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = invitation_create(
            program=cast.program, user=person, role=InvitationRole.COACH, by=cast.staff
        )
        second = invitation_create(
            program=cast.program, user=person, role=InvitationRole.COACH, by=cast.staff
        )
    assert first == second
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2
    assert Client().get(invitation_links()[0]).status_code == 404  # retired by the second


def test_staff_of_another_program_cannot_touch_an_invitation(cast, client_for):
    invitation = InvitationFactory(program=cast.program)
    response = client_for("other_staff").post(
        reverse("cohorts:invitation_revoke", kwargs={"code": invitation.code})
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_open


def test_a_revoked_invitation_can_be_replaced(cast, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(program=cast.program, role=InvitationRole.COACH)
    invitation.revoked_at = timezone.now()
    invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = invitation_create(
            program=cast.program, user=invitation.user, role=InvitationRole.COACH, by=cast.staff
        )
    assert again != invitation
    assert Client().get(invitation_links()[0]).status_code == 200


def test_the_database_allows_one_open_invitation_per_person_and_role(cast):
    from django.db import IntegrityError, transaction

    invitation = InvitationFactory(program=cast.program)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(program=cast.program, user=invitation.user, role=invitation.role)


def test_a_fellow_invitation_names_its_enrollment(cast):
    from django.db import IntegrityError, transaction

    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(program=cast.program, user=user, role=InvitationRole.FELLOW)
