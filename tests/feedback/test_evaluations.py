"""Session evaluations through the ledger: sent when the session ends to those who attended,
one reminder, closed after the set days; one-click answers from the email (signed,
single-use, expiring)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from curriculum.models import AttendanceStatus
from feedback import links
from feedback.models import Answer, Receipt, Response
from feedback.reminders import ASK_KIND, REMINDER_KIND
from feedback.reminders import scan as evaluation_scan
from notifications.delivery import deliver_batch
from notifications.models import Delivery, Notification, NotificationPreference, State
from notifications.sweep import write_due

from ..factories.curriculum import AttendanceFactory, SessionFactory
from .conftest import SESSION_END

UTC = datetime.UTC


def _sweep(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        written, _stale = write_due(moment, scans=[evaluation_scan])
        ids = list(
            Notification.objects.filter(
                kind__in=[ASK_KIND, REMINDER_KIND], state=State.PENDING, due_at__lte=moment
            ).values_list("pk", flat=True)
        )
        deliver_batch(ids, now=moment)
    return written


def _rows(kind=None):
    rows = Notification.objects.filter(kind__in=[ASK_KIND, REMINDER_KIND])
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((n.recipient.email, n.kind, n.state) for n in rows)


def _one_click_links(message) -> dict[str, str]:
    """value → link of the first question's buttons in the email's HTML part."""
    html = message.alternatives[0][0]
    return {
        value: url
        for url, value in re.findall(
            r'href="([^"]+/feedback/answer/[^"]+)" data-one-click="(\w+)"', html
        )
    }


def _path(url: str) -> str:
    return url.split("testserver", 1)[-1].split("example.org", 1)[-1] if "://" in url else url


def test_send_remind_close_through_the_ledger(cast, session, evaluation, client):
    AttendanceFactory(session=session, enrollment=cast.enrollments["fellow"])
    AttendanceFactory(
        session=session, enrollment=cast.enrollments["peer"], status=AttendanceStatus.LATE
    )
    AttendanceFactory(
        session=session, enrollment=cast.enrollments["classmate"], status=AttendanceStatus.ABSENT
    )

    # Before the session ends: nothing.
    assert _sweep(SESSION_END - datetime.timedelta(minutes=5)) == 0
    # When it ends: those marked present (or late), once however often the sweep runs.
    assert _sweep(SESSION_END + datetime.timedelta(minutes=2)) == 2
    assert _sweep(SESSION_END + datetime.timedelta(minutes=4)) == 0
    assert _rows() == [
        ("fellow@example.org", ASK_KIND, State.SENT),
        ("peer@example.org", ASK_KIND, State.SENT),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["fellow@example.org", "peer@example.org"]
    fellow_email = next(m for m in mail.outbox if m.to == ["fellow@example.org"])
    assert "How was “Monthly session: Systems thinking”?" in fellow_email.subject
    clicks = _one_click_links(fellow_email)
    assert sorted(clicks) == ["1", "2", "3", "4", "5"]
    assert "Not useful" in fellow_email.alternatives[0][0]

    # The fellow answers with one click on the next morning.
    with time_machine.travel(SESSION_END + datetime.timedelta(hours=20), tick=False):
        # Opening the link shows the answer selected; the button records it.
        assert client.get(_path(clicks["4"])).status_code == 200
        assert Receipt.objects.count() == 0
        reply = client.post(_path(clicks["4"]))
    assert reply.status_code == 302
    assert Receipt.objects.filter(person=cast.fellow).count() == 1
    assert list(Answer.objects.values_list("number", flat=True)) == [4]

    # Two days later: one reminder, to the peer only; the sweep again writes nothing.
    mail.outbox.clear()
    assert _sweep(SESSION_END + datetime.timedelta(days=2, minutes=1)) == 1
    assert _sweep(SESSION_END + datetime.timedelta(days=3)) == 0
    assert _rows(REMINDER_KIND) == [("peer@example.org", REMINDER_KIND, State.SENT)]
    assert [m.to[0] for m in mail.outbox] == ["peer@example.org"]
    peer_clicks = _one_click_links(mail.outbox[0])

    # After seven days it is closed: no rows, and the links record nothing.
    assert _sweep(SESSION_END + datetime.timedelta(days=7, minutes=1)) == 0
    with time_machine.travel(SESSION_END + datetime.timedelta(days=7, minutes=1), tick=False):
        late = client.get(_path(peer_clicks["5"]))
    assert late.status_code == 410
    assert "expired" in late.content.decode()
    assert Response.objects.count() == 1
    assert Notification.objects.filter(kind__in=[ASK_KIND, REMINDER_KIND]).count() == 3


def test_without_attendance_every_active_fellow_is_asked(cast, session, evaluation):
    _sweep(SESSION_END + datetime.timedelta(minutes=2))
    assert [email for email, _k, _s in _rows()] == [
        "classmate@example.org",
        "fellow@example.org",
        "peer@example.org",
    ]


def test_only_the_sessions_the_evaluation_covers(cast, evaluation):
    SessionFactory(
        cohort=cast.cohort,
        kind="seminar",
        starts_at=SESSION_END - datetime.timedelta(hours=3),
    )
    SessionFactory(  # the same kind in another cohort of the program
        cohort=cast.sibling_cohort, starts_at=SESSION_END - datetime.timedelta(hours=3)
    )
    assert _sweep(SESSION_END + datetime.timedelta(minutes=2)) == 0


def test_an_evaluation_of_one_session_and_a_cancelled_session(cast, evaluation_form, session):
    from feedback import services

    cancelled = SessionFactory(
        cohort=cast.cohort,
        starts_at=session.starts_at,
        cancelled_at=session.starts_at - datetime.timedelta(days=1),
    )
    services.evaluation_attach(
        form=evaluation_form, cohort=cast.cohort, session=cancelled, by=cast.staff
    )
    assert _sweep(SESSION_END + datetime.timedelta(minutes=2)) == 0
    services.evaluation_attach(
        form=evaluation_form, cohort=cast.cohort, session=session, by=cast.staff
    )
    assert _sweep(SESSION_END + datetime.timedelta(minutes=3)) == 3


def test_delivery_choice_and_quiet_hours_are_respected(cast, evaluation):
    # Ends at 22:30 in New York: in the fellow's quiet hours.
    late = SessionFactory(
        cohort=cast.cohort,
        title="Evening session",
        starts_at=datetime.datetime(2026, 10, 14, 1, 0, tzinfo=UTC),
    )
    NotificationPreference.objects.create(user=cast.peer, topic="feedback", delivery=Delivery.NONE)
    ends = late.ends_at
    _sweep(ends + datetime.timedelta(minutes=2))
    assert mail.outbox == []
    assert Notification.objects.get(recipient=cast.peer, kind=ASK_KIND).state == State.IN_APP
    fellow_row = Notification.objects.get(recipient=cast.fellow, kind=ASK_KIND)
    assert fellow_row.state == State.PENDING
    assert fellow_row.due_at == datetime.datetime(2026, 10, 14, 11, 0, tzinfo=UTC)  # 7:00 EDT
    _sweep(datetime.datetime(2026, 10, 14, 11, 1, tzinfo=UTC))
    assert sorted(m.to[0] for m in mail.outbox) == ["classmate@example.org", "fellow@example.org"]


def _token(cast, evaluation, session, value="5", **overrides):
    item = evaluation.form.items.order_by("position").first()
    data = {
        "person_id": cast.fellow.pk,
        "form_id": evaluation.form_id,
        "occasion": f"session:{session.pk}",
        "question_id": item.question_id,
        "value": value,
        "expires_at": SESSION_END + datetime.timedelta(days=7),
    }
    data.update(overrides)
    return links.one_click_token(**data)


AFTER = SESSION_END + datetime.timedelta(hours=1)


@time_machine.travel(AFTER, tick=False)
def test_one_click_records_then_opens_the_rest_of_the_form(cast, session, evaluation, client):
    url = reverse("feedback:one_click", kwargs={"token": _token(cast, evaluation, session)})
    reply = client.post(url)
    assert reply.status_code == 302
    rest = client.get(reply["Location"])
    assert rest.status_code == 200
    page = rest.content.decode()
    assert "your answer is recorded" in page
    first = evaluation.form.items.order_by("position").first().question
    assert first.text not in page  # only the rest of the form
    response = Response.objects.get()
    assert response.respondent_id is None and not response.complete

    items = list(evaluation.form.items.order_by("position").select_related("question"))
    done = client.post(
        reply["Location"],
        {f"q{items[1].question_id}": "Too long", f"q{items[2].question_id}": "<b>More breaks</b>"},
    )
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    response.refresh_from_db()
    assert response.complete
    stored = [(a.number, a.picked, a.text) for a in Answer.objects.filter(response=response)]
    assert sorted(stored, key=str) == sorted(
        [(5, [], ""), (None, ["Too long"], ""), (None, [], "<b>More breaks</b>")], key=str
    )
    # The rest can be sent once.
    again = client.post(reply["Location"], {f"q{items[1].question_id}": "Too short"})
    assert again.status_code == 410
    assert Answer.objects.filter(response=response).count() == 3


@time_machine.travel(AFTER, tick=False)
def test_a_reused_link_records_nothing_and_says_why(cast, session, evaluation, client):
    url = reverse("feedback:one_click", kwargs={"token": _token(cast, evaluation, session)})
    assert client.post(url).status_code == 302
    other = reverse(
        "feedback:one_click", kwargs={"token": _token(cast, evaluation, session, value="1")}
    )
    for link in (url, other):
        reply = client.get(link)
        assert reply.status_code == 410
        assert "already answered" in reply.content.decode()
    assert list(Answer.objects.values_list("number", flat=True)) == [5]


@time_machine.travel(AFTER, tick=False)
def test_a_tampered_link_records_nothing_and_says_why(cast, session, evaluation, client):
    token = _token(cast, evaluation, session)
    forged = signing.dumps(
        signing.loads(token, salt=links.ONE_CLICK_SALT) | {"v": "1"}, salt="another salt"
    )
    for bad in (token[:-3] + "abc", forged, "x" * 700, token.replace(":", ";", 1)):
        reply = client.get(reverse("feedback:one_click", kwargs={"token": bad}))
        assert reply.status_code == 404
        assert "not valid" in reply.content.decode()
    out_of_scale = _token(cast, evaluation, session, value="9")
    assert (
        client.get(reverse("feedback:one_click", kwargs={"token": out_of_scale})).status_code == 404
    )
    assert Response.objects.count() == 0 and Receipt.objects.count() == 0


@pytest.mark.parametrize(
    ("moment", "status", "says"),
    [
        (SESSION_END + datetime.timedelta(days=7), 410, "expired"),
        (SESSION_END - datetime.timedelta(minutes=10), 410, "not ended"),
    ],
)
def test_an_expired_or_early_link_records_nothing(
    cast, session, evaluation, client, moment, status, says
):
    token = _token(cast, evaluation, session)
    with time_machine.travel(moment, tick=False):
        reply = client.get(reverse("feedback:one_click", kwargs={"token": token}))
    assert reply.status_code == status
    assert says in reply.content.decode()
    assert Response.objects.count() == 0


@time_machine.travel(AFTER, tick=False)
def test_a_link_for_someone_who_was_absent_records_nothing(cast, session, evaluation, client):
    AttendanceFactory(
        session=session, enrollment=cast.enrollments["fellow"], status=AttendanceStatus.ABSENT
    )
    token = _token(cast, evaluation, session)
    reply = client.get(reverse("feedback:one_click", kwargs={"token": token}))
    assert reply.status_code == 410
    assert Response.objects.count() == 0


@time_machine.travel(AFTER, tick=False)
def test_the_signed_in_form_records_one_answer_and_escapes_text(
    cast, session, evaluation, client_for
):
    client = client_for("fellow")
    url = reverse(
        "feedback:answer",
        kwargs={"code": evaluation.form.code, "occasion": f"session:{session.pk}"},
    )
    page = client.get(url)
    assert page.status_code == 200
    items = list(evaluation.form.items.order_by("position").select_related("question"))
    missing = client.post(url, {f"q{items[2].question_id}": "<script>alert(1)</script>"})
    assert missing.status_code == 400
    body = missing.content.decode()
    assert "Please answer this question." in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert Response.objects.count() == 0
    data = {f"q{items[0].question_id}": "3", f"q{items[1].question_id}": "About right"}
    assert client.post(url, data).status_code == 200
    assert client.post(url, data).status_code in (404, 409)
    assert Response.objects.count() == 1
