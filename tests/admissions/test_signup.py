"""People apply with an account they create from the round's public page; elsewhere sign-up
stays closed (people join by invitation). The address must be confirmed before submitting."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User


def _signup(client, next_url, email="new.applicant@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Longpass-123-xyz",
            "password2": "Longpass-123-xyz",
            "next": next_url,
        },
    )


def test_sign_up_opens_from_an_open_rounds_page(adm, client):
    apply_url = reverse("admissions:apply", kwargs={"code": adm.round.code})
    public = client.get(reverse("admissions:round_public", kwargs={"code": adm.round.code}))
    assert reverse("account_signup") in public.content.decode()
    _signup(client, apply_url)
    user = User.objects.get(email="new.applicant@example.org")
    assert not user.emailaddress_set.get().verified
    # The confirmation email is what lets them in (and submit).
    assert any("new.applicant@example.org" in m.to for m in mail.outbox)


def test_sign_up_stays_closed_elsewhere_and_for_a_closed_round(adm, client):
    _signup(client, "/programs/", email="a@example.org")
    adm.round.opens_at = timezone.now() - datetime.timedelta(days=30)
    adm.round.closes_at = timezone.now() - datetime.timedelta(days=1)
    adm.round.save()
    _signup(client, reverse("admissions:apply", kwargs={"code": adm.round.code}), "b@example.org")
    _signup(client, "https://evil.example/admissions/apply/x/", email="c@example.org")
    assert not User.objects.filter(
        email__in=["a@example.org", "b@example.org", "c@example.org"]
    ).exists()
