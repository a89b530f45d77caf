"""Session evaluations through the notification ledger (the sweep runs `scan`).

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

from cohorts.models import Enrollment, EnrollmentStatus
from curriculum.models import Attendance, Session
from notifications.ledger import row
from notifications.models import Notification
from notifications.timeutil import iso

from .models import Evaluation, Receipt
from .occasions import ATTENDED

ASK_KIND = "feedback_evaluation"
REMINDER_KIND = "feedback_eval_reminder"


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
