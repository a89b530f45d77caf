"""Session evaluations, program surveys and coaching feedback through the notification
ledger (the sweep runs `scan`, `survey_scan` and `coaching_scan`).

Surveys: each active fellow of the cohort is asked on the window's first morning (cohort's
zone), reminded once halfway through if they have not answered (the `Receipt`, so anonymous
surveys work the same), and the rows and links expire when the window ends. Coaching: the
fellow is asked when a completed coaching session has ended, reminded once three days later,
and it closes after COACHING_OPEN_DAYS.

When a session an evaluation covers has ended, each fellow marked present (or, without
attendance, each active fellow of the cohort) gets the evaluation; those who have not
answered get one reminder `remind_after_days` later; it closes `open_days` after the session
(rows not sent by then are skipped as stale, and links stop recording). A fixed number of
queries whatever the number of sessions and fellows; the ledger's unique key (recipient,
kind, form, "session:<id>") makes running it every few minutes harmless.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse

from coaching.models import CoachingSession, SessionStatus
from cohorts.models import Enrollment, EnrollmentStatus
from curriculum.models import Attendance, Session
from notifications.ledger import row
from notifications.models import Notification
from notifications.timeutil import iso

from .models import Evaluation, Form, FormPurpose, Receipt, Survey
from .occasions import ATTENDED, COACHING_OPEN_DAYS

ASK_KIND = "feedback_evaluation"
REMINDER_KIND = "feedback_eval_reminder"
SURVEY_KIND = "feedback_survey"
SURVEY_REMINDER_KIND = "feedback_survey_reminder"
COACHING_KIND = "feedback_coaching"
COACHING_REMINDER_KIND = "feedback_coach_reminder"
COACHING_REMIND_AFTER = datetime.timedelta(days=3)


def _occasion(session_id: int) -> str:
    return f"session:{session_id}"


def scan(now: datetime.datetime) -> list[Notification]:
    evaluations = list(
        Evaluation.objects.filter(form__closed_at__isnull=True).select_related("form", "cohort")
    )
    if not evaluations:
        return []
    longest = max(e.open_days for e in evaluations)
    sessions = list(
        Session.objects.held_before(now).filter(
            cohort_id__in={e.cohort_id for e in evaluations},
            ends_at__gt=now - datetime.timedelta(days=longest),
        )
    )
    pairs = []  # (evaluation, session): a session matched by its own evaluation first
    for session in sessions:
        own = [e for e in evaluations if e.session_id == session.pk]
        by_kind = [
            e
            for e in evaluations
            if e.cohort_id == session.cohort_id and e.session_kind == session.kind
        ]
        seen_forms = set()
        for evaluation in own + by_kind:
            if evaluation.form_id in seen_forms:
                continue
            seen_forms.add(evaluation.form_id)
            if now < evaluation.closes_at(session.ends_at):
                pairs.append((evaluation, session))
    if not pairs:
        return []
    session_ids = {s.pk for _e, s in pairs}
    # Sessions where attendance was taken: only those marked present are asked.
    taken = set(
        Attendance.objects.filter(session_id__in=session_ids)
        .values_list("session_id", flat=True)
        .distinct()
    )
    attended = defaultdict(set)
    for session_id, enrollment_id in Attendance.objects.filter(
        session_id__in=session_ids, status__in=ATTENDED
    ).values_list("session_id", "enrollment_id"):
        attended[session_id].add(enrollment_id)
    fellows = defaultdict(list)
    for enrollment in Enrollment.objects.filter(
        cohort_id__in={s.cohort_id for s in sessions},
        status__in=EnrollmentStatus.with_cohort_access(),
    ).values("pk", "cohort_id", "user_id", "status"):
        fellows[enrollment["cohort_id"]].append(enrollment)
    answered = set(
        Receipt.objects.filter(
            form_id__in={e.form_id for e, _s in pairs},
            occasion__in=[_occasion(pk) for pk in session_ids],
        ).values_list("form_id", "person_id", "occasion")
    )
    rows = []
    for evaluation, session in pairs:
        closes_at = evaluation.closes_at(session.ends_at)
        remind_at = session.ends_at + datetime.timedelta(days=evaluation.remind_after_days)
        occasion = _occasion(session.pk)
        for enrollment in fellows[session.cohort_id]:
            if session.pk in taken:
                if enrollment["pk"] not in attended[session.pk]:
                    continue
            elif enrollment["status"] != EnrollmentStatus.ACTIVE:
                continue
            if (evaluation.form_id, enrollment["user_id"], occasion) in answered:
                continue
            for kind, due_at in ((ASK_KIND, session.ends_at), (REMINDER_KIND, remind_at)):
                if due_at > now:
                    continue
                rows.append(
                    row(
                        recipient_id=enrollment["user_id"],
                        kind=kind,
                        subject_type="feedback.form",
                        subject_id=evaluation.form_id,
                        occurrence=occasion,
                        due_at=due_at,
                        expires_at=closes_at,
                        enrollment_id=enrollment["pk"],
                        title=("Reminder: how was " if kind == REMINDER_KIND else "How was ")
                        + f"“{session.title}”?",
                        url=reverse(
                            "feedback:answer",
                            kwargs={"code": evaluation.form.code, "occasion": occasion},
                        ),
                        payload={
                            "form_id": evaluation.form_id,
                            "occasion": occasion,
                            "session": session.title,
                            "ended_at": iso(session.ends_at),
                            "closes_at": iso(closes_at),
                        },
                    )
                )
    return rows


def _asks(*, recipient_id, enrollment_id, form, occasion, steps, closes_at, now, title, payload):
    """The ask and the reminder rows that are due: (kind, due_at, title prefix) each."""
    rows = []
    for kind, due_at, prefix in steps:
        if due_at is None or due_at > now or now >= closes_at:
            continue
        rows.append(
            row(
                recipient_id=recipient_id,
                kind=kind,
                subject_type="feedback.form",
                subject_id=form.pk,
                occurrence=occasion,
                due_at=due_at,
                expires_at=closes_at,
                enrollment_id=enrollment_id,
                title=prefix + title,
                url=reverse("feedback:answer", kwargs={"code": form.code, "occasion": occasion}),
                payload={
                    "form_id": form.pk,
                    "occasion": occasion,
                    "closes_at": iso(closes_at),
                    **payload,
                },
            )
        )
    return rows


def survey_scan(now: datetime.datetime) -> list[Notification]:
    """Open survey windows: ask each active fellow once, remind once those who have not
    answered (three queries)."""
    surveys = [
        s
        for s in Survey.objects.filter(
            form__closed_at__isnull=True,
            opens_on__lte=now.date() + datetime.timedelta(days=1),
            closes_on__gte=now.date() - datetime.timedelta(days=1),
        ).select_related("form", "cohort")
        if s.asks_at <= now < s.ends_at
    ]
    if not surveys:
        return []
    fellows = defaultdict(list)
    for e in Enrollment.objects.filter(
        cohort_id__in={s.cohort_id for s in surveys}, status=EnrollmentStatus.ACTIVE
    ).values("pk", "user_id", "cohort_id"):
        fellows[e["cohort_id"]].append(e)
    answered = set(
        Receipt.objects.filter(
            form_id__in={s.form_id for s in surveys}, occasion__in=[s.occasion for s in surveys]
        ).values_list("form_id", "person_id", "occasion")
    )
    rows = []
    for survey in surveys:
        # A window opened after its reminder moment gets no reminder: never two at once.
        remind_at = survey.reminds_at if survey.created_at < survey.reminds_at else None
        name = f"{survey.get_phase_display().lower()} survey: {survey.form.title}"
        for e in fellows[survey.cohort_id]:
            if (survey.form_id, e["user_id"], survey.occasion) in answered:
                continue
            rows += _asks(
                recipient_id=e["user_id"],
                enrollment_id=e["pk"],
                form=survey.form,
                occasion=survey.occasion,
                steps=[
                    (SURVEY_KIND, survey.asks_at, "Your "),
                    (SURVEY_REMINDER_KIND, remind_at, "Reminder: your "),
                ],
                closes_at=survey.ends_at,
                now=now,
                title=name,
                payload={"what": name, "phase": survey.phase},
            )
    return rows


def coaching_scan(now: datetime.datetime) -> list[Notification]:
    """Completed coaching sessions of the last COACHING_OPEN_DAYS: the fellow is asked to
    rate it, and reminded once (three queries)."""
    open_for = datetime.timedelta(days=COACHING_OPEN_DAYS)
    forms = {}
    for form in Form.objects.filter(purpose=FormPurpose.COACHING, closed_at__isnull=True).order_by(
        "created_at"
    ):
        forms[form.program_id] = form  # the newest open form of each program
    if not forms:
        return []
    sessions = [
        c
        for c in CoachingSession.objects.filter(
            status=SessionStatus.COMPLETED,
            starts_at__gt=now - open_for - datetime.timedelta(days=1),
            starts_at__lte=now,
            enrollment__status=EnrollmentStatus.ACTIVE,
            enrollment__cohort__program_id__in=list(forms),
        ).select_related("enrollment__cohort")
        if c.ends_at <= now < c.ends_at + open_for
    ]
    if not sessions:
        return []
    answered = set(
        Receipt.objects.filter(
            form_id__in={f.pk for f in forms.values()},
            occasion__in=[f"coaching:{c.pk}" for c in sessions],
        ).values_list("form_id", "person_id", "occasion")
    )
    rows = []
    for c in sessions:
        form = forms[c.enrollment.cohort.program_id]
        occasion = f"coaching:{c.pk}"
        if (form.pk, c.enrollment.user_id, occasion) in answered:
            continue
        remind_at = c.ends_at + COACHING_REMIND_AFTER
        rows += _asks(
            recipient_id=c.enrollment.user_id,
            enrollment_id=c.enrollment_id,
            form=form,
            occasion=occasion,
            steps=[
                (COACHING_KIND, c.ends_at, "How was "),
                # Marked completed long after it took place: the ask alone, never two at once.
                (
                    COACHING_REMINDER_KIND,
                    remind_at if c.updated_at < remind_at else None,
                    "Reminder: how was ",
                ),
            ],
            closes_at=c.ends_at + open_for,
            now=now,
            title="your coaching session?",
            payload={"what": "your coaching session"},
        )
    return rows


def already_answered(rows: list[Notification]) -> dict[int, str]:
    """Evaluations and reminders whose recipient answered since the row was written."""
    answered = set(
        Receipt.objects.filter(
            person_id__in={n.recipient_id for n in rows},
            form_id__in={n.payload.get("form_id") for n in rows},
        ).values_list("form_id", "person_id", "occasion")
    )
    return {
        n.pk: "already answered"
        for n in rows
        if (n.payload.get("form_id"), n.recipient_id, n.payload.get("occasion")) in answered
    }
