"""Referees: a tokenised link without an account, used once, expiring; the applicant sees
that a letter arrived, never its content."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from admissions.models import ReferenceRequest
from admissions.services import letter_submit
from tests.factories.admissions import PDF


def _letter_url(token):
    return reverse("admissions:letter", kwargs={"token": token})


def test_naming_a_referee_emails_them_a_link_that_works(
    adm, login, client, django_capture_on_commit_callbacks
):
    url = reverse("admissions:application_status", kwargs={"code": adm.returning.code})
    with django_capture_on_commit_callbacks(execute=True):
        response = login(adm.returning.applicant).post(
            url, {"name": "Dr. Lee", "email": "lee@university.example.edu"}
        )
    assert response.status_code == 302
    reference = ReferenceRequest.objects.get(application=adm.returning)
    assert reference.sent_at is not None and reference.token_hash
    (message,) = mail.outbox
    assert message.to == ["lee@university.example.edu"]
    link = next(w for w in message.body.split() if "/admissions/letters/" in w)
    assert client.get(link).status_code == 200


def test_a_referee_named_twice_is_refused(adm, login):
    url = reverse("admissions:application_status", kwargs={"code": adm.application.code})
    response = login(adm.applicant).post(
        url, {"name": "Rita again", "email": "REFEREE@agency.example.org"}
    )
    assert response.status_code == 400
    assert "You already named this referee." in response.content.decode()
    assert adm.application.references.count() == 2


def test_a_letter_is_written_once(adm, client):
    response = client.post(_letter_url(adm.token), {"letter_text": "She leads with care."})
    assert response.status_code == 200
    adm.reference.refresh_from_db()
    assert adm.reference.has_arrived and adm.reference.letter_text == "She leads with care."
    again = client.post(_letter_url(adm.token), {"letter_text": "Changed my mind."})
    assert again.status_code == 410
    adm.reference.refresh_from_db()
    assert adm.reference.letter_text == "She leads with care."


def test_a_letter_can_be_uploaded_but_not_as_a_page(adm, client):
    page = SimpleUploadedFile("letter.pdf", b"<html><body>hi</body></html>")
    refused = client.post(_letter_url(adm.token), {"letter_file": page})
    assert refused.status_code == 400
    assert "cannot be uploaded" in refused.content.decode()
    adm.reference.refresh_from_db()
    assert not adm.reference.has_arrived
    good = SimpleUploadedFile("letter.pdf", PDF)
    assert client.post(_letter_url(adm.token), {"letter_file": good}).status_code == 200
    adm.reference.refresh_from_db()
    assert adm.reference.letter_type == "application/pdf"


def test_an_empty_letter_says_what_to_do(adm, client):
    response = client.post(_letter_url(adm.token), {"letter_text": "  "})
    assert response.status_code == 400
    assert "Write your letter, or upload it as a file." in response.content.decode()


def test_an_expired_link_is_refused(adm, client):
    ReferenceRequest.objects.filter(pk=adm.reference.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.post(_letter_url(adm.token), {"letter_text": "Late letter."})
    assert response.status_code == 410
    adm.reference.refresh_from_db()
    assert not adm.reference.has_arrived


def test_a_tampered_link_finds_nothing(adm, client):
    # Another last character than the token's own (one token in 64 ends in "A").
    tampered = adm.token[:-1] + ("B" if adm.token.endswith("A") else "A")
    assert client.get(_letter_url(tampered)).status_code == 404
    assert client.get(_letter_url("x" * 200)).status_code == 404


def test_the_letter_page_names_no_other_applicant(adm, client):
    body = client.get(_letter_url(adm.token)).content.decode()
    assert adm.applicant.full_name in body
    assert adm.other_applicant.full_name not in body
    assert "SECRET-LETTER-TEXT" not in body


def test_an_uploaded_letter_whose_row_cannot_be_saved_leaves_no_file(adm, settings, monkeypatch):
    def stored():
        root = settings.MEDIA_ROOT
        return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []

    before = stored()

    def failing_save(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(ReferenceRequest, "save", failing_save)
    with pytest.raises(DatabaseError):
        letter_submit(
            reference=adm.reference,
            text="",
            upload=SimpleUploadedFile("letter.pdf", PDF),
            now=timezone.now(),
        )
    assert stored() == before
