"""A person's own data, to download (JSON and CSV in one zip): their account and profile,
enrollments, plans, peer-group check-ins, self-assessments, coaching sessions (the facts,
the shared summary and their own reflection), for a coach the private notes they wrote
themselves, the announcements they wrote and when they opened those sent to them, their
applications (answers, the names of their documents, which letters were asked for and
whether they came, never their content), the reference letters they wrote, the reviews they
wrote and the 360° feedback invitations sent to them as a rater.
Never anyone else's private note: a fellow gets no note about them, whoever wrote it; an
applicant gets no letter about them and no reviewer's score. The app sits above every app
whose data it gathers (docs/ARCHITECTURE.md).

Every kind of row is read in one query: each section is a `values_list` of (section, key,
the row as a JSON object built by the database), and the sections are joined with UNION ALL,
so the cost stays the same however many kinds there are and however much each holds.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, JSONObject, Lower
from django.utils import timezone

from accounts.csv_export import csv_bom
from accounts.models import User
from action_plans.models import ActionPlan, Milestone, PlanComment, ProgressUpdate
from admissions.models import (
    Application,
    Conflict,
    Decision,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
)
from announcements.models import Announcement, AnnouncementRead
from coaching.models import CoachAssignment, CoachingSession, PrivateNote
from cohorts.models import Enrollment, ParticipantProfile
from curriculum.models import Attendance, Rating, SelfAssessment, Submission
from feedback.models import Answer, Receipt
from feedback360.models import Nomination
from networks.models import CheckIn

# Never exported whatever the model: secrets and internal keys.
SKIPPED_FIELDS = {"id", "password", "calendar_token", "sequence", "token_hash"}

Row = dict[str, Any]


def _value(value: object) -> object:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _own_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS and not f.is_relation
    ]


def _row(obj: models.Model, *, extra: Row | None = None) -> Row:
    row = {f.name: _value(getattr(obj, f.attname)) for f in _own_fields(obj._meta.model)}
    row.update(extra or {})
    return row


@dataclass(frozen=True)
class Section:
    """One kind of row: which rows, which of the model's own fields (all but secrets by
    default) and what else each row names through a join."""

    name: str
    rows: QuerySet
    extra: dict[str, Any] = field(default_factory=dict)
    only: tuple[str, ...] | None = None

    def fields(self) -> list[models.Field]:
        own = _own_fields(self.rows.model)
        return own if self.only is None else [f for f in own if f.name in self.only]

    def values(self) -> QuerySet:
        columns = {f.name: F(f.attname) for f in self.fields()}
        return (
            self.rows.order_by()
            .annotate(
                export_section=Value(self.name, output_field=models.CharField()),
                export_row=JSONObject(**columns, **self.extra),
                # Keys are numbers or (for anonymous answers) UUIDs: text joins both.
                export_key=Cast("pk", models.CharField()),
            )
            .values_list("export_section", "export_key", "export_row")
        )

    def clean(self, row: Row) -> Row:
        """The same types as the model gives, whatever the database's JSON made of them: a
        JSON field kept as text (SQLite) read back, a flag as true/false."""
        for f in self.fields():
            value = row.get(f.name)
            if isinstance(f, models.JSONField) and isinstance(value, str):
                row[f.name] = json.loads(value)
            elif isinstance(f, models.BooleanField) and value is not None:
                row[f.name] = bool(value)
        return row


def _cohort_label(prefix: str) -> Concat:
    return Concat(
        F(f"{prefix}program__name"),
        Value(" — "),
        F(f"{prefix}name"),
        output_field=models.CharField(),
    )


def _emails_of(user: User) -> Q:
    """Rows addressed to any of the person's addresses (a referee or rater has no account,
    only the address the applicant or fellow typed), whatever the letter case."""
    others = EmailAddress.objects.filter(user=user).annotate(low=Lower("email")).values("low")
    return Q(lowered__in=others) | Q(lowered=user.email.lower())


def _by_email(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(lowered=Lower("email"))


def sections(user: User) -> list[Section]:
    plans = ActionPlan.objects.filter(enrollment__user=user).values("pk")
    addressed = _emails_of(user)
    return [
        Section("profile", ParticipantProfile.objects.filter(user=user)),
        Section(
            "enrollments",
            Enrollment.objects.filter(user=user),
            {"cohort": _cohort_label("cohort__")},
        ),
        Section(
            "plans",
            ActionPlan.objects.filter(enrollment__user=user),
            {"cohort": _cohort_label("enrollment__cohort__")},
        ),
        Section(
            "milestones", Milestone.objects.filter(goal__plan__in=plans), {"goal": F("goal__title")}
        ),
        Section("plan_updates", ProgressUpdate.objects.filter(plan__in=plans)),
        Section(
            "plan_comments",
            PlanComment.objects.filter(plan__in=plans),
            {"author": F("author__full_name")},
        ),
        Section(
            "check_ins",
            CheckIn.objects.filter(enrollment__user=user),
            {"meeting": F("meeting__group__name"), "meeting_starts_at": F("meeting__starts_at")},
        ),
        Section(
            "session_attendance",
            Attendance.objects.filter(enrollment__user=user),
            {"session": F("session__title"), "session_starts_at": F("session__starts_at")},
        ),
        Section("submissions", Submission.objects.filter(enrollment__user=user)),
        Section(
            "self_assessments",
            SelfAssessment.objects.filter(enrollment__user=user),
            {"phase": F("window__phase")},
        ),
        Section(
            "self_assessment_ratings",
            Rating.objects.filter(assessment__enrollment__user=user),
            {"competency": F("competency__name"), "level": F("level__label")},
        ),
        # The session's facts, the summary shared with the fellow and their reflection: the
        # coach's private note is another model and never read here.
        Section(
            "coaching_sessions",
            CoachingSession.objects.filter(enrollment__user=user),
            {"coach": F("coach__full_name")},
        ),
        Section(
            "coach_assignments",
            CoachAssignment.objects.filter(enrollment__user=user),
            {"coach": F("coach__full_name")},
        ),
        Section(
            "announcements_written",
            Announcement.objects.filter(author=user),
            {
                "program": F("program__name"),
                "cohort": F("cohort__name"),
                "peer_group": F("peer_group__name"),
            },
        ),
        Section(
            "announcements_opened",
            AnnouncementRead.objects.filter(user=user),
            {"announcement": F("announcement__title")},
        ),
        # Answers to named surveys; anonymous answers hold no link to anyone, so they cannot
        # be found (nor given back) for a person: only the record that they answered.
        Section(
            "survey_answers_named",
            Answer.objects.filter(response__respondent=user),
            {"form": F("response__form__title"), "question": F("question__text")},
        ),
        Section(
            "evaluations_and_surveys_answered",
            Receipt.objects.filter(person=user),
            {"form": F("form__title")},
        ),
        # As a coach: the private notes this person wrote themselves (theirs alone).
        Section(
            "my_private_notes_as_coach",
            PrivateNote.objects.by(user),
            {"session": F("session__code")},
        ),
        # As an applicant: what they wrote and sent, the questions it answers, the decision.
        Section(
            "applications",
            Application.objects.filter(applicant=user),
            {"round": F("round__title")},
        ),
        Section(
            "application_questions",
            RoundQuestion.objects.filter(round__applications__applicant=user),
            {"question_id": F("pk"), "round": F("round__title")},
        ),
        # Who they asked for a letter and whether it came: never the letter, which is the
        # referee's.
        Section(
            "references_requested",
            ReferenceRequest.objects.filter(application__applicant=user),
            {"application": F("application__code")},
            only=("code", "name", "email", "sent_at", "received_at", "created_at"),
        ),
        Section(
            "application_decisions",
            Decision.objects.filter(application__applicant=user),
            {"application": F("application__code")},
        ),
        # As a referee: the letters they wrote, about someone else's application.
        Section(
            "reference_letters_written",
            _by_email(ReferenceRequest.objects.all()).filter(addressed),
            {"round": F("application__round__title")},
        ),
        # As a reviewer: their seats, the conflicts declared and the reviews they wrote.
        Section(
            "reviewer_seats",
            ReviewerSeat.objects.filter(user=user),
            {"round": F("round__title")},
        ),
        Section(
            "review_conflicts",
            Conflict.objects.filter(seat__user=user),
            {"application": F("application__code")},
        ),
        Section(
            "reviews_written",
            ReviewAssignment.objects.filter(seat__user=user),
            {"application": F("application__code"), "round": F("application__round__title")},
        ),
        # As a 360° rater: the invitations addressed to them (their answers are kept apart
        # from any name, so they cannot be found for a person).
        Section(
            "feedback_360_invitations",
            _by_email(Nomination.objects.all()).filter(addressed),
            only=("name", "email", "relationship", "status", "created_at"),
        ),
    ]


def _questions_named(data: dict[str, list[Row]]) -> None:
    """An application's answers are kept by question id: give them back by question."""
    texts = {str(q.pop("question_id")): q["text"] for q in data["application_questions"]}
    for application in data["applications"]:
        answers = application.get("answers") or {}
        application["answers"] = {texts.get(key, key): value for key, value in answers.items()}


def personal_data(user: User) -> dict[str, list[Row]]:
    """Section name -> its rows, in a fixed number of queries (one for every section)."""
    parts = sections(user)
    by_name = {s.name: s for s in parts}
    first, *rest = (s.values() for s in parts)
    data: dict[str, list[Row]] = {"account": [_row(user)], **{s.name: [] for s in parts}}
    # In each section in the order the rows were written (a number's text sorts by length).
    rows = sorted(first.union(*rest, all=True), key=lambda r: (r[0], len(r[1]), r[1]))
    for name, _key, row in rows:
        if isinstance(row, str):  # a backend that hands JSON back as text
            row = json.loads(row)
        data[name].append(by_name[name].clean(row))
    _questions_named(data)
    return data


def _csv(rows: Iterable[Row]) -> str:
    rows = list(rows)
    text = io.StringIO()
    header = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(text, fieldnames=header)
    writer.writeheader()
    writer.writerows(
        {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
        for row in rows
    )
    return csv_bom() + text.getvalue()


def personal_data_zip(user: User) -> bytes:
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps({"exported_at": timezone.now().isoformat(), **data}, indent=2, default=str),
        )
        for section, rows in data.items():
            if rows:
                archive.writestr(f"{section}.csv", _csv(rows))
    return buffer.getvalue()
