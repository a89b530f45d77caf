"""An applicant's way through a round: draft, come back, submit before the deadline, see the
status; what is refused (late, unverified, incomplete, spam, bad files) saves nothing."""

import datetime

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from admissions.models import Application, ApplicationStatus
from admissions.throttle import LIMIT
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.admissions import PDF, make_reference


def _pdf(name="cv.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _post(client, round_, action="save", **extra):
    question = round_.questions.order_by("position", "pk").first()
    data = {
        "action": action,
        "state": "NM",
        "agency": "New Mexico Human Services",
        "title": "Bureau chief",
        "full_name": "Nia Applicant",
        "sector": "medicaid",
        f"q{question.pk}": "Tribal health partnerships.",
        **extra,
    }
    return client.post(reverse("admissions:apply", kwargs={"code": round_.code}), data)


def test_a_draft_is_saved_and_shown_again(adm, login):
    person = UserFactory()
    client = login(person)
    response = _post(client, adm.round, cv=_pdf())
    assert response.status_code == 302
    draft = Application.objects.get(round=adm.round, applicant=person)
    assert draft.status == ApplicationStatus.DRAFT and draft.cv_name == "cv.pdf"
    page = client.get(reverse("admissions:apply", kwargs={"code": adm.round.code}))
    assert "Tribal health partnerships." in page.content.decode()
    assert "New Mexico Human Services" in page.content.decode()


def test_submitting_confirms_through_the_ledger(adm, login):
    person = UserFactory()
    client = login(person)
    _post(client, adm.round, cv=_pdf())
    application = Application.objects.get(round=adm.round, applicant=person)
    make_reference(application)
    response = _post(client, adm.round, action="submit")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Notification.objects.filter(
        recipient=person, kind="adm_submitted", subject_id=application.pk
    ).exists()
    # The applicant now sees the status page, and the form no longer changes anything.
    again = _post(client, adm.round, action="save", agency="Changed")
    assert again.status_code == 302
    application.refresh_from_db()
    assert application.agency == "New Mexico Human Services"


def test_submitting_needs_the_cv_and_the_referees(adm, login):
    person = UserFactory()
    client = login(person)
    response = _post(client, adm.round, action="submit")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Upload your CV before submitting." in body
    assert "Name 1 referee before submitting." in body
    assert not Application.objects.filter(applicant=person).exists()


def test_a_required_question_left_empty_is_named_next_to_it(adm, login):
    client = login(UserFactory())
    question = adm.round.questions.order_by("position", "pk").first()
    response = _post(client, adm.round, action="submit", **{f"q{question.pk}": ""})
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()


def test_an_unverified_address_cannot_submit(adm, login):
    person = UserFactory()
    EmailAddress.objects.filter(user=person).update(verified=False)
    client = login(person)
    _post(client, adm.round, cv=_pdf())
    application = Application.objects.get(applicant=person)
    make_reference(application)
    response = _post(client, adm.round, action="submit")
    assert response.status_code == 400
    assert "Confirm your email address" in response.content.decode()
    application.refresh_from_db()
    assert application.is_draft


def test_after_the_deadline_nothing_is_saved_until_staff_extend(adm, login):
    person = UserFactory()
    client = login(person)
    _post(client, adm.round, cv=_pdf())
    application = Application.objects.get(applicant=person)
    make_reference(application)
    round_ = adm.round
    round_.opens_at = timezone.now() - datetime.timedelta(days=30)
    round_.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    round_.save()
    late = _post(client, round_, action="submit", agency="Late change")
    assert late.status_code == 400
    assert "The deadline has passed" in late.content.decode()
    application.refresh_from_db()
    assert application.is_draft and application.agency == "New Mexico Human Services"
    round_.extended_until = timezone.now() + datetime.timedelta(days=2)
    round_.save()
    assert _post(client, round_, action="submit").status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_honeypot_saves_nothing(adm, login):
    person = UserFactory()
    response = _post(login(person), adm.round, website="http://spam.example")
    assert response.status_code == 200
    assert not Application.objects.filter(applicant=person).exists()


def test_posting_too_often_from_one_address_is_refused(adm, login):
    client = login(UserFactory())
    for _ in range(LIMIT):
        _post(client, adm.round)
    response = _post(client, adm.round, agency="One too many")
    assert response.status_code == 429
    assert not Application.objects.filter(agency="One too many").exists()


def test_files_that_are_not_what_they_say_are_refused(adm, login):
    person = UserFactory()
    client = login(person)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for upload in (
        _pdf("cv.pdf", svg),
        SimpleUploadedFile("cv.txt", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("cv.svg", svg),
    ):
        response = _post(client, adm.round, cv=upload)
        assert response.status_code == 400
        assert "cannot be uploaded" in response.content.decode()
    assert not Application.objects.filter(applicant=person).exists()


def test_a_file_over_the_limit_is_refused(adm, login, settings):
    settings.MAX_UPLOAD_BYTES = 100
    person = UserFactory()
    response = _post(login(person), adm.round, cv=_pdf(content=PDF + b" " * 200))
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Application.objects.filter(applicant=person).exists()


def test_the_status_page_shows_whether_letters_arrived_never_what_they_say(adm, login):
    page = login(adm.applicant).get(
        reverse("admissions:application_status", kwargs={"code": adm.application.code})
    )
    body = page.content.decode()
    assert "arrived" in body and "not arrived yet" in body
    assert "SECRET-LETTER-TEXT" not in body
    # Nor reviewers or scores.
    assert "Rae Reviewer" not in body and "weight" not in body.lower()


def test_the_applicant_cannot_download_letters(adm, login):
    kind = adm.letter.document_kind
    url = reverse("admissions:document", kwargs={"code": adm.application.code, "kind": kind})
    assert login(adm.applicant).get(url).status_code == 404
    own_cv = reverse("admissions:document", kwargs={"code": adm.application.code, "kind": "cv"})
    response = login(adm.applicant).get(own_cv)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_public_page_shows_user_text_escaped(adm, client):
    adm.round.eligibility = "<script>alert('x')</script>"
    adm.round.save()
    body = client.get(reverse("admissions:round_public", kwargs={"code": adm.round.code}))
    assert "<script>alert" not in body.content.decode()
    assert "&lt;script&gt;" in body.content.decode()


def test_an_answer_outside_the_options_or_too_long_is_refused_next_to_it(adm, login):
    long_question, choice = adm.round.questions.order_by("position", "pk")
    person = UserFactory()
    response = _post(
        login(person),
        adm.round,
        **{f"q{long_question.pk}": "x" * 3001, f"q{choice.pk}": "Billboard"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "At most 3000 characters." in body
    assert "Choose among the options offered." in body
    assert not Application.objects.filter(applicant=person).exists()


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_file_sent_with_a_refused_submit_is_not_kept(adm, login, settings):
    person = UserFactory()
    EmailAddress.objects.filter(user=person).update(verified=False)
    client = login(person)
    before = _stored_files(settings)
    # Refused twice: unverified address (and no referee), then a state that does not exist.
    refused = _post(client, adm.round, action="submit", cv=_pdf())
    assert refused.status_code == 400
    invalid = _post(client, adm.round, action="save", state="ZZ", cv=_pdf())
    assert invalid.status_code == 400
    assert not Application.objects.filter(applicant=person).exists()
    assert _stored_files(settings) == before


def test_a_replaced_cv_leaves_only_the_new_file(
    adm, login, settings, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, adm.round, cv=_pdf("first.pdf"))
    before = set(_stored_files(settings))
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, adm.round, cv=_pdf("second.pdf"))
    application = Application.objects.get(applicant=person)
    assert application.cv_name == "second.pdf"
    after = set(_stored_files(settings))
    assert len(after) == len(before)
    assert application.cv.name.rsplit("/", 1)[-1] in after
