import datetime
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from admissions.models import (
    Application,
    ApplicationRound,
    ApplicationStatus,
    QuestionKind,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
    RubricCriterion,
)
from cohorts.models import Sector

from .accounts import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_round(cohort, **fields) -> ApplicationRound:
    """A round open from 10 days ago to 20 days ahead, with two questions and a rubric."""
    now = timezone.now()
    values = {
        "title": f"Applications to {cohort.name}",
        "eligibility": "Senior leaders in state and territorial public agencies.",
        "opens_at": now - datetime.timedelta(days=10),
        "closes_at": now + datetime.timedelta(days=20),
        "letters_required": 1,
        "reviewers_per_application": 2,
        "requires_cv": True,
        "requires_statement": False,
        **fields,
    }
    round_ = ApplicationRound.objects.create(cohort=cohort, **values)
    RoundQuestion.objects.create(
        round=round_, kind=QuestionKind.LONG_TEXT, text="What equity initiative will you lead?"
    )
    RoundQuestion.objects.create(
        round=round_,
        kind=QuestionKind.SINGLE,
        text="How did you hear of us?",
        choices=["Colleague", "Website", "Conference"],
        required=False,
        position=1,
    )
    RubricCriterion.objects.create(round=round_, name="Leadership", weight=2)
    RubricCriterion.objects.create(round=round_, name="Equity focus", weight=1, position=1)
    return round_


def make_application(round_, applicant=None, *, submitted=True, **fields) -> Application:
    applicant = applicant or UserFactory()
    question = round_.questions.order_by("position", "pk").first()
    values = {
        "state": "CA",
        "agency": "California Department of Health Care Services",
        "title": "Deputy director",
        "sector": Sector.MEDICAID,
        "answers": {str(question.pk): "Closing gaps in prenatal care."} if question else {},
        **fields,
    }
    application = Application(round=round_, applicant=applicant, **values)
    if submitted:
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = timezone.now()
    application.cv.save("cv.pdf", ContentFile(PDF), save=False)
    application.cv_name, application.cv_type = "cv.pdf", "application/pdf"
    application.save()
    return application


def make_reference(application, *, email="referee@agency.example.org", arrived=False):
    """A referee asked; returns (reference, token of their link)."""
    token = secrets.token_urlsafe(32)
    reference = ReferenceRequest.objects.create(
        application=application,
        name="Rita Referee",
        email=email,
        token_hash=ReferenceRequest.hash_token(token),
        sent_at=timezone.now(),
        expires_at=application.round.deadline + datetime.timedelta(days=14),
        received_at=timezone.now() if arrived else None,
        letter_text="SECRET-LETTER-TEXT" if arrived else "",
    )
    return reference, token


def make_seat(round_, user=None, **fields) -> ReviewerSeat:
    user = user or UserFactory()
    return ReviewerSeat.objects.create(round=round_, user=user, **fields)


def build_admissions(cast):
    """Admissions objects on the cast's current cohort, kept on `cast.adm`:

    - `round`: open now; `application`: submitted by `applicant` (a person with no other
      role), with one letter arrived (`letter`) and one asked (`reference`, `token`);
    - `draft`: a draft of `other_applicant`;
    - `reviewer`: an outside reviewer with a `seat` on the round and an `assignment` to the
      application (unscored); the cast's coach reviews it too (`coach_assignment`);
    - `returning`: a draft of the cast's withdrawn fellow, applying again.
    """
    from types import SimpleNamespace

    if "adm" in cast.__dict__:
        return cast.adm
    round_ = make_round(cast.cohort)
    applicant = UserFactory(email="applicant@example.org", full_name="April Applicant")
    other_applicant = UserFactory(email="other.applicant@example.org", full_name="Otis Other")
    reviewer = UserFactory(email="reviewer@example.org", full_name="Rae Reviewer")
    application = make_application(round_, applicant)
    letter, _ = make_reference(application, email="letter@agency.example.org", arrived=True)
    reference, token = make_reference(application)
    draft = make_application(round_, other_applicant, submitted=False, state="TX")
    seat = make_seat(round_, reviewer, agency="Texas Health", state="TX")
    assignment = ReviewAssignment.objects.create(seat=seat, application=application)
    coach_seat = make_seat(round_, cast.users["coach"], agency="Leadership Coaching LLC")
    coach_assignment = ReviewAssignment.objects.create(seat=coach_seat, application=application)
    returning = make_application(round_, cast.users["withdrawn"], submitted=False, state="NM")
    cast.adm = SimpleNamespace(
        round=round_,
        application=application,
        applicant=applicant,
        other_applicant=other_applicant,
        draft=draft,
        letter=letter,
        reference=reference,
        token=token,
        reviewer=reviewer,
        seat=seat,
        assignment=assignment,
        coach_seat=coach_seat,
        coach_assignment=coach_assignment,
        returning=returning,
    )
    return cast.adm
