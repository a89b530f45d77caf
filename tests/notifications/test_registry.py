"""The registry: apps declare their kinds, topics, scans and calendar sources; the pipeline
(sweep, ledger, delivery, email, feed, preferences page) knows nothing else."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from cohorts.models import EnrollmentStatus
from notifications import registry
from notifications.delivery import deliver_batch
from notifications.emails import build_email, describe
from notifications.ledger import absolute, event_snapshot, row
from notifications.models import Delivery, Notification, NotificationPreference, State
from notifications.notices import DAILY_DIGEST
from notifications.services import preferences_save, settings_for
from notifications.sweep import run_sweep, write_due

from ..factories.notifications import PendingNotificationFactory
from .conftest import FakeEvent, at

NOW = "2026-11-09 15:00:00+00:00"  # 10 AM in New York, outside quiet hours

# Every kind rows were written with before kinds were registered by their apps: ledger rows
# of these keys exist and must still render.
KEYS_IN_THE_LEDGER = {
    "session_24h",
    "session_1h",
    "coaching_24h",
    "coaching_1h",
    "meeting_24h",
    "meeting_1h",
    "event_updated",
    "event_cancelled",
    "milestone_soon",
    "milestone_due",
    "milestone_overdue",
    "plan_silent",
    "plan_comment",
    "coach_log",
    "staff_digest",
    "daily_digest",
}


def test_the_apps_register_every_kind_the_ledger_holds_and_nothing_is_amiss():
    assert set(registry.REGISTRY.kinds) >= KEYS_IN_THE_LEDGER
    assert registry.REGISTRY.problems() == []
    assert registry.scans() and registry.skip_rules()


# --- An unknown kind fails loudly ----------------------------------------------------------


def test_an_unknown_kind_is_named_when_looked_up():
    with pytest.raises(registry.UnknownKind, match="'evaluation_due'"):
        registry.kind("evaluation_due")


@time_machine.travel(NOW, tick=False)
def test_a_scan_writing_an_unknown_kind_writes_nothing(cast):
    def scan(now):
        return [_row(cast.fellow, "milestone_due"), _row(cast.peer, "milestone_dew")]

    with pytest.raises(registry.UnknownKind, match="milestone_dew"):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan])
    assert not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_row_of_an_unknown_kind_fails_on_its_own_and_the_rest_are_sent(cast, outbox):
    lost = PendingNotificationFactory(recipient=cast.fellow, kind="retired_kind")
    fine = PendingNotificationFactory(recipient=cast.peer)
    with pytest.raises(registry.UnknownKind):
        build_email(lost, now=datetime.datetime.now(datetime.UTC))

    outcome = deliver_batch([lost.pk, fine.pk])

    assert outcome.failed == [lost.pk] and outcome.sent == [fine.pk]
    assert [m.to for m in outbox] == [[cast.peer.email]]
    lost.refresh_from_db()
    assert (lost.state, lost.attempts, lost.last_error) == (State.PENDING, 1, "UnknownKind")


def test_two_apps_cannot_claim_the_same_key():
    copy = registry.REGISTRY.copy()
    taken = copy.kinds["plan_comment"]
    copy.register(taken)  # the same declaration again is harmless
    with pytest.raises(ValueError, match="plan_comment"):
        copy.register(registry.Kind(key="plan_comment", label="Another", topic=None))


def test_the_system_check_names_what_is_wrong_with_a_registration():
    bad = registry.Registry()
    bad.register(
        registry.Topic(key="evaluations", label="Evaluations", order=1, audience=frozenset()),
        registry.Kind(key="evaluation_due_" + "x" * 20, label="Too long", topic="evaluations"),
        registry.Kind(key="evaluation_closed", label="Orphan", topic="nowhere"),
        registry.Kind(key="evaluation_report", label="Half", topic=None, template="x/y"),
    )
    problems = "\n".join(bad.problems())
    assert "longer than 24" in problems
    assert "'evaluation_closed' has the unregistered topic 'nowhere'" in problems
    assert "'evaluation_report' needs both a template and a context" in problems
    assert "Topic 'evaluations' needs an audience" in problems


# --- Every registered kind renders ----------------------------------------------------------


def _row(user, kind, **fields):
    values = {
        "recipient_id": user.pk,
        "kind": kind,
        "subject_type": "tests.thing",
        "subject_id": 1,
        "occurrence": "once",
        "due_at": datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1),
        "title": "Something to know",
        "url": "/notifications/",
    }
    values.update(fields)
    return row(**values)


def _sample_payload(kind, cast) -> dict:
    """What the kind's rows carry. A new kind needs a sample here (or is a calendar event)."""
    if kind.is_event:
        event = FakeEvent(starts_at=at("2026-11-10T15:00:00+00:00"), location_text="Room 4")
        return event_snapshot(event, with_name="Cora Coach")
    samples = {
        "milestone_soon": {"milestone": "Brief", "due_date": "2026-12-01", "plan": "CHW plan"},
        "milestone_due": {"milestone": "Brief", "due_date": "2026-12-01", "plan": "CHW plan"},
        "milestone_overdue": {"milestone": "Brief", "due_date": "2026-12-01", "plan": "P"},
        "plan_silent": {"plan": "CHW plan", "days": 30, "last_update": "2026-10-01"},
        "plan_comment": {"author": "Cora Coach", "plan": "CHW plan", "excerpt": "Nice work"},
        "coach_log": {"with_name": "Fiona Fellow", "starts_at": "2026-11-08T15:00:00+00:00"},
        "coach_given": {"coach": "Cora Coach", "cohort": "2026–2027 cohort"},
        "fellows_given": {"fellows": ["Fiona Fellow", "Pedro Peer"]},
        "plan_submitted": {"fellow": "Fiona Fellow", "plan": "P", "cohort": "C", "again": True},
        "plan_reviewed": {"plan": "CHW plan", "approved": False, "note": "Name the payers."},
        "staff_digest": {"program_id": cast.program.pk},
        "f360_nominate": {"phase": "Baseline", "closes_on": "2026-12-20"},
        "f360_decided": {"phase": "Baseline", "approved": 0, "declined": 2, "reason": "Why"},
        "f360_report_ready": {"phase": "Final", "answers": 7},
        "results_yearly": {"years": 1, "program": "HELI", "cohort": "2025 cohort", "plan": "P"},
        "feedback_evaluation": {
            "form_id": 0,
            "occasion": "session:1",
            "session": "Monthly session",
            "closes_at": "2026-11-17T15:00:00+00:00",
        },
        "feedback_eval_reminder": {
            "form_id": 0,
            "occasion": "session:1",
            "session": "Monthly session",
            "closes_at": "2026-11-17T15:00:00+00:00",
        },
        "feedback_survey": {
            "form_id": 0,
            "occasion": "survey:1",
            "what": "start survey: Where you start",
            "closes_at": "2026-11-17T05:00:00+00:00",
        },
        "feedback_survey_reminder": {
            "form_id": 0,
            "occasion": "survey:1",
            "what": "start survey: Where you start",
            "closes_at": "2026-11-17T05:00:00+00:00",
        },
        "feedback_coaching": {
            "form_id": 0,
            "occasion": "coaching:1",
            "what": "your coaching session",
            "closes_at": "2026-11-17T15:00:00+00:00",
        },
        "feedback_coach_reminder": {
            "form_id": 0,
            "occasion": "coaching:1",
            "what": "your coaching session",
            "closes_at": "2026-11-17T15:00:00+00:00",
        },
        "announcement": {"title": "Room", "audience": "Fellows of 2026", "text": "Room 4"},
        "announcement_important": {"title": "Closed", "author": "Sam", "attachment": "a.pdf"},
        # Rows addressed to a rater's email (no account): see _email_only_row.
        "f360_rater_invitation": {"recipient_name": "Ivy Invited", "time_zone": "UTC"},
        "f360_rater_reminder": {"recipient_name": "Ivy Invited", "time_zone": "UTC"},
        "adm_submitted": {"round": "Applications 2027", "letters": 1},
        "adm_decision": {"text": "We are glad to offer you a place.", "outcome": "accept"},
        "adm_reviewer": {"round": "Applications 2027"},
    }
    assert kind.key in samples, f"add a sample payload for the kind {kind.key!r} here"
    return samples[kind.key]


SENT_ALONE = sorted(set(registry.REGISTRY.kinds) - {DAILY_DIGEST.key})
# Kinds whose rows are addressed to an email, about a 360° nomination.
EMAIL_ONLY = {"f360_rater_invitation", "f360_rater_reminder"}


def _email_only_row(cast, n):
    from ..factories.feedback360 import build_feedback

    nomination = build_feedback(cast).invited
    n.recipient, n.recipient_id, n.recipient_email = None, None, nomination.email
    n.subject_type, n.subject_id = "feedback360.nomination", nomination.pk
    n.occurrence = "invitation"
    return n


@pytest.mark.parametrize("key", SENT_ALONE)
@time_machine.travel(NOW, tick=False)
def test_every_registered_kind_renders_a_subject_an_intro_and_a_link(cast, key):
    kind = registry.kind(key)
    recipient = cast.staff if key == "staff_digest" else cast.fellow
    n = _row(recipient, key, url="/somewhere/", payload=_sample_payload(kind, cast))
    n.recipient = recipient
    if key in EMAIL_ONLY:
        n = _email_only_row(cast, n)
    n.code = "00000000-0000-0000-0000-000000000001"
    now = datetime.datetime.now(datetime.UTC)

    words = describe(n, n.time_zone)
    assert words["subject"] == "Something to know"
    assert words["intro"].strip() and all(isinstance(line, str) for line in words["lines"])

    message = build_email(n, now=now)
    assert message.subject == "[Cohortwise] Something to know"
    html = message.alternatives[0][0]
    if not kind.template:
        assert words["intro"] in message.body
        assert f"Open in Cohortwise: {settings.SITE_URL}/somewhere/" in message.body
        assert f'href="{settings.SITE_URL}/somewhere/"' in html
    assert settings.SITE_URL in message.body  # a way back to Cohortwise, whatever the kind
    assert bool(message.attachments) == kind.is_event

    digest = _row(recipient, DAILY_DIGEST.key)
    digest.recipient = recipient
    digest.code = n.code
    in_digest = build_email(digest, now=now, held=[n]).body
    assert "Something to know" in in_digest and words["intro"] in in_digest
    assert f"{settings.SITE_URL}/somewhere/" in in_digest


# --- A kind added by another app, with no change to the notifications app -----------------

EVALUATIONS = registry.Topic(
    key="evaluations",
    label="Session evaluations to fill in",
    order=45,
    audience=frozenset({"fellow"}),
    help_text="After each session, a short evaluation form.",
)


def _evaluation_intro(payload):
    return f"Tell us how “{payload['session']}” went."


def _evaluation_lines(payload, tz_name):
    return [f"Open until: {payload['closes']} ({tz_name})"]


def _closed_evaluations(rows):
    return {n.pk: "evaluation closed" for n in rows if n.payload.get("closed")}


EVALUATION_DUE = registry.Kind(
    key="evaluation_due",
    label="Session evaluation to fill in",
    topic=EVALUATIONS.key,
    intro=_evaluation_intro,
    lines=_evaluation_lines,
    skip=_closed_evaluations,
)


@pytest.fixture
def evaluations(monkeypatch, cast):
    """A stand-in app registering its topic, kind, scan and calendar source, as a future
    evaluations app would in its AppConfig.ready()."""
    monkeypatch.setattr(registry, "REGISTRY", registry.REGISTRY.copy())
    found = {"closed": False}

    def scan(now):
        return [
            row(
                recipient_id=cast.fellow.pk,
                kind=EVALUATION_DUE.key,
                subject_type="evaluations.form",
                subject_id=7,
                occurrence="open",
                due_at=now,
                enrollment_id=cast.enrollments["fellow"].pk,
                title="Evaluate: Systems thinking",
                url="/evaluations/7/",
                payload={"session": "Systems thinking", "closes": "Friday", **found},
            )
        ]

    def calendar_events(user):
        event = FakeEvent(starts_at=at("2026-11-20T15:00:00+00:00"), title="Evaluation clinic")
        return [event_snapshot(event, url=absolute("/evaluations/"))] if user == cast.fellow else []

    registry.register(EVALUATIONS, EVALUATION_DUE, scans=[scan], calendar_events=[calendar_events])
    return found


@time_machine.travel(NOW, tick=False)
def test_a_kind_registered_by_another_app_goes_through_sweep_ledger_and_email(
    cast, evaluations, outbox, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = run_sweep()  # the registered scans, the new one among them
    note = Notification.objects.get(kind=EVALUATION_DUE.key)
    assert report.written >= 1 and note.recipient == cast.fellow
    assert note.state == State.SENT and note.get_kind_display() == EVALUATION_DUE.label
    (message,) = [m for m in outbox if "Evaluate" in m.subject]
    assert message.subject == "[Cohortwise] Evaluate: Systems thinking"
    assert "Tell us how “Systems thinking” went." in message.body
    assert "Open until: Friday (America/New_York)" in message.body
    assert f"{settings.SITE_URL}/evaluations/7/" in message.body
    assert not message.attachments
    # A second sweep finds the same row in the ledger and writes nothing.
    run_sweep()
    assert Notification.objects.filter(kind=EVALUATION_DUE.key).count() == 1
    # The in-app list names the kind.
    body = client_for("fellow").get(reverse("notifications:list")).content.decode()
    assert "Evaluate: Systems thinking" in body and EVALUATION_DUE.label in body


@time_machine.travel(NOW, tick=False)
def test_the_new_kind_follows_its_topics_choice_and_its_own_skip_rule(
    cast, evaluations, send_due, outbox
):
    preferences_save(
        user=cast.fellow,
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(7, 0),
        deliveries={EVALUATIONS.key: Delivery.DIGEST},
    )
    write_due(datetime.datetime.now(datetime.UTC))
    send_due()
    note = Notification.objects.get(kind=EVALUATION_DUE.key)
    assert note.state == State.HELD
    assert not [m for m in outbox if m.to == [cast.fellow.email]]

    evaluations["closed"] = True
    Notification.objects.all().delete()
    write_due(datetime.datetime.now(datetime.UTC))
    send_due()
    note = Notification.objects.get(kind=EVALUATION_DUE.key)
    assert (note.state, note.skip_reason) == (State.SKIPPED, "evaluation closed")


@time_machine.travel(NOW, tick=False)
def test_the_new_kind_is_never_sent_to_a_withdrawn_fellow(cast, evaluations, send_due, outbox):
    enrollment = cast.enrollments["fellow"]
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_on = datetime.date(2026, 11, 8)
    enrollment.save()
    write_due(datetime.datetime.now(datetime.UTC))
    send_due()
    note = Notification.objects.get(kind=EVALUATION_DUE.key)
    assert (note.state, note.skip_reason) == (State.SKIPPED, "withdrawn")
    assert not [m for m in outbox if m.to == [cast.fellow.email]]


def test_a_registered_topic_appears_on_the_preferences_page_of_its_audience(
    cast, evaluations, client_for
):
    fellow_page = client_for("fellow").get(reverse("notifications:preferences"))
    body = fellow_page.content.decode()
    assert EVALUATIONS.label in body and EVALUATIONS.help_text in body
    # In its order: after calendar changes (40), before milestone nudges (50).
    assert (
        body.index("Moved or cancelled")
        < body.index(EVALUATIONS.label)
        < body.index("Milestone nudges")
    )
    staff_page = client_for("staff").get(reverse("notifications:preferences")).content.decode()
    assert EVALUATIONS.label not in staff_page

    data = {"quiet_start": "21:00", "quiet_end": "07:00"}
    data.update({f"topic_{t.key}": "immediate" for t in registry.topics()})
    data["topic_evaluations"] = "none"
    response = client_for("fellow").post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=cast.fellow, topic="evaluations").delivery == (
        Delivery.NONE
    )


def test_every_registered_topic_is_offered_to_its_audience(client_for):
    pages = {
        role: client_for(role).get(reverse("notifications:preferences")).content.decode()
        for role in ("fellow", "coach", "staff")
    }
    audience_of_role = {"fellow": "fellow", "coach": "coach", "staff": "staff"}
    for topic in registry.topics():
        for role, page in pages.items():
            offered = f'name="topic_{topic.key}"' in page
            # The cast's coach and staff are nothing else; the fellow is a fellow only.
            assert offered == (audience_of_role[role] in topic.audience), (topic.key, role)


@time_machine.travel(NOW, tick=False)
def test_a_registered_calendar_source_feeds_the_calendar(cast, evaluations, client):
    token = settings_for(user=cast.fellow).calendar_token
    response = client.get(reverse("notifications:calendar_feed", kwargs={"token": token}))
    cal = Calendar.from_ical(response.content)
    assert "Evaluation clinic" in [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    other = settings_for(user=cast.peer).calendar_token
    response = client.get(reverse("notifications:calendar_feed", kwargs={"token": other}))
    assert b"Evaluation clinic" not in response.content


def test_a_ledger_row_of_a_registered_kind_passes_model_validation(cast):
    note = PendingNotificationFactory.build(recipient=cast.fellow, kind="plan_silent")
    note.full_clean(exclude=["enrollment", "digest"])
    note.kind = "no_such_kind"
    with pytest.raises(ValidationError, match="no_such_kind"):
        note.full_clean(exclude=["enrollment", "digest"])
