"""Writes of each fellow's progress: attendance, assignments and submissions, self-assessments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort, Enrollment, EnrollmentStatus
from notifications.timeutil import local_moment

from ..models import (
    AssessmentPhase,
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    Competency,
    Module,
    ProficiencyLevel,
    Rating,
    SelfAssessment,
    Session,
    Submission,
)
from ..selectors import roster_of
from ..uploads import delete_after_commit, validate_upload

# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    marks: dict,
    by: User,
    now: datetime.datetime | None = None,
    day_number: int = 1,
) -> int:
    """Saves the whole roster's attendance for one day of the session at once (most sessions
    have one day; a two-day gathering is taken day by day). `marks` maps enrollment pk →
    status. Refuses (saving nothing) a cancelled session, a day that has not begun, an unknown
    status, or a person not on the roster."""
    now = now or timezone.now()
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: there is no attendance to take.")
    days = session.local_days()
    if not 1 <= day_number <= len(days):
        raise ValidationError("That day is not a day of this session.")
    if session.starts_at > now:
        raise ValidationError("Attendance can be taken once the session has started.")
    day = days[day_number - 1]
    if day_number > 1 and local_moment(day, datetime.time(0), session.cohort.time_zone) > now:
        raise ValidationError(f"Attendance for {day:%A %-d %B} can be taken once that day begins.")
    roster = {e.pk: e for e in roster_of(session.cohort)}
    unknown = set(marks) - set(roster)
    if unknown:
        raise ValidationError("Some people are not on this cohort's roster.")
    bad = [status for status in marks.values() if status not in AttendanceStatus.values]
    if bad:
        raise ValidationError(f"“{bad[0]}” is not an attendance status.")
    existing = {a.enrollment_id: a for a in session.attendance.filter(day_number=day_number)}
    changed = []
    new = []
    for enrollment_id, status in marks.items():
        record = existing.get(enrollment_id)
        if record is None:
            new.append(
                Attendance(
                    session=session,
                    enrollment_id=enrollment_id,
                    day_number=day_number,
                    status=status,
                    recorded_by=by,
                )
            )
        elif record.status != status:
            record.status, record.recorded_by = status, by
            changed.append(record)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "updated_at"])
    return len(new) + len(changed)


# --- Assignments ---------------------------------------------------------------------------


@transaction.atomic
def assignment_save(
    *,
    module: Module,
    title: str,
    instructions: str,
    due_at: datetime.datetime,
    assignment: Assignment | None = None,
) -> Assignment:
    assignment = assignment or Assignment(module=module)
    assignment.title, assignment.instructions, assignment.due_at = title, instructions, due_at
    assignment.full_clean()  # the due date within the cohort: Assignment.clean
    assignment.save()
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Deletes an assignment nobody has submitted to; refused once fellows have submitted
    (see Assignment.deletion_refusal)."""
    refusal = assignment.deletion_refusal()
    if refusal:
        raise ValidationError(refusal)
    assignment.delete()


@transaction.atomic
def submission_submit(
    *,
    assignment: Assignment,
    enrollment: Enrollment,
    text: str = "",
    file: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Creates or revises the fellow's submission; refused once feedback has been given."""
    now = now or timezone.now()
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only active fellows can submit work.")
    if enrollment.cohort_id != assignment.module.cohort_id:
        raise ValidationError("This assignment belongs to another cohort.")
    submission = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, enrollment=enrollment)
        .first()
    )
    if submission is not None and not submission.can_revise:
        raise ValidationError("Feedback has been given, so this submission can no longer change.")
    if file:
        try:
            validate_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    text = (text or "").strip()
    has_file = bool(file) or bool(submission and submission.file)
    if not text and not has_file:
        raise ValidationError({"text": "Write your response or attach a file."})
    if submission is None:
        submission = Submission(assignment=assignment, enrollment=enrollment, revision=0)
    submission.text = text
    if file:
        if submission.file:
            delete_after_commit(submission.file)  # the revision replaces the earlier file
        submission.file = file
    submission.submitted_at = now
    submission.revision += 1
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def submission_review(
    *,
    submission: Submission,
    feedback: str,
    complete: bool,
    by: User,
    now: datetime.datetime | None = None,
) -> Submission:
    now = now or timezone.now()
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": "Write some feedback for the fellow."})
    submission.feedback, submission.feedback_by = feedback, by
    submission.feedback_at = submission.feedback_at or now
    submission.completed_at = (submission.completed_at or now) if complete else None
    submission.full_clean()
    submission.save()
    return submission


# --- Self-assessments ----------------------------------------------------------------------


@transaction.atomic
def window_save(
    *,
    cohort: Cohort,
    phase: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    window: AssessmentWindow | None = None,
) -> AssessmentWindow:
    window = window or AssessmentWindow(cohort=cohort)
    window.phase, window.opens_on, window.closes_on = phase, opens_on, closes_on
    window.full_clean(validate_constraints=False)
    if AssessmentWindow.objects.filter(cohort=cohort, phase=phase).exclude(pk=window.pk).exists():
        raise ValidationError(
            {"phase": f"This cohort already has a {AssessmentPhase(phase).label.lower()} window."}
        )
    window.save()
    return window


@transaction.atomic
def window_delete(*, window: AssessmentWindow) -> None:
    """Deletes a window nobody has rated themselves in; fellows' ratings are never lost."""
    refusal = window.deletion_refusal()
    if refusal:
        raise ValidationError(refusal)
    window.delete()


@transaction.atomic
def self_assessment_submit(
    *,
    window: AssessmentWindow,
    enrollment: Enrollment,
    ratings: dict,
    now: datetime.datetime | None = None,
) -> SelfAssessment:
    """`ratings` maps competency pk → (level value, note). Every competency of the cohort's
    framework must be rated on its scale, inside an open window; a fellow may revise while
    the window is open."""
    cohort = window.cohort
    now = now or timezone.now()
    if enrollment.cohort_id != cohort.pk or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only active fellows of this cohort can rate themselves here.")
    if not window.is_open_on(cohort.local_date(now)):
        raise ValidationError(
            f"The {window.get_phase_display().lower()} window is open "
            f"{window.opens_on:%d %b} – {window.closes_on:%d %b %Y}, not today."
        )
    if cohort.framework_id is None:
        raise ValidationError("This cohort has no competency framework.")
    competencies = {
        c.pk: c for c in Competency.objects.filter(domain__framework_id=cohort.framework_id)
    }
    levels = {
        lvl.value: lvl for lvl in ProficiencyLevel.objects.filter(framework_id=cohort.framework_id)
    }
    errors = {}
    if set(ratings) - set(competencies):
        raise ValidationError("Some ratings are for competencies outside this framework.")
    for pk, competency in competencies.items():
        value, _note = ratings.get(pk, (None, ""))
        if value is None:
            errors[pk] = f"Rate “{competency.name}”."
        elif value not in levels:
            errors[pk] = f"{value} is not on the scale ({min(levels)}–{max(levels)})."
    if errors:
        raise ValidationError({str(pk): message for pk, message in errors.items()})
    assessment, created = SelfAssessment.objects.get_or_create(
        window=window, enrollment=enrollment, defaults={"submitted_at": now}
    )
    if not created:
        assessment.submitted_at = now
        assessment.save(update_fields=["submitted_at", "updated_at"])
        assessment.ratings.all().delete()
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessment,
                competency_id=pk,
                level=levels[ratings[pk][0]],
                note=(ratings[pk][1] or "").strip()[:1000],
            )
            for pk in competencies
        ]
    )
    return assessment
