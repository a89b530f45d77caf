"""What a person's download and erasure cover beyond their enrollments: every kind of row the
download lists, their applications (answers, document names, which letters came), the
letters they wrote as a referee, the reviews they wrote, and, on erasure, the ledger rows and
360° invitations addressed to their email."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from admissions.models import (
    Application,
    Conflict,
    Decision,
    Outcome,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
)
from audit.models import AuditEntry
from curriculum.models import Submission
from feedback360.models import Nomination
from notifications.models import Notification
from privacy.erasure import person_erase
from privacy.export import personal_data
from tests.factories.accounts import UserFactory
from tests.factories.admissions import build_admissions, make_application, make_reference
from tests.factories.cohorts import ParticipantProfileFactory
from tests.factories.curriculum import SubmissionFactory
from tests.factories.feedback import FormFactory
from tests.factories.feedback360 import NominationFactory
from tests.factories.notifications import NotificationFactory

from .test_queries import grow  # noqa: F401 (the fixture: one of each enrollment's rows)

REVIEW_COMMENT = "REVIEW-COMMENT-MARKER"


def _download(client) -> dict[str, list[dict]]:
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name: archive.read(name).decode() for name in archive.namelist()}
    data = json.loads(files.pop("data.json"))
    # Every kind with rows also comes as its own CSV file.
    assert {f"{name}.csv" for name, rows in data.items() if rows and name != "exported_at"} == set(
        files
    )
    return data


@pytest.fixture
def adm(cast):
    adm = build_admissions(cast)
    adm.assignment.scores = {"1": 4}
    adm.assignment.comments = REVIEW_COMMENT
    adm.assignment.save()
    return adm


def test_the_download_has_every_kind_of_row_a_fellow_coach_and_staff_member_own(
    cast,
    client_for,
    grow,  # noqa: F811
):
    from feedback.models import Answer, Receipt, Response

    ParticipantProfileFactory(user=cast.fellow)
    SubmissionFactory(enrollment=cast.enrollments["fellow"])
    form = FormFactory(program=cast.program, anonymous=False, kinds=["long_text"])
    response = Response.objects.create(form=form, respondent=cast.fellow, cohort=cast.cohort)
    Answer.objects.create(
        response=response, question=form.questions.first(), text="NAMED-ANSWER-MARKER"
    )
    Receipt.objects.create(
        form=form, person=cast.fellow, occasion="survey:1", answered_on=datetime.date(2026, 11, 1)
    )
    fellow = _download(client_for("fellow"))
    for kind in [
        "account",
        "profile",
        "enrollments",
        "plans",
        "milestones",
        "plan_updates",
        "plan_comments",
        "check_ins",
        "session_attendance",
        "submissions",
        "self_assessments",
        "self_assessment_ratings",
        "coaching_sessions",
        "coach_assignments",
        "announcements_opened",
        "survey_answers_named",
        "evaluations_and_surveys_answered",
    ]:
        assert fellow[kind], f"no {kind} in the fellow's download"
    assert fellow["my_private_notes_as_coach"] == []
    assert fellow["plan_comments"][0]["author"] == cast.coach.full_name
    assert fellow["self_assessment_ratings"][0]["level"]
    assert fellow["coaching_sessions"][0]["coach"] == cast.coach.full_name
    assert all(isinstance(e["directory_opt_in"], bool) for e in fellow["enrollments"])
    assert fellow["survey_answers_named"][0]["text"] == "NAMED-ANSWER-MARKER"
    assert fellow["evaluations_and_surveys_answered"][0]["form"] == form.title
    coach = _download(client_for("coach"))
    assert coach["my_private_notes_as_coach"]
    staff = _download(client_for("staff"))
    assert staff["announcements_written"]


def test_an_applicant_gets_their_answers_and_documents_never_a_letter_or_a_score(cast, client, adm):
    Decision.objects.create(
        application=adm.application,
        outcome=Outcome.WAITLIST,
        reason="DECISION-MARKER",
        decided_by=cast.staff,
        decided_at=adm.application.submitted_at,
    )
    client.force_login(adm.applicant)
    data = _download(client)
    assert [d["outcome"] for d in data["application_decisions"]] == ["waitlist"]
    [application] = data["applications"]
    assert application["answers"] == {
        "What equity initiative will you lead?": "Closing gaps in prenatal care."
    }
    assert application["cv_name"] == "cv.pdf" and application["round"] == adm.round.title
    letters = {r["email"]: r for r in data["references_requested"]}
    assert set(letters) == {adm.letter.email, adm.reference.email}
    assert (
        letters[adm.letter.email]["received_at"] and not letters[adm.reference.email]["received_at"]
    )
    everything = json.dumps(data)
    assert "SECRET-LETTER-TEXT" not in everything and "letter_text" not in everything
    assert REVIEW_COMMENT not in everything and data["reviews_written"] == []
    assert data["reference_letters_written"] == []


def test_a_referee_gets_the_letters_they_wrote(cast, client, adm):
    referee = UserFactory(email="LETTER@agency.example.org")  # any letter case
    client.force_login(referee)
    data = _download(client)
    assert [r["letter_text"] for r in data["reference_letters_written"]] == ["SECRET-LETTER-TEXT"]
    assert "token_hash" not in data["reference_letters_written"][0]
    assert data["applications"] == []


def test_a_reviewer_gets_their_seat_and_the_reviews_they_wrote(cast, client, adm):
    Conflict.objects.create(seat=adm.seat, application=adm.draft, reason="CONFLICT-MARKER")
    client.force_login(adm.reviewer)
    data = _download(client)
    assert [c["reason"] for c in data["review_conflicts"]] == ["CONFLICT-MARKER"]
    [review] = data["reviews_written"]
    assert review["comments"] == REVIEW_COMMENT and review["scores"] == {"1": 4}
    assert [s["agency"] for s in data["reviewer_seats"]] == ["Texas Health"]


def test_a_rater_gets_the_invitations_addressed_to_them(cast, client):
    rater = UserFactory(email="rater.person@partner.example.org")
    NominationFactory(email="Rater.Person@partner.example.org", name="Rae Rater")
    NominationFactory()  # someone else's
    client.force_login(rater)
    data = _download(client)
    assert [n["name"] for n in data["feedback_360_invitations"]] == ["Rae Rater"]


def test_the_page_counts_the_new_kinds(cast, client, adm):
    client.force_login(adm.applicant)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert '<td>Applications</td><td class="text-end">1</td>' in page
    assert len(personal_data(adm.applicant)["references_requested"]) == 2


def _stored(field_file) -> bool:
    return bool(field_file.name) and default_storage.exists(field_file.name)


def test_erasing_an_applicant_removes_applications_letters_about_them_and_files(
    cast, adm, django_capture_on_commit_callbacks
):
    adm.letter.letter_file.save("letter.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    cv, letter_file = adm.application.cv, adm.letter.letter_file
    assert _stored(cv) and _stored(letter_file)
    with django_capture_on_commit_callbacks(execute=True):
        summary = person_erase(user=adm.applicant, by=cast.admin)
    assert not Application.objects.filter(applicant=adm.applicant).exists()
    assert not ReferenceRequest.objects.filter(application=adm.application).exists()
    assert not ReviewAssignment.objects.filter(application_id=adm.application.pk).exists()
    assert not default_storage.exists(cv.name) and not default_storage.exists(letter_file.name)
    assert summary["deleted"]["applications (with answers, documents and letters)"] >= 1
    # Another applicant's draft in the same round stays.
    assert Application.objects.filter(pk=adm.draft.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.details["deleted"] == sum(summary["deleted"].values())


def test_erasing_a_referee_removes_the_letters_they_wrote_and_leaves_the_application(
    cast, adm, django_capture_on_commit_callbacks
):
    referee = UserFactory(email="letter@agency.example.org")
    adm.letter.letter_file.save("letter.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    stored = adm.letter.letter_file.name
    other_round_letter, _ = make_reference(
        make_application(adm.round, UserFactory()), email="someone.else@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary = person_erase(user=referee, by=cast.admin)
    assert summary["deleted"]["reference letters they wrote"] == 1
    assert not ReferenceRequest.objects.filter(pk=adm.letter.pk).exists()
    assert not default_storage.exists(stored)
    assert Application.objects.filter(pk=adm.application.pk).exists()
    assert (
        ReferenceRequest.objects.filter(pk__in=[adm.reference.pk, other_round_letter.pk]).count()
        == 2
    )
    assert AuditEntry.objects.get(action="accounts.erased").details["deleted"] >= 1


def test_erasing_a_reviewer_removes_their_seat_and_reviews(cast, adm):
    summary = person_erase(user=adm.reviewer, by=cast.admin)
    assert not ReviewerSeat.objects.filter(user=adm.reviewer).exists()
    assert not ReviewAssignment.objects.filter(comments=REVIEW_COMMENT).exists()
    # The other reviewer's assignment on the same application stays.
    assert ReviewAssignment.objects.filter(pk=adm.coach_assignment.pk).exists()
    assert summary["deleted"]["reviewer seats (with the reviews they wrote)"] >= 2


def test_erasure_removes_ledger_rows_and_360_invitations_addressed_to_their_email(cast):
    person = UserFactory(email="rater.person@partner.example.org")
    addressed = NotificationFactory(
        recipient=None, recipient_email="Rater.Person@partner.example.org"
    )
    kept_row = NotificationFactory(recipient=None, recipient_email="someone@partner.example.org")
    nomination = NominationFactory(email="rater.person@partner.example.org")
    kept_nomination = NominationFactory()
    summary = person_erase(user=person, by=cast.admin)
    assert not Notification.objects.filter(pk=addressed.pk).exists()
    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    assert Notification.objects.filter(pk=kept_row.pk).exists()
    assert Nomination.objects.filter(pk=kept_nomination.pk).exists()
    assert summary["deleted"]["notifications addressed to their email"] == 1
    assert summary["deleted"]["360° invitations as a rater"] >= 1


def test_submission_files_still_go_with_their_rows(cast, django_capture_on_commit_callbacks):
    submission = SubmissionFactory(enrollment=cast.enrollments["fellow"])
    submission.file.save("work.txt", ContentFile(b"my work"), save=True)
    name = submission.file.name
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=cast.fellow, by=cast.admin)
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not default_storage.exists(name)
