"""Access helpers: the first call of every admissions view. Outsiders get 404 (an
application's existence is nobody else's business); a reviewer of the round who opens a
staff page gets 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import Http404

from accounts.viewer import Viewer
from cohorts import roles as cohort_roles

from .models import (
    Application,
    ApplicationRound,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
    RubricCriterion,
)


def _signed_in(user: Viewer) -> int:
    """The viewer's id; nobody signed out reaches these pages (the views need a sign-in)."""
    if user.pk is None:
        raise Http404("Sign in first.")
    return int(user.pk)


def _round(code: UUID) -> ApplicationRound:
    round_ = ApplicationRound.objects.select_related("cohort__program").filter(code=code).first()
    if round_ is None:
        raise Http404("No such application round.")
    return round_


def get_round_public(code: UUID) -> ApplicationRound:
    return _round(code)


def get_round_for_staff(user: Viewer, code: UUID) -> ApplicationRound:
    round_ = _round(code)
    if cohort_roles.is_cohort_staff(user, round_.cohort):
        return round_
    if user.is_authenticated and (
        ReviewerSeat.objects.filter(round=round_, user_id=_signed_in(user)).exists()
    ):
        raise PermissionDenied("Only program staff manage the round.")
    raise Http404("No such application round.")


def get_seat(user: Viewer, code: UUID) -> ReviewerSeat:
    """The viewer's own reviewer seat on this round."""
    round_ = _round(code)
    seat = ReviewerSeat.objects.filter(round=round_, user_id=_signed_in(user)).first()
    if seat is None:
        raise Http404("No such application round.")
    seat.round = round_
    return seat


def get_application_for_applicant(user: Viewer, code: UUID) -> Application:
    application = (
        Application.objects.select_related("round__cohort__program", "decision")
        .filter(code=code, applicant_id=_signed_in(user))
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def get_application_for_staff(user: Viewer, code: UUID) -> Application:
    application = (
        Application.objects.select_related("round__cohort__program").filter(code=code).first()
    )
    if application is None or not cohort_roles.is_cohort_staff(user, application.round.cohort):
        raise Http404("No such application.")
    return application


def get_assignment_for_reviewer(user: Viewer, code: UUID) -> ReviewAssignment:
    """An assignment of the viewer's own: nobody else learns it exists."""
    assignment = (
        ReviewAssignment.objects.select_related(
            "seat", "application__round__cohort__program", "application__applicant"
        )
        .filter(code=code, seat__user_id=_signed_in(user))
        .first()
    )
    if assignment is None:
        raise Http404("No such review.")
    return assignment


def get_document(user: Viewer, code: UUID, kind: str) -> tuple[FieldFile, str, str]:
    """(field file, name, type) of an application's document or a letter, for those who may
    read it: the applicant their own documents (never letters), program staff, and
    reviewers assigned to the application."""
    application = (
        Application.objects.select_related("round__cohort__program").filter(code=code).first()
    )
    if application is None:
        raise Http404("No such document.")
    is_applicant = application.applicant_id == user.pk
    allowed = (
        cohort_roles.is_cohort_staff(user, application.round.cohort)
        or ReviewAssignment.objects.filter(
            application=application, seat__user_id=_signed_in(user)
        ).exists()
        or (is_applicant and kind in ("cv", "statement"))
    )
    if not allowed:
        raise Http404("No such document.")
    if kind in ("cv", "statement"):
        field = getattr(application, kind)
        return field, getattr(application, f"{kind}_name"), getattr(application, f"{kind}_type")
    if kind.startswith("letter-"):
        reference = application.references.filter(code=kind.removeprefix("letter-")).first()
        if reference is not None and reference.letter_file:
            return reference.letter_file, reference.letter_name, reference.letter_type
    raise Http404("No such document.")


def hides_names_from(user: Viewer, round_: ApplicationRound) -> bool:
    """Whether this reviewer sees applicants by reference only: the round says so and they
    are not the program's staff (who read every application anyway)."""
    return round_.hide_names and not cohort_roles.is_cohort_staff(user, round_.cohort)


def get_question_for_staff(user: Viewer, code: UUID, pk: int) -> RoundQuestion:
    """A question of a round the viewer manages (the round's staff page rules)."""
    round_ = get_round_for_staff(user, code)
    question = RoundQuestion.objects.filter(round=round_, pk=pk).first()
    if question is None:
        raise Http404("No such question.")
    question.round = round_
    return question


def get_criterion_for_staff(user: Viewer, code: UUID, pk: int) -> RubricCriterion:
    round_ = get_round_for_staff(user, code)
    criterion = RubricCriterion.objects.filter(round=round_, pk=pk).first()
    if criterion is None:
        raise Http404("No such criterion.")
    criterion.round = round_
    return criterion
