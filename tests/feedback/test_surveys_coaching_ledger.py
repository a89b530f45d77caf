"""Program surveys and coaching feedback through the notification ledger, on a frozen clock:
asked once (the sweep runs twice, nothing is written twice), one reminder to those who have
not answered, then closed: no rows, and the emailed links record nothing. An anonymous
survey is reminded from the separate "has answered" record, never from the answers."""

import datetime
import re

import time_machine
from django.core import mail
from django.urls import reverse

from feedback import services
from feedback.models import FormPurpose, Receipt, Response, SurveyPhase
from feedback.reminders import (
    COACHING_KIND,
    COACHING_REMINDER_KIND,
    SURVEY_KIND,
    SURVEY_REMINDER_KIND,
    coaching_scan,
    survey_scan,
)
from notifications.delivery import deliver_batch
from notifications.models import Delivery, Notification, NotificationPreference, State
from notifications.sweep import write_due

from ..factories.coaching import CoachingSessionFactory
from ..factories.feedback import FormFactory

UTC = datetime.UTC
KINDS = [SURVEY_KIND, SURVEY_REMINDER_KIND, COACHING_KIND, COACHING_REMINDER_KIND]


def _sweep(moment, scan) -> int:
    with time_machine.travel(moment, tick=False):
        written, _stale = write_due(moment, scans=[scan])
        ids = list(
            Notification.objects.filter(
                kind__in=KINDS, state=State.PENDING, due_at__lte=moment
            ).values_list("pk", flat=True)
        )
        deliver_batch(ids, now=moment)
    return written


def _clicks(message) -> dict[str, str]:
    html = message.alternatives[0][0]
    found = re.findall(r'href="([^"]+/feedback/answer/[^"]+)" data-one-click="(\w+)"', html)
    return {value: url.split("example.org", 1)[-1] for url, value in found}


def _sent(kind):
    return sorted((n.recipient.email, n.state) for n in Notification.objects.filter(kind=kind))


def test_an_anonymous_survey_is_sent_reminded_and_closed(cast, client, client_for):
    form = FormFactory(
        program=cast.program,
        purpose=FormPurpose.SURVEY,
        title="Where you start",
        anonymous=True,
        kinds=["rating", "long_text"],
    )
    with time_machine.travel(datetime.datetime(2026, 10, 1, 15, tzinfo=UTC), tick=False):
        survey = services.survey_open(
            form=form,
            cohort=cast.cohort,
            phase=SurveyPhase.START,
            opens_on=datetime.date(2026, 10, 5),
            closes_on=datetime.date(2026, 10, 12),
            by=cast.staff,
        )
    NotificationPreference.objects.create(
        user=cast.classmate, topic="feedback", delivery=Delivery.NONE
    )
    # The window opens on 5 October; fellows are asked at 9:00 in New York (13:00 UTC).
    assert _sweep(datetime.datetime(2026, 10, 5, 12, 59, tzinfo=UTC), survey_scan) == 0
    assert _sweep(datetime.datetime(2026, 10, 5, 13, 1, tzinfo=UTC), survey_scan) == 3
    assert _sweep(datetime.datetime(2026, 10, 5, 13, 6, tzinfo=UTC), survey_scan) == 0
    assert _sent(SURVEY_KIND) == [
        ("classmate@example.org", State.IN_APP),  # chose no email: in the app only
        ("fellow@example.org", State.SENT),
        ("peer@example.org", State.SENT),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["fellow@example.org", "peer@example.org"]
    fellow_mail = next(m for m in mail.outbox if m.to == ["fellow@example.org"])
    assert "Where you start" in fellow_mail.subject
    clicks = _clicks(fellow_mail)
    assert sorted(clicks) == ["1", "2", "3", "4", "5"]

    # The fellow answers from the email: anonymous, so only the receipt names them.
    with time_machine.travel(datetime.datetime(2026, 10, 6, 14, tzinfo=UTC), tick=False):
        assert client.post(clicks["4"]).status_code == 302
    response = Response.objects.get(form=form)
    assert response.respondent_id is None and response.survey == survey
    assert Receipt.objects.filter(form=form, person=cast.fellow).exists()

    # Halfway (8 October, 9:00 New York): one reminder each to those who have not answered.
    mail.outbox.clear()
    assert _sweep(datetime.datetime(2026, 10, 8, 13, 1, tzinfo=UTC), survey_scan) == 2
    assert _sweep(datetime.datetime(2026, 10, 9, 13, 1, tzinfo=UTC), survey_scan) == 0
    assert _sent(SURVEY_REMINDER_KIND) == [
        ("classmate@example.org", State.IN_APP),
        ("peer@example.org", State.SENT),
    ]
    assert [m.to[0] for m in mail.outbox] == ["peer@example.org"]
    assert "Reminder: your start survey" in mail.outbox[0].subject
    peer_clicks = _clicks(mail.outbox[0])

    # After the last day (12 October, New York): closed. Nothing new, links record nothing.
    closed = datetime.datetime(2026, 10, 13, 4, 1, tzinfo=UTC)
    assert _sweep(closed, survey_scan) == 0
    assert _sweep(closed + datetime.timedelta(hours=1), survey_scan) == 0
    with time_machine.travel(closed, tick=False):
        late = client.post(peer_clicks["5"])
    assert late.status_code == 410 and "expired" in late.content.decode()
    assert Response.objects.filter(form=form).count() == 1
    assert Notification.objects.filter(kind__in=KINDS).count() == 5


def test_a_survey_opened_late_sends_no_reminder_with_its_invitation(cast):
    form = FormFactory(program=cast.program, purpose=FormPurpose.SURVEY, kinds=["rating"])
    moment = datetime.datetime(2026, 10, 10, 15, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        services.survey_open(
            form=form,
            cohort=cast.cohort,
            phase=SurveyPhase.MIDPOINT,
            opens_on=datetime.date(2026, 10, 1),
            closes_on=datetime.date(2026, 10, 12),
            by=cast.staff,
        )
    assert _sweep(moment + datetime.timedelta(minutes=1), survey_scan) == 3
    assert Notification.objects.filter(kind=SURVEY_REMINDER_KIND).count() == 0


def test_coaching_feedback_is_asked_reminded_and_closed(cast, client_for):
    form = FormFactory(
        program=cast.program, purpose=FormPurpose.COACHING, title="Your coaching", kinds=["rating"]
    )
    starts = datetime.datetime(2026, 10, 14, 17, 0, tzinfo=UTC)
    ends = starts + datetime.timedelta(hours=1)
    with time_machine.travel(starts - datetime.timedelta(days=2), tick=False):
        mine = CoachingSessionFactory(
            enrollment=cast.enrollments["fellow"], coach=cast.coach, starts_at=starts
        )
        CoachingSessionFactory(
            enrollment=cast.enrollments["classmate"], coach=cast.other_coach, starts_at=starts
        )
    assert _sweep(ends - datetime.timedelta(minutes=5), coaching_scan) == 0
    assert _sweep(ends + datetime.timedelta(minutes=2), coaching_scan) == 2
    assert _sweep(ends + datetime.timedelta(minutes=4), coaching_scan) == 0
    assert _sent(COACHING_KIND) == [
        ("classmate@example.org", State.SENT),
        ("fellow@example.org", State.SENT),
    ]
    assert all("coaching session" in m.subject for m in mail.outbox)

    # The fellow rates it on the signed-in form; only the classmate is reminded.
    with time_machine.travel(ends + datetime.timedelta(days=1), tick=False):
        url = reverse(
            "feedback:answer", kwargs={"code": form.code, "occasion": f"coaching:{mine.pk}"}
        )
        first = f"q{form.items.first().question_id}"
        assert client_for("fellow").post(url, {first: "5"}).status_code == 200
    mail.outbox.clear()
    assert _sweep(ends + datetime.timedelta(days=3, minutes=1), coaching_scan) == 1
    assert _sweep(ends + datetime.timedelta(days=4), coaching_scan) == 0
    assert _sent(COACHING_REMINDER_KIND) == [("classmate@example.org", State.SENT)]
    assert [m.to[0] for m in mail.outbox] == ["classmate@example.org"]

    # After fourteen days: closed.
    assert _sweep(ends + datetime.timedelta(days=14, minutes=1), coaching_scan) == 0
    assert Notification.objects.filter(kind__in=KINDS).count() == 3
    assert Response.objects.get(form=form).respondent_id is None


def test_coaching_feedback_waits_for_the_end_of_quiet_hours(cast):
    FormFactory(program=cast.program, purpose=FormPurpose.COACHING, kinds=["rating"])
    # Ends at 22:30 in New York: in the fellow's quiet hours (until 7:00).
    starts = datetime.datetime(2026, 10, 15, 1, 30, tzinfo=UTC)
    with time_machine.travel(starts - datetime.timedelta(days=1), tick=False):
        CoachingSessionFactory(
            enrollment=cast.enrollments["fellow"], coach=cast.coach, starts_at=starts
        )
    assert _sweep(starts + datetime.timedelta(hours=1, minutes=2), coaching_scan) == 1
    row = Notification.objects.get(kind=COACHING_KIND)
    assert row.state == State.PENDING and mail.outbox == []
    assert row.due_at == datetime.datetime(2026, 10, 15, 11, 0, tzinfo=UTC)  # 7:00 EDT
    _sweep(datetime.datetime(2026, 10, 15, 11, 1, tzinfo=UTC), coaching_scan)
    assert [m.to[0] for m in mail.outbox] == ["fellow@example.org"]
