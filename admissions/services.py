"""Writes of admissions. Each refuses bad input with a message saying what is wrong and then
saves nothing (one transaction each).

Audited: round changes, reviewer seats, assignment runs and every decision."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from audit.services import record
from cohorts.invitations import invite_enrollments
from cohorts.models import Enrollment
from cohorts.services import enrollment_create, person_for_email
from notifications.hooks import notify

from .documents import check_document
from .emails import enqueue_request
from .models import (
    LETTER_LENGTH,
    Application,
    ApplicationRound,
    ApplicationStatus,
    Conflict,
    Decision,
    Outcome,
    QuestionKind,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
)
from .notices import decision_row, reviewer_row, submitted_row

MAX_REFERENCES = 5
PROFILE_FIELDS = ["state", "agency", "title", "sector"]


class LinkUnusable(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# --- Rounds ---------------------------------------------------------------------------------


@transaction.atomic
def round_save(*, round_: ApplicationRound, by) -> ApplicationRound:
    """Creates or changes a round (its cohort's program staff)."""
    created = round_.pk is None
    round_.full_clean()
    round_.save()
    record(
        action="admissions.round_created" if created else "admissions.round_changed",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"deadline": round_.deadline.isoformat()},
    )
    return round_


# --- Applying -------------------------------------------------------------------------------


def _refuse_unless_open(round_: ApplicationRound, now) -> None:
    if now < round_.opens_at:
        raise ValidationError("This round is not open yet.")
    if now >= round_.deadline:
        raise ValidationError("The deadline has passed: applications can no longer be changed.")


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def clean_answers(questions, raw: dict, *, require: bool) -> dict[str, str]:
    """{question id: answer} from what was posted, or ValidationError keyed `q<id>`."""
    answers, errors = {}, {}
    for question in questions:
        value = str(raw.get(question.field_name, "") or "").strip()
        if not value:
            if require and question.required:
                errors[question.field_name] = ["Please answer this question."]
            continue
        if question.kind == QuestionKind.CHOICE and value not in question.choices:
            errors[question.field_name] = ["Choose one of the options offered."]
        elif len(value) > question.limit:
            errors[question.field_name] = [f"At most {question.limit} characters."]
        else:
            answers[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return answers


def _attach(application: Application, field: str, upload) -> None:
    try:
        name, content_type = check_document(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    getattr(application, field).save(name, upload, save=False)
    setattr(application, f"{field}_name", name)
    setattr(application, f"{field}_type", content_type)


def _submission_gaps(application: Application, references: int) -> dict[str, list[str]]:
    round_ = application.round
    gaps = {}
    if round_.requires_cv and not application.cv:
        gaps["cv"] = ["Upload your CV before submitting."]
    if round_.requires_statement and not application.statement:
        gaps["statement"] = ["Upload your personal statement before submitting."]
    if references < round_.letters_required:
        gaps["__all__"] = [
            f"Name {round_.letters_required} referee"
            f"{'s' if round_.letters_required > 1 else ''} before submitting."
        ]
    return gaps


@transaction.atomic
def application_save(
    *,
    round_: ApplicationRound,
    applicant,
    profile: dict,
    raw_answers: dict,
    files: dict,
    submit: bool,
    now: datetime.datetime | None = None,
) -> Application:
    """Saves the applicant's draft, and submits it when asked. Refused after the deadline,
    once submitted, and (to submit) until the email address is verified and everything
    required is there."""
    now = now or timezone.now()
    _refuse_unless_open(round_, now)
    application = (
        Application.objects.select_for_update().filter(round=round_, applicant=applicant).first()
    ) or Application(round=round_, applicant=applicant)
    if not application.is_draft:
        raise ValidationError("This application was submitted: it can no longer be changed.")
    questions = list(round_.questions.all())
    answers = clean_answers(questions, raw_answers, require=submit)
    for name in PROFILE_FIELDS:
        if name in profile:
            setattr(application, name, profile[name])
    application.answers = answers
    for field in ("cv", "statement"):
        if files.get(field):
            _attach(application, field, files[field])
    application.full_clean(exclude=["cv", "statement"])
    full_name = (profile.get("full_name") or "").strip()
    if full_name and full_name != applicant.full_name:
        # People who signed up to apply gave only an email address.
        applicant.full_name = full_name
        applicant.save(update_fields=["full_name"])
    if submit:
        if not has_verified_email(applicant):
            raise ValidationError("Confirm your email address (see the email we sent) first.")
        references = application.references.count() if application.pk else 0
        gaps = _submission_gaps(application, references)
        if gaps:
            raise ValidationError(gaps)
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
    application.save()
    if submit:
        notify([submitted_row(application, now=now)])
    return application


@transaction.atomic
def reference_add(*, application: Application, name: str, email: str, now=None) -> ReferenceRequest:
    """The applicant names a referee, who is emailed their link once this commits."""
    now = now or timezone.now()
    _refuse_unless_open(application.round, now)
    if application.references.count() >= MAX_REFERENCES:
        raise ValidationError(f"At most {MAX_REFERENCES} referees.")
    if application.references.filter(email__iexact=email.strip()).exists():
        raise ValidationError({"email": "You already named this referee."})
    reference = ReferenceRequest(application=application, name=name.strip(), email=email.strip())
    reference.full_clean(exclude=["token_hash"])
    try:
        with transaction.atomic():
            reference.save()
    except IntegrityError:
        raise ValidationError({"email": "You already named this referee."}) from None
    enqueue_request(reference.pk)
    return reference


def link_refusal(reference: ReferenceRequest, now) -> LinkUnusable | None:
    if reference.has_arrived:
        return LinkUnusable("used", "Your letter has already arrived: thank you.")
    if reference.expires_at is None or now >= reference.expires_at:
        return LinkUnusable("expired", "This link has expired. Ask the applicant to ask again.")
    return None


@transaction.atomic
def letter_submit(*, reference: ReferenceRequest, text: str, upload, now=None) -> ReferenceRequest:
    """The referee's letter, written or uploaded. The link works once."""
    now = now or timezone.now()
    reference = ReferenceRequest.objects.select_for_update().get(pk=reference.pk)
    refusal = link_refusal(reference, now)
    if refusal is not None:
        raise refusal
    text = (text or "").strip()
    if not text and not upload:
        raise ValidationError({"letter_text": "Write your letter, or upload it as a file."})
    if len(text) > LETTER_LENGTH:
        raise ValidationError({"letter_text": f"At most {LETTER_LENGTH} characters."})
    if upload:
        try:
            name, content_type = check_document(upload)
        except ValidationError as exc:
            raise ValidationError({"letter_file": exc.messages}) from None
        reference.letter_file.save(name, upload, save=False)
        reference.letter_name, reference.letter_type = name, content_type
    reference.letter_text = text
    reference.received_at = now
    reference.save()
    return reference


# --- Reviewers ------------------------------------------------------------------------------


@transaction.atomic
def seat_add(
    *, round_: ApplicationRound, email: str, full_name: str, agency: str, state: str, by
) -> ReviewerSeat:
    """Gives a person (an account made if new) a reviewer's seat on this round only."""
    user = person_for_email(email=email, full_name=full_name, state=state)
    if ReviewerSeat.objects.filter(round=round_, user=user).exists():
        raise ValidationError({"email": f"{user.email} already reviews this round."})
    seat = ReviewerSeat(round=round_, user=user, agency=agency.strip(), state=state)
    seat.full_clean()
    seat.save()
    notify([reviewer_row(seat, now=timezone.now())])
    record(
        action="admissions.reviewer_added",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"reviewer": user.email},
    )
    return seat


@transaction.atomic
def conflict_declare(*, assignment: ReviewAssignment, reason: str) -> Conflict:
    """The reviewer may not review this application: the assignment (unscored) is removed,
    and the next assignment run gives it to someone else."""
    if assignment.is_done:
        raise ValidationError("You already scored this application.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say briefly why (e.g. “I supervise this person”)."})
    conflict, _ = Conflict.objects.get_or_create(
        seat=assignment.seat,
        application=assignment.application,
        defaults={"reason": reason[:300]},
    )
    assignment.delete()
    return conflict


@transaction.atomic
def assign_reviewers(*, round_: ApplicationRound, by) -> int:
    """Gives every submitted application up to the round's number of reviewers, each time
    the least loaded reviewer who is not conflicted. Conflicts of the same agency or state
    are recorded as found. Returns how many assignments were made."""
    seats = list(ReviewerSeat.objects.filter(round=round_).annotate(load=Count("assignments")))
    applications = list(
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED)
        .prefetch_related("assignments", "conflicts")
        .order_by("submitted_at", "pk")
    )
    load = {seat.pk: seat.load for seat in seats}
    new_conflicts, new_assignments = [], []
    for application in applications:
        conflicted = {c.seat_id for c in application.conflicts.all()}
        for seat in seats:
            reason = seat.automatic_conflict(application)
            if reason and seat.pk not in conflicted:
                conflicted.add(seat.pk)
                new_conflicts.append(
                    Conflict(seat=seat, application=application, reason=reason, automatic=True)
                )
        have = {a.seat_id for a in application.assignments.all()}
        wanted = round_.reviewers_per_application - len(have)
        candidates = sorted(
            (s for s in seats if s.pk not in conflicted and s.pk not in have),
            key=lambda s: (load[s.pk], s.pk),
        )
        for seat in candidates[: max(wanted, 0)]:
            load[seat.pk] += 1
            new_assignments.append(ReviewAssignment(seat=seat, application=application))
    Conflict.objects.bulk_create(new_conflicts, ignore_conflicts=True)
    ReviewAssignment.objects.bulk_create(new_assignments)
    record(
        action="admissions.reviewers_assigned",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"assignments": len(new_assignments), "conflicts": len(new_conflicts)},
    )
    return len(new_assignments)


def weighted_mean(criteria, scores: dict[str, int]) -> Decimal:
    total = sum(c.weight for c in criteria)
    value = Decimal(sum(c.weight * scores[str(c.pk)] for c in criteria)) / Decimal(total)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(*, assignment: ReviewAssignment, raw_scores: dict, comments: str, now=None):
    """The reviewer's scores (1–5 on every criterion) and comments. Refused where they are
    conflicted or the application has been decided; a reviewer may revise until then."""
    now = now or timezone.now()
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application", "seat")
        .get(pk=assignment.pk)
    )
    application = assignment.application
    if Conflict.objects.filter(seat=assignment.seat, application=application).exists():
        raise ValidationError("You declared a conflict with this application.")
    if application.status == ApplicationStatus.DECIDED:
        raise ValidationError("This application has been decided: scores are closed.")
    criteria = list(application.round.criteria.all())
    if not criteria:
        raise ValidationError("This round has no rubric yet.")
    scores, errors = {}, {}
    for criterion in criteria:
        name = f"c{criterion.pk}"
        value = str(raw_scores.get(name, "")).strip()
        if value not in {"1", "2", "3", "4", "5"}:
            errors[name] = ["Give a score from 1 to 5."]
        else:
            scores[str(criterion.pk)] = int(value)
    if len(comments or "") > 4000:
        errors["comments"] = ["At most 4000 characters."]
    if errors:
        raise ValidationError(errors)
    assignment.scores = scores
    assignment.comments = (comments or "").strip()
    assignment.weighted_score = weighted_mean(criteria, scores)
    assignment.submitted_at = now
    assignment.save()
    return assignment


# --- Decisions ------------------------------------------------------------------------------


@transaction.atomic
def decide(*, application: Application, outcome: str, reason: str, by, now=None) -> Decision:
    """Records the committee's decision and tells the applicant (from the round's editable
    text, through the ledger). Accepting makes an invited enrollment in the cohort with what
    the applicant wrote about themselves, and sends its invitation. A waitlisted applicant
    can later be accepted or declined; an acceptance is final here (withdraw the enrollment
    on the roster instead)."""
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__cohort__program", "applicant")
        .get(pk=application.pk)
    )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose accept, waiting list or decline."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the record."})
    if application.status == ApplicationStatus.DRAFT:
        raise ValidationError("Only submitted applications are decided.")
    decision = Decision.objects.filter(application=application).first()
    if decision is not None and decision.outcome != Outcome.WAITLIST:
        raise ValidationError(
            f"This application was already decided ({decision.get_outcome_display().lower()})."
        )
    decision = decision or Decision(application=application)
    decision.outcome, decision.reason = outcome, reason[:500]
    decision.decided_by, decision.decided_at = by, now
    if outcome == Outcome.ACCEPT:
        cohort = application.round.cohort
        if Enrollment.objects.filter(cohort=cohort, user=application.applicant).exists():
            raise ValidationError(f"{application.applicant.email} is already in {cohort.name}.")
        decision.enrollment = enrollment_create(
            cohort=cohort,
            user=application.applicant,
            data={name: getattr(application, name) for name in PROFILE_FIELDS},
            by=by,
        )
        invite_enrollments(enrollments=[decision.enrollment], by=by)
    decision.full_clean(exclude=["application", "enrollment"])
    decision.save()
    application.status = ApplicationStatus.DECIDED
    application.save(update_fields=["status", "updated_at"])
    notify([decision_row(decision, now=now)])
    record(
        action=f"admissions.decided_{outcome}",
        by=by,
        target=application,
        program=application.round.cohort.program_id,
        details={"reason": reason[:500]},
    )
    return decision
