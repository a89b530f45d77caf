"""Writes of the coaching app. Each is atomic and validates with full_clean(); the database
constraints are the backstop. Calendar changes are announced through notifications.hooks
inside the transaction (the hook defers sending to on_commit)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from accounts.updates import model_update
from audit.services import record
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import Competency
from networks.services import facilitation_release
from notifications import hooks

from . import notices
from .matching import score_coach
from .models import (
    CoachAssignment,
    CoachingPreferences,
    CoachingSession,
    CoachProfile,
    PrivateNote,
    SessionStatus,
)

PROFILE_FIELDS = [
    "bio",
    "capacity",
    "expertise_tags",
    "languages",
    "regions",
    "affiliations",
    "availability_note",
]
SESSION_FIELDS = [
    "starts_at",
    "duration_minutes",
    "mode",
    "status",
    "video_url",
    "location",
    "topics",
    "shared_summary",
    "next_steps",
]


@transaction.atomic
def coach_profile_update(
    *, profile: CoachProfile, data: dict, expertise: Iterable[Competency] | None = None
) -> CoachProfile:
    model_update(profile, data=data, fields=PROFILE_FIELDS)
    if expertise is not None:
        profile.expertise.set(expertise)
    return profile


@transaction.atomic
def coach_profile_join_program(*, program: Program, user: User) -> CoachProfile:
    """Accepting a coach invitation: the person becomes a coach of the program, their
    profile made if they have none yet."""
    profile, _ = CoachProfile.objects.get_or_create(user=user)
    profile.programs.add(program)
    return profile


@transaction.atomic
def coach_program_add(*, profile: CoachProfile, program: Program) -> CoachProfile:
    """The coach now coaches for `program` too (staff add existing coaches; new ones are
    invited through cohorts' invitations)."""
    if profile.programs.filter(pk=program.pk).exists():
        raise ValidationError({"email": f"{profile.user} already coaches for {program}."})
    profile.programs.add(program)
    return profile


@transaction.atomic
def coach_program_remove(*, profile: CoachProfile, program: Program) -> CoachProfile:
    """Takes `program` off the coach's profile; refused while they coach fellows in it."""
    active = (
        CoachAssignment.objects.select_for_update()
        .active()
        .filter(coach=profile.user_id, enrollment__cohort__program=program)
        .count()
    )
    if active:
        raise ValidationError(
            f"{profile.user} still coaches {active} fellow{'s' if active != 1 else ''} in "
            f"{program}. End or change those assignments first."
        )
    profile.programs.remove(program)
    facilitation_release(program=program, user=profile.user)
    return profile


@transaction.atomic
def coach_assign(
    *,
    enrollment: Enrollment,
    coach: User,
    assigned_by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> CoachAssignment:
    """Makes `coach` the fellow's coach. An active assignment to someone else is ended first
    (with the reason) and kept as history; both happen or neither."""
    now = now or timezone.now()
    profile = CoachProfile.objects.filter(user=coach, programs=enrollment.cohort.program_id).first()
    if profile is None:
        raise ValidationError({"coach": "This person does not coach for the program."})
    current = (
        CoachAssignment.objects.select_for_update().active().filter(enrollment=enrollment).first()
    )
    if current is not None and current.coach_id == coach.pk:
        raise ValidationError({"coach": f"{coach} is already this fellow's coach."})
    active_count = CoachAssignment.objects.active().filter(coach=coach).count()
    match = score_coach(
        profile=profile,
        active_count=active_count,
        expertise_ids=set(),
        plan_competency_ids=set(),
        fellow_languages=[],
        fellow_state=enrollment.state,
        fellow_agency=enrollment.agency,
    )
    if match.conflict:
        raise ValidationError(
            {"coach": f"{coach} has worked for {enrollment.agency}: a conflict of interest."}
        )
    if match.full:
        raise ValidationError({"coach": f"{coach} has no capacity left."})
    if current is not None:
        if not reason.strip():
            raise ValidationError({"reason": "Say why the fellow changes coach."})
        current.ended_at = now
        current.end_reason = reason.strip()
        current.full_clean()
        current.save(update_fields=["ended_at", "end_reason", "updated_at"])
    assignment = CoachAssignment(
        coach=coach, enrollment=enrollment, started_at=now, assigned_by=assigned_by
    )
    assignment.full_clean()
    assignment.save()
    record(
        action="coaching.coach_assigned",
        by=assigned_by,
        target=enrollment,
        program=enrollment.cohort.program_id,
        details={
            "coach": coach.email,
            **({"previous_coach": current.coach.email} if current else {}),
        },
    )
    hooks.notify(notices.assignment_rows(assignments=[assignment], now=now))
    return assignment


@transaction.atomic
def coach_assign_cohort(
    *, cohort: Cohort, choices: dict, by: User, now: datetime.datetime | None = None
) -> list[CoachAssignment]:
    """Accepts the whole-cohort proposal as staff left it: `choices` maps each enrollment
    to its coach's user. All or nothing: a coach who would go over capacity, a conflict of
    interest, a fellow who has meanwhile got a coach or left the cohort refuses the lot, the
    reasons keyed by `assignment_field(enrollment)` so each shows next to its row. Each
    fellow and each coach is told once."""
    now = now or timezone.now()
    if not choices:
        return []
    coach_ids = {coach.pk for coach in choices.values()}
    profiles = {
        p.user_id: p
        for p in CoachProfile.objects.select_for_update()
        .filter(user_id__in=coach_ids, programs=cohort.program_id)
        .select_related("user")
    }
    active = dict(
        CoachAssignment.objects.active()
        .filter(coach_id__in=coach_ids)
        .values_list("coach_id")
        .annotate(n=Count("pk"))
    )
    taken = set(
        CoachAssignment.objects.active()
        .filter(enrollment__in=list(choices))
        .values_list("enrollment_id", flat=True)
    )
    wanted: dict[int, int] = {}
    for coach in choices.values():
        wanted[coach.pk] = wanted.get(coach.pk, 0) + 1
    errors = {}
    for enrollment, coach in choices.items():
        field = assignment_field(enrollment)
        profile = profiles.get(coach.pk)
        if enrollment.cohort_id != cohort.pk or enrollment.status != EnrollmentStatus.ACTIVE:
            errors[field] = f"{enrollment.user} is not an active fellow of {cohort.name}."
        elif enrollment.pk in taken:
            errors[field] = f"{enrollment.user} has been given a coach meanwhile."
        elif profile is None:
            errors[field] = f"{coach} does not coach for the program."
        elif score_coach(
            profile=profile,
            active_count=0,
            expertise_ids=set(),
            plan_competency_ids=set(),
            fellow_languages=[],
            fellow_state="",
            fellow_agency=enrollment.agency,
        ).conflict:
            errors[field] = f"{coach} has worked for {enrollment.agency}: a conflict of interest."
        elif active.get(coach.pk, 0) + wanted[coach.pk] > profile.capacity:
            errors[field] = (
                f"{coach} would coach {active.get(coach.pk, 0) + wanted[coach.pk]} fellows, "
                f"over their capacity of {profile.capacity}. Choose another coach for some."
            )
    if errors:
        raise ValidationError(errors)
    for enrollment in choices:
        enrollment.cohort = cohort  # the same cohort: the notices read its name
    assignments = CoachAssignment.objects.bulk_create(
        CoachAssignment(coach=coach, enrollment=enrollment, started_at=now, assigned_by=by)
        for enrollment, coach in choices.items()
    )
    for assignment in assignments:
        record(
            action="coaching.coach_assigned",
            by=by,
            target=assignment.enrollment,
            program=cohort.program_id,
            details={"coach": assignment.coach.email, "whole_cohort": True},
        )
    hooks.notify(notices.assignment_rows(assignments=assignments, now=now))
    return assignments


def assignment_field(enrollment: Enrollment) -> str:
    """The form field of one fellow's row on the whole-cohort assignment page."""
    return f"coach_{enrollment.code}"


@transaction.atomic
def coach_assignment_end(
    *, assignment: CoachAssignment, reason: str, now: datetime.datetime | None = None
) -> CoachAssignment:
    """Ends the assignment without naming a new coach: the fellow joins "fellows with no
    coach". The assignment stays as history."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the assignment ends."})
    locked = CoachAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.ended_at is not None:
        raise ValidationError("This assignment has already ended.")
    assignment.ended_at = now or timezone.now()
    assignment.end_reason = reason.strip()
    assignment.full_clean()
    assignment.save(update_fields=["ended_at", "end_reason", "updated_at"])
    enrollment = assignment.enrollment
    record(
        action="coaching.assignment_ended",
        target=enrollment,
        program=enrollment.cohort.program_id,
        details={"coach": assignment.coach.email},
    )
    return assignment


def _check_session_dates(session: CoachingSession, now: datetime.datetime) -> None:
    cohort = session.enrollment.cohort
    if session.starts_at is None:
        return
    local_date = cohort.local_date(session.starts_at)
    if not (
        cohort.start_date - datetime.timedelta(days=30)
        <= local_date
        <= cohort.end_date + datetime.timedelta(days=30)
    ):
        raise ValidationError(
            {
                "starts_at": f"Pick a date during the cohort year ({cohort.start_date:%-d %b %Y} – "
                f"{cohort.end_date:%-d %b %Y})."
            }
        )
    if session.status in SessionStatus.counting() and session.starts_at > now:
        raise ValidationError(
            {"status": "A session that has not happened yet cannot be completed or a no-show."}
        )


@sensitive_variables()
def _save_note(session: CoachingSession, author: User, private_note: str | None) -> None:
    if private_note is None:
        return
    if private_note.strip():
        note = PrivateNote.objects.by(author).filter(session=session).first() or PrivateNote(
            session=session, author=author
        )
        note.body = private_note
        note.full_clean()
        note.save()
    else:
        PrivateNote.objects.by(author).filter(session=session).delete()


@sensitive_variables()
@transaction.atomic
def coaching_session_create(
    *,
    enrollment: Enrollment,
    coach: User,
    data: dict,
    competencies: Iterable[Competency] = (),
    private_note: str | None = None,
    now: datetime.datetime | None = None,
) -> CoachingSession:
    """The coach schedules a session, or logs one after the fact."""
    now = now or timezone.now()
    if not CoachAssignment.objects.active().filter(enrollment=enrollment, coach=coach).exists():
        raise ValidationError("Only the fellow's coach can add sessions.")
    session = CoachingSession(
        enrollment=enrollment, coach=coach, **{n: data[n] for n in SESSION_FIELDS if n in data}
    )
    if session.status == SessionStatus.CANCELLED:
        session.cancelled_at = now
    if session.status in SessionStatus.counting():
        session.logged_at = now
    session.full_clean()
    _check_session_dates(session, now)
    session.save()
    session.competencies.set(competencies)
    _save_note(session, coach, private_note)
    return session


@sensitive_variables()
@transaction.atomic
def coaching_session_update(
    *,
    session: CoachingSession,
    by: User,
    data: dict,
    competencies: Iterable[Competency] | None = None,
    private_note: str | None = None,
    now: datetime.datetime | None = None,
) -> CoachingSession:
    """The coach edits or logs the outcome of their session. A change of time on a scheduled
    session bumps the calendar sequence and tells the attendees; so does a cancellation."""
    now = now or timezone.now()
    if session.coach_id != by.pk:
        raise ValidationError("Only the session's coach can change it.")
    if (
        not CoachAssignment.objects.active()
        .filter(enrollment=session.enrollment_id, coach=by)
        .exists()
    ):
        raise ValidationError(
            "Only the fellow's assigned coach can change a session; this assignment has ended."
        )
    old = CoachingSession.objects.select_for_update().get(pk=session.pk)
    changes = {name: data[name] for name in SESSION_FIELDS if name in data}
    status = changes.get("status", session.status)
    time_changed = (old.starts_at, old.duration_minutes) != (
        changes.get("starts_at", session.starts_at),
        changes.get("duration_minutes", session.duration_minutes),
    )
    cancelled = status == SessionStatus.CANCELLED and old.status != SessionStatus.CANCELLED
    if cancelled:
        changes["cancelled_at"] = now
    elif status != SessionStatus.CANCELLED:
        changes["cancelled_at"] = None
    if status in SessionStatus.counting() and old.status not in SessionStatus.counting():
        changes["logged_at"] = now
    announce = cancelled or (time_changed and status == SessionStatus.SCHEDULED)
    if announce:
        changes["sequence"] = old.sequence + 1
    model_update(session, data=changes)
    # The cohort's date rules read the saved session; when they refuse, the transaction
    # undoes the save.
    _check_session_dates(session, now)
    if competencies is not None:
        session.competencies.set(competencies)
    _save_note(session, by, private_note)
    if announce:
        hooks.calendar_event_changed(session, cancelled=cancelled)
    return session


@transaction.atomic
def coaching_session_reschedule(
    *,
    session: CoachingSession,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    now: datetime.datetime | None = None,
) -> CoachingSession:
    now = now or timezone.now()
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be moved.")
    if starts_at < now:
        raise ValidationError({"starts_at": "Move the session to a time that is still to come."})
    return coaching_session_update(
        session=session,
        by=by,
        data={"starts_at": starts_at, "duration_minutes": duration_minutes},
        now=now,
    )


@transaction.atomic
def coaching_session_cancel(
    *, session: CoachingSession, by: User, now: datetime.datetime | None = None
) -> CoachingSession:
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be cancelled.")
    return coaching_session_update(
        session=session, by=by, data={"status": SessionStatus.CANCELLED}, now=now
    )


@transaction.atomic
def coaching_session_reflect(
    *, session: CoachingSession, fellow: User, text: str, now: datetime.datetime | None = None
) -> CoachingSession:
    if session.enrollment.user_id != fellow.pk:
        raise ValidationError("Only the fellow can write their reflection.")
    session.fellow_reflection = text.strip()
    session.reflection_at = (now or timezone.now()) if session.fellow_reflection else None
    session.full_clean()
    session.save(update_fields=["fellow_reflection", "reflection_at", "updated_at"])
    return session


@transaction.atomic
def coaching_preferences_update(
    *,
    enrollment: Enrollment,
    share_summaries_with_staff: bool,
    languages: str = "",
    now: datetime.datetime | None = None,
) -> CoachingPreferences:
    prefs, _ = CoachingPreferences.objects.select_for_update().get_or_create(enrollment=enrollment)
    if prefs.share_summaries_with_staff != share_summaries_with_staff:
        prefs.share_summaries_with_staff = share_summaries_with_staff
        prefs.consent_changed_at = now or timezone.now()
        record(
            action="coaching.consent_changed",
            target=enrollment,
            program=enrollment.cohort.program_id,
            details={"share_summaries_with_staff": share_summaries_with_staff},
        )
    prefs.languages = languages
    prefs.full_clean()
    prefs.save()
    return prefs
