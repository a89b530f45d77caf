"""A person's own data, to download (JSON and CSV in one zip): their account and profile,
enrollments, plans, peer-group check-ins, self-assessments, coaching sessions (the facts,
the shared summary and their own reflection), for a coach the private notes they wrote
themselves, and the announcements they wrote and when they opened those sent to them.
Never anyone else's private note: a fellow gets no note about them, whoever wrote it. The
app sits above every app whose data it gathers (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import uuid
import zipfile

from django.db import models
from django.utils import timezone

from accounts.csv_export import csv_bom
from action_plans.models import ActionPlan, Milestone, PlanComment, ProgressUpdate
from announcements.models import Announcement, AnnouncementRead
from coaching.models import CoachAssignment, CoachingSession, PrivateNote
from cohorts.models import Enrollment, ParticipantProfile
from curriculum.models import Attendance, Rating, SelfAssessment, Submission
from feedback.models import Answer, Receipt
from networks.models import CheckIn

# Never exported whatever the model: secrets and internal keys.
SKIPPED_FIELDS = {"id", "password", "calendar_token", "sequence"}


def _value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _row(obj, *, extra: dict | None = None) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.is_relation:
            continue
        row[field.name] = _value(getattr(obj, field.attname))
    row.update(extra or {})
    return row


def personal_data(user) -> dict[str, list[dict]]:
    enrollments = list(
        Enrollment.objects.filter(user=user).select_related("cohort__program").order_by("pk")
    )
    cohort_of = {e.pk: f"{e.cohort.program.name} — {e.cohort.name}" for e in enrollments}
    plans = ActionPlan.objects.filter(enrollment__user=user)
    sessions = CoachingSession.objects.filter(enrollment__user=user).select_related("coach")
    data = {
        "account": [_row(user)],
        "profile": [_row(p) for p in ParticipantProfile.objects.filter(user=user)],
        "enrollments": [_row(e, extra={"cohort": cohort_of[e.pk]}) for e in enrollments],
        "plans": [_row(p, extra={"cohort": cohort_of.get(p.enrollment_id, "")}) for p in plans],
        "milestones": [
            _row(m, extra={"goal": m.goal.title})
            for m in Milestone.objects.filter(goal__plan__in=plans).select_related("goal")
        ],
        "plan_updates": [_row(u) for u in ProgressUpdate.objects.filter(plan__in=plans)],
        "plan_comments": [
            _row(c, extra={"author": str(c.author) if c.author_id else ""})
            for c in PlanComment.objects.filter(plan__in=plans).select_related("author")
        ],
        "check_ins": [
            _row(c, extra={"meeting": str(c.meeting)})
            for c in CheckIn.objects.filter(enrollment__user=user).select_related("meeting__group")
        ],
        "session_attendance": [
            _row(a, extra={"session": str(a.session)})
            for a in Attendance.objects.filter(enrollment__user=user).select_related("session")
        ],
        "submissions": [_row(s) for s in Submission.objects.filter(enrollment__user=user)],
        "self_assessments": [
            _row(a, extra={"phase": a.window.phase})
            for a in SelfAssessment.objects.filter(enrollment__user=user).select_related("window")
        ],
        "self_assessment_ratings": [
            _row(r, extra={"competency": str(r.competency), "level": str(r.level)})
            for r in Rating.objects.filter(assessment__enrollment__user=user).select_related(
                "competency", "level"
            )
        ],
        "coaching_sessions": [
            # The session's facts, the summary shared with the fellow and their reflection:
            # the coach's private note is another model and never read here.
            _row(s, extra={"coach": str(s.coach)})
            for s in sessions
        ],
        "coach_assignments": [
            _row(a, extra={"coach": str(a.coach)})
            for a in CoachAssignment.objects.filter(enrollment__user=user).select_related("coach")
        ],
        "announcements_written": [
            _row(a, extra={"audience": a.audience_label})
            for a in Announcement.objects.filter(author=user).select_related(
                "program", "cohort", "peer_group"
            )
        ],
        "announcements_opened": [
            _row(r, extra={"announcement": r.announcement.title})
            for r in AnnouncementRead.objects.filter(user=user).select_related("announcement")
        ],
        # Answers to named surveys; anonymous answers hold no link to anyone, so they cannot
        # be found (nor given back) for a person: only the record that they answered.
        "survey_answers_named": [
            _row(
                a,
                extra={"form": a.response.form.title, "question": a.question.text},
            )
            for a in Answer.objects.filter(response__respondent=user).select_related(
                "response__form", "question"
            )
        ],
        "evaluations_and_surveys_answered": [
            _row(r, extra={"form": r.form.title})
            for r in Receipt.objects.filter(person=user).select_related("form")
        ],
        # As a coach: the private notes this person wrote themselves (theirs alone).
        "my_private_notes_as_coach": [
            _row(n, extra={"session": str(n.session.code)})
            for n in PrivateNote.objects.by(user).select_related("session")
        ],
    }
    return data


def personal_data_zip(user) -> bytes:
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps({"exported_at": timezone.now().isoformat(), **data}, indent=2, default=str),
        )
        for section, rows in data.items():
            if not rows:
                continue
            text = io.StringIO()
            header = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(text, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{section}.csv", csv_bom() + text.getvalue())
    return buffer.getvalue()
