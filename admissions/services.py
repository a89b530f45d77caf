"""Writes of admissions. Each refuses bad input with a message saying what is wrong and then
saves nothing (one transaction each).

Audited: round changes, reviewer seats, assignment runs and every decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import User
from accounts.questions import clean_answer
from accounts.updates import model_update
from audit.services import record
from cohorts.invitations import invite_enrollments
from cohorts.models import Enrollment
from cohorts.services import enrollment_create, person_for_email
from notifications.hooks import notify

from .documents import check_document
from .emails import enqueue_request
from .models import (
    ANSWER_LENGTH,
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
    RoundQuestion,
    RubricCriterion,
)
from .notices import decision_row, reviewer_row, submitted_row
from .selectors import (
    PROFILE_FIELDS,
    answered_question_ids,
    has_verified_email,
    scored_criterion_ids,
)

MAX_REFERENCES = 5


class LinkUnusable(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


# --- Rounds ---------------------------------------------------------------------------------


@transaction.atomic
def round_save(*, round_: ApplicationRound, by: User) -> ApplicationRound:
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


def _refuse_unless_open(round_: ApplicationRound, now: datetime.datetime) -> None:
    if now < round_.opens_at:
        raise ValidationError("This round is not open yet.")
    if now >= round_.deadline:
        raise ValidationError("The deadline has passed: applications can no longer be changed.")


def stored_answer(kind: str, fields: dict[str, object]) -> str | int | list[str]:
    """What an application keeps of one answer: the text, the option picked (the options,
    for multiple choice) or the number."""
    if "number" in fields:
        return cast(int, fields["number"])
    if "picked" in fields:
        picked = cast(list[str], fields["picked"])
        return picked if kind == QuestionKind.MULTIPLE else picked[0]
    return cast(str, fields["text"])


def clean_answers(
    questions: Iterable[RoundQuestion], raw: Mapping[str, object], *, require: bool
) -> dict[str, str | int | list[str]]:
    """{question id: answer} from what was posted, or ValidationError keyed `q<id>`. The
    answer rules are those of every question type (accounts.questions)."""
    answers: dict[str, str | int | list[str]] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        try:
            fields = clean_answer(question, raw.get(question.field_name), long_text=ANSWER_LENGTH)
        except ValidationError as exc:
            errors[question.field_name] = exc.messages
            continue
        if fields is None:
            if require and question.required:
                errors[question.field_name] = ["Please answer this question."]
            continue
        answers[str(question.pk)] = stored_answer(question.kind, fields)
    if errors:
        raise ValidationError(errors)
    return answers


def _checked_upload(field: str, upload: UploadedFile) -> tuple[str, str]:
    try:
        return check_document(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _submission_gaps(
    application: Application, references: int, uploading: set[str]
) -> dict[str, list[str]]:
    round_ = application.round
    gaps = {}
    if round_.requires_cv and not (application.cv or "cv" in uploading):
        gaps["cv"] = ["Upload your CV before submitting."]
    if round_.requires_statement and not (application.statement or "statement" in uploading):
        gaps["statement"] = ["Upload your personal statement before submitting."]
    if references < round_.letters_required:
        gaps["__all__"] = [
            f"Name {round_.letters_required} referee"
            f"{'s' if round_.letters_required > 1 else ''} before submitting."
        ]
    return gaps


def _store_documents(
    application: Application, uploads: dict[str, tuple[UploadedFile, str, str]]
) -> list[FieldFile]:
    """Writes the checked uploads to storage (the last step before saving, so a refused
    form leaves no file behind) and returns the files they replace."""
    replaced = []
    for field, (upload, name, _) in uploads.items():
        current: FieldFile = getattr(application, field)
        if current:
            replaced.append(FieldFile(application, current.field, current.name))
        current.save(name, upload, save=False)
    return replaced


def _document_details(uploads: dict[str, tuple[UploadedFile, str, str]]) -> dict[str, str]:
    """The `<field>_name` and `<field>_type` of each checked upload."""
    details: dict[str, str] = {}
    for field, (_, name, content_type) in uploads.items():
        details |= {f"{field}_name": name, f"{field}_type": content_type}
    return details


def _delete_files(files: Iterable[FieldFile]) -> None:
    for file in files:
        if file.name:
            file.storage.delete(file.name)


@transaction.atomic
def application_save(
    *,
    round_: ApplicationRound,
    applicant: User,
    profile: Mapping[str, str],
    raw_answers: Mapping[str, object],
    files: Mapping[str, UploadedFile | None],
    submit: bool,
    now: datetime.datetime | None = None,
) -> Application:
    """Saves the applicant's draft, and submits it when asked. Refused after the deadline,
    once submitted, and (to submit) until the email address is verified and everything
    required is there; a refused save stores none of the files sent with it."""
    now = now or timezone.now()
    _refuse_unless_open(round_, now)
    application = (
        Application.objects.select_for_update().filter(round=round_, applicant=applicant).first()
    ) or Application(round=round_, applicant=applicant)
    if not application.is_draft:
        raise ValidationError("This application was submitted: it can no longer be changed.")
    questions = list(round_.questions.all())
    answers = clean_answers(questions, raw_answers, require=submit)
    uploads = {
        field: (upload, *_checked_upload(field, upload))
        for field in ("cv", "statement")
        if (upload := files.get(field))
    }
    # Profile and answers first, so their errors come before the submission's; a later
    # refusal undoes this save with the rest of the transaction.
    model_update(
        application, data={**profile, "answers": answers}, fields=[*PROFILE_FIELDS, "answers"]
    )
    full_name = (profile.get("full_name") or "").strip()
    if full_name and full_name != applicant.full_name:
        # People who signed up to apply gave only an email address.
        applicant.full_name = full_name
        applicant.save(update_fields=["full_name"])
    if submit:
        if not has_verified_email(applicant):
            raise ValidationError("Confirm your email address (see the email we sent) first.")
        references = application.references.count() if application.pk else 0
        gaps = _submission_gaps(application, references, set(uploads))
        if gaps:
            raise ValidationError(gaps)
    changes: dict[str, object] = {**_document_details(uploads)}
    if submit:
        changes |= {"status": ApplicationStatus.SUBMITTED, "submitted_at": now}
    replaced = _store_documents(application, uploads)
    try:
        model_update(application, data=changes, also=list(uploads))
    except BaseException:
        _delete_files(getattr(application, field) for field in uploads)
        raise
    # The replaced files go once the new ones are surely kept.
    transaction.on_commit(lambda: _delete_files(replaced))
    if submit:
        notify([submitted_row(application, now=now)])
    return application


@dataclass(frozen=True)
class ApplyResult:
    """What became of the applicant's form: the application saved (None if refused), the
    message to show, and the refusal's errors: the questions' (`q<id>`) apart from the rest
    (next to the form's own fields, or above the form)."""

    application: Application | None
    message: str = ""
    question_errors: dict[str, list[str]] = dataclass_field(default_factory=dict)
    other_errors: ValidationError | None = None


def application_apply(
    *,
    round_: ApplicationRound,
    applicant: User,
    cleaned: Mapping[str, object],
    raw_answers: Mapping[str, object],
    submit: bool,
    now: datetime.datetime,
) -> ApplyResult:
    """The applicant's form sent: saved as a draft, or submitted (application_save)."""
    try:
        application = application_save(
            round_=round_,
            applicant=applicant,
            profile={k: str(cleaned[k]) for k in [*PROFILE_FIELDS, "full_name"]},
            raw_answers=raw_answers,
            files={
                "cv": cast(UploadedFile | None, cleaned.get("cv")),
                "statement": cast(UploadedFile | None, cleaned.get("statement")),
            },
            submit=submit,
            now=now,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return ApplyResult(None, other_errors=exc)
        messages = exc.message_dict
        rest = {k: v for k, v in messages.items() if not k.startswith("q")}
        return ApplyResult(
            None,
            question_errors={k: v for k, v in messages.items() if k.startswith("q")},
            other_errors=ValidationError(rest) if rest else None,
        )
    if application.is_draft:
        return ApplyResult(application, "Draft saved: come back before the deadline.")
    return ApplyResult(application, "Application submitted. A confirmation is on its way.")


@transaction.atomic
def reference_add(
    *, application: Application, name: str, email: str, now: datetime.datetime | None = None
) -> ReferenceRequest:
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


def link_refusal(reference: ReferenceRequest, now: datetime.datetime) -> LinkUnusable | None:
    if reference.has_arrived:
        return LinkUnusable("used", "Your letter has already arrived: thank you.")
    if reference.expires_at is None or now >= reference.expires_at:
        return LinkUnusable("expired", "This link has expired. Ask the applicant to ask again.")
    return None


@transaction.atomic
def letter_submit(
    *,
    reference: ReferenceRequest,
    text: str,
    upload: UploadedFile | None,
    now: datetime.datetime | None = None,
) -> ReferenceRequest:
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
    changes: dict[str, object] = {"letter_text": text, "received_at": now}
    if upload:
        name, content_type = _checked_upload("letter_file", upload)
        changes |= {"letter_name": name, "letter_type": content_type}
        # Stored last, once everything else is accepted; removed if the row is not saved.
        reference.letter_file.save(name, upload, save=False)
    try:
        model_update(reference, data=changes, also=["letter_file"] if upload else ())
    except BaseException:
        if upload:
            _delete_files([reference.letter_file])
        raise
    return reference


# --- Reviewers ------------------------------------------------------------------------------


@transaction.atomic
def seat_add(
    *, round_: ApplicationRound, email: str, full_name: str, agency: str, state: str, by: User
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
def assign_reviewers(*, round_: ApplicationRound, by: User) -> int:
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


def weighted_mean(criteria: Sequence[RubricCriterion], scores: dict[str, int]) -> Decimal:
    total = sum(c.weight for c in criteria)
    value = Decimal(sum(c.weight * scores[str(c.pk)] for c in criteria)) / Decimal(total)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(
    *,
    assignment: ReviewAssignment,
    raw_scores: Mapping[str, object],
    comments: str,
    now: datetime.datetime | None = None,
) -> ReviewAssignment:
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
def decide(
    *,
    application: Application,
    outcome: str,
    reason: str,
    by: User,
    now: datetime.datetime | None = None,
) -> Decision:
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


# --- The round's questions and rubric -------------------------------------------------------

# Why a question or criterion in use no longer changes: said next to the field.
ANSWERED_LOCK = (
    "Applications have answered this question, so its {field} no longer changes: their "
    "answers would then mean something else. Add a new question instead."
)
SCORED_LOCK = (
    "Reviewers have scored on this criterion, so its {field} no longer changes: the scores "
    "given would then mean something else. Add a new criterion instead."
)
QUESTION_MEANING = {"kind": "type", "text": "wording", "choices": "options", "labels": "labels"}
CRITERION_MEANING = {"name": "name", "weight": "weight"}


def _renumber(items: Sequence[RoundQuestion | RubricCriterion]) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _changed(item: RoundQuestion | RubricCriterion, fields: Iterable[str]) -> list[str]:
    before = type(item)._default_manager.filter(pk=item.pk).values(*fields).get()
    return [name for name in fields if before[name] != getattr(item, name)]


@transaction.atomic
def question_save(*, question: RoundQuestion, by: User) -> RoundQuestion:
    """Adds a question to the end of its round, or changes one. A question applications
    answered keeps its type, wording and options (its help text, whether it is required
    and its place may change)."""
    round_ = ApplicationRound.objects.select_for_update().get(pk=question.round_id)
    created = question.pk is None
    question.full_clean()
    if not created and str(question.pk) in answered_question_ids(round_):
        changed = _changed(question, QUESTION_MEANING)
        if changed:
            raise ValidationError(
                {name: ANSWERED_LOCK.format(field=QUESTION_MEANING[name]) for name in changed}
            )
    if created:
        question.position = round_.questions.count()
    question.save()
    record(
        action="admissions.question_added" if created else "admissions.question_changed",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"question": question.text[:100]},
    )
    return question


@transaction.atomic
def question_move(*, question: RoundQuestion, up: bool, by: User) -> None:
    """Moves a question one place up or down (any question: answers keep their meaning)."""
    ApplicationRound.objects.select_for_update().get(pk=question.round_id)
    _renumber(_moved(list(RoundQuestion.objects.filter(round_id=question.round_id)), question, up))


@transaction.atomic
def question_remove(*, question: RoundQuestion, by: User) -> None:
    """Removes a question nobody answered."""
    round_ = ApplicationRound.objects.select_for_update().get(pk=question.round_id)
    if str(question.pk) in answered_question_ids(round_):
        raise ValidationError(
            "Applications have answered this question: removing it would lose their answers."
        )
    text = question.text
    question.delete()
    _renumber(list(round_.questions.all()))
    record(
        action="admissions.question_removed",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"question": text[:100]},
    )


@transaction.atomic
def criterion_save(*, criterion: RubricCriterion, by: User) -> RubricCriterion:
    """Adds a criterion to the rubric, or changes one. Once reviewers score, no criterion is
    added (the scores given would not cover it), and a scored one keeps its name and weight
    (its guidance and place may change)."""
    round_ = ApplicationRound.objects.select_for_update().get(pk=criterion.round_id)
    created = criterion.pk is None
    criterion.full_clean()
    scored = scored_criterion_ids(round_)
    if created and scored:
        raise ValidationError(
            "Reviewers have already scored in this round: a new criterion would leave their "
            "scores incomplete."
        )
    if not created and str(criterion.pk) in scored:
        changed = _changed(criterion, CRITERION_MEANING)
        if changed:
            raise ValidationError(
                {name: SCORED_LOCK.format(field=CRITERION_MEANING[name]) for name in changed}
            )
    if created:
        criterion.position = round_.criteria.count()
    criterion.save()
    record(
        action="admissions.criterion_added" if created else "admissions.criterion_changed",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"criterion": criterion.name[:100], "weight": criterion.weight},
    )
    return criterion


@transaction.atomic
def criterion_move(*, criterion: RubricCriterion, up: bool, by: User) -> None:
    ApplicationRound.objects.select_for_update().get(pk=criterion.round_id)
    items = list(RubricCriterion.objects.filter(round_id=criterion.round_id))
    _renumber(_moved(items, criterion, up))


@transaction.atomic
def criterion_remove(*, criterion: RubricCriterion, by: User) -> None:
    """Removes a criterion nobody scored on."""
    round_ = ApplicationRound.objects.select_for_update().get(pk=criterion.round_id)
    if str(criterion.pk) in scored_criterion_ids(round_):
        raise ValidationError(
            "Reviewers have scored on this criterion: removing it would change their scores."
        )
    name = criterion.name
    criterion.delete()
    _renumber(list(round_.criteria.all()))
    record(
        action="admissions.criterion_removed",
        by=by,
        target=round_,
        program=round_.cohort.program_id,
        details={"criterion": name[:100]},
    )


Positioned = TypeVar("Positioned", RoundQuestion, RubricCriterion)


def _moved(items: list[Positioned], item: Positioned, up: bool) -> list[Positioned]:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items
