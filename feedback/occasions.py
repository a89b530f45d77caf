"""Who is asked what, and when: the one place the rules live, read by the sweep
(reminders.py), the one-click links (links.py), the answer pages and the home panel.

An occasion is a string kept on `Receipt`: "session:<id>" (a cohort session an evaluation
covers), "coaching:<id>" (a completed coaching session) or "survey:<id>" (a survey window).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from coaching.models import CoachingSession, SessionStatus
from cohorts.models import Enrollment, EnrollmentStatus
from curriculum.models import Attendance, AttendanceStatus, Session

from .models import Evaluation, Form, FormPurpose, Receipt, Survey

# A fellow may rate a completed coaching session for this long after it took place.
COACHING_OPEN_DAYS = 14
ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


class Unavailable(Exception):
    """Why this person cannot answer this form now (shown to them)."""


@dataclass(frozen=True)
class Occasion:
    form: Form
    key: str
    cohort_id: int | None
    title: str
    closes_at: datetime.datetime | None = None
    session: Session | None = None
    coach_id: int | None = None
    survey: Survey | None = None


def session_recipients(session: Session):
    """Fellows marked present (or late) when attendance was taken; otherwise every active
    fellow of the cohort."""
    attended = Attendance.objects.filter(session=session, status__in=ATTENDED)
    if Attendance.objects.filter(session=session).exists():
        return Enrollment.objects.filter(
            Exists(attended.filter(enrollment=OuterRef("pk"))),
            status__in=EnrollmentStatus.with_cohort_access(),
        )
    return Enrollment.objects.filter(cohort_id=session.cohort_id, status=EnrollmentStatus.ACTIVE)


def evaluation_for(form: Form, session: Session) -> Evaluation | None:
    return (
        Evaluation.objects.filter(form=form, cohort_id=session.cohort_id)
        .filter(Q(session=session) | Q(session_kind=session.kind))
        .order_by("-session_id")
        .first()
    )


def resolve(person, form: Form, key: str, now: datetime.datetime) -> Occasion:
    """The occasion `key` of `form` for `person`, or Unavailable with the reason."""
    kind, _, raw = key.partition(":")
    if not raw.isdigit():
        raise Unavailable("This link does not name anything to answer.")
    if form.is_closed:
        raise Unavailable("This form is closed.")
    if Receipt.objects.filter(form=form, person=person, occasion=key).exists():
        raise Unavailable("You have already answered. Thank you.")
    pk = int(raw)
    if kind == "session" and form.purpose == FormPurpose.EVALUATION:
        return _session(person, form, key, pk, now)
    if kind == "coaching" and form.purpose == FormPurpose.COACHING:
        return _coaching(person, form, key, pk, now)
    if kind == "survey" and form.purpose == FormPurpose.SURVEY:
        return _survey(person, form, key, pk, now)
    raise Unavailable("This link does not name anything to answer.")


def _session(person, form, key, pk, now) -> Occasion:
    session = Session.objects.scheduled().select_related("cohort").filter(pk=pk).first()
    evaluation = evaluation_for(form, session) if session else None
    if evaluation is None:
        raise Unavailable("This evaluation is not open.")
    closes_at = evaluation.closes_at(session.ends_at)
    if now < session.ends_at:
        raise Unavailable("The session has not ended yet.")
    if now >= closes_at:
        raise Unavailable("This evaluation has closed.")
    if not session_recipients(session).filter(user=person).exists():
        raise Unavailable("This evaluation is for the fellows who attended.")
    return Occasion(
        form=form,
        key=key,
        cohort_id=session.cohort_id,
        title=session.title,
        closes_at=closes_at,
        session=session,
    )


def _coaching(person, form, key, pk, now) -> Occasion:
    coaching = (
        CoachingSession.objects.select_related("enrollment__cohort")
        .filter(pk=pk, status=SessionStatus.COMPLETED, enrollment__user=person)
        .first()
    )
    if coaching is None or coaching.enrollment.cohort.program_id != form.program_id:
        raise Unavailable("There is no completed coaching session to rate here.")
    closes_at = coaching.ends_at + datetime.timedelta(days=COACHING_OPEN_DAYS)
    if now >= closes_at:
        raise Unavailable("This coaching session can no longer be rated.")
    return Occasion(
        form=form,
        key=key,
        cohort_id=coaching.enrollment.cohort_id,
        title="Your coaching session",
        closes_at=closes_at,
        coach_id=coaching.coach_id,
    )


def _survey(person, form, key, pk, now) -> Occasion:
    survey = Survey.objects.select_related("cohort").filter(pk=pk, form=form).first()
    if survey is None:
        raise Unavailable("This survey does not exist.")
    if not survey.is_open_on(survey.cohort.local_date(now)):
        raise Unavailable("This survey is not open.")
    if not Enrollment.objects.filter(
        cohort_id=survey.cohort_id, user=person, status=EnrollmentStatus.ACTIVE
    ).exists():
        raise Unavailable("This survey is for the cohort's fellows.")
    return Occasion(
        form=form,
        key=key,
        cohort_id=survey.cohort_id,
        title=f"{survey.get_phase_display()} survey",
        survey=survey,
    )


def open_coaching_form(program_id: int) -> Form | None:
    return (
        Form.objects.filter(
            program_id=program_id, purpose=FormPurpose.COACHING, closed_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
