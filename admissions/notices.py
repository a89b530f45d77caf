"""What admissions tells applicants through the notification ledger: that their application
was received, and the committee's decision (in the round's own words, edited by staff).
Referees have no account: their link goes out by email of its own (admissions/emails.py)."""

from __future__ import annotations

from django.urls import reverse

from notifications.ledger import row, subject_label
from notifications.registry import Kind, Topic

ADMISSIONS = Topic(
    key="admissions",
    label="Your applications",
    order=95,
    audience=frozenset({"fellow"}),
    help_text="Confirmation that an application was received, and decisions on it.",
)


def _submitted_intro(payload: dict) -> str:
    return f"We received your application to {payload.get('round', 'the program')}."


def _submitted_lines(payload: dict, tz_name: str) -> list[str]:
    return (
        [f"Letters of reference still to come: {payload['letters']}"]
        if payload.get("letters")
        else []
    )


def _decision_intro(payload: dict) -> str:
    return payload.get("text", "")


SUBMITTED = Kind(
    key="adm_submitted",
    label="Application received",
    topic=ADMISSIONS.key,
    intro=_submitted_intro,
    lines=_submitted_lines,
    urgent=True,
)
DECISION = Kind(
    key="adm_decision",
    label="Decision on your application",
    topic=ADMISSIONS.key,
    intro=_decision_intro,
    urgent=True,
)

REVIEWER = Kind(
    key="adm_reviewer",
    label="You are a reviewer",
    topic=ADMISSIONS.key,
    intro=lambda payload: (
        f"You are invited to review applications to {payload.get('round', 'a round')}. "
        "Sign in with this address (choose “Send me a sign-in code” if you have no password) "
        "to see the applications assigned to you."
    ),
    urgent=True,
)

TOPICS = [ADMISSIONS]
KINDS = [SUBMITTED, DECISION, REVIEWER]


def _status_url(application) -> str:
    return reverse("admissions:application_status", kwargs={"code": application.code})


def submitted_row(application, *, now):
    missing = sum(1 for r in application.references.all() if not r.has_arrived)
    return row(
        recipient_id=application.applicant_id,
        kind=SUBMITTED.key,
        subject_type=subject_label(application),
        subject_id=application.pk,
        occurrence="submitted",
        due_at=now,
        title=f"Application received: {application.round.title}",
        url=_status_url(application),
        payload={"round": application.round.title, "letters": missing},
    )


def decision_row(decision, *, now):
    application = decision.application
    round_ = application.round
    text = round_.decision_text(decision.outcome).replace("{cohort}", round_.cohort.name)
    return row(
        recipient_id=application.applicant_id,
        kind=DECISION.key,
        subject_type=subject_label(application),
        subject_id=application.pk,
        # A waitlisted applicant moved up later hears again.
        occurrence=f"{decision.outcome}:{now.isoformat()}",
        due_at=now,
        title=f"Your application to {round_.cohort.name}",
        url=_status_url(application),
        payload={"text": text, "outcome": decision.outcome},
    )


def reviewer_row(seat, *, now):
    round_ = seat.round
    return row(
        recipient_id=seat.user_id,
        kind=REVIEWER.key,
        subject_type=subject_label(seat),
        subject_id=seat.pk,
        occurrence="seat",
        due_at=now,
        title=f"Reviewing: {round_.title}",
        url=reverse("admissions:my_reviews", kwargs={"code": round_.code}),
        payload={"round": round_.title},
    )
