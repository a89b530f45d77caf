"""Staff see the notifications that could not be emailed to people on their program's
rosters, with the reason in plain words, and send them again (one row or the chosen ones)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notification, State
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.notifications import NotificationFactory
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 30, 15, 0, tzinfo=datetime.UTC)
REJECTED = "Rejected: 550 5.1.1 No such user here"
STALE = "Stale after 7 tries: 451 4.3.0 Try later"


def _failed(recipient, last_error=REJECTED, **extra):
    return NotificationFactory(
        recipient=recipient,
        state=State.FAILED,
        sent_at=None,
        attempts=1,
        last_error=last_error,
        **extra,
    )


def _url(program):
    return reverse("reports:failed_notifications", args=[program.slug])


def test_staff_see_who_missed_what_and_why(cast, client_for):
    refused = _failed(cast.fellow, title="Milestone <b>Draft</b> is due today")
    stale = _failed(cast.peer, last_error=STALE)
    other = _failed(cast.other_cohort_fellow)  # of the sibling cohort: same program
    elsewhere = EnrollmentFactory(cohort=cast.other_cohort).user
    hidden = _failed(elsewhere)
    NotificationFactory(recipient=cast.classmate)  # sent: not shown

    html = client_for("staff").get(_url(cast.program)).content.decode()

    for shown in (refused, stale, other):
        assert f'data-notification="{shown.code}"' in html
    assert str(hidden.code) not in html
    assert html.count("data-notification=") == 3
    assert "Milestone &lt;b&gt;Draft&lt;/b&gt; is due today" in html
    assert "Refused.</strong> The mail server refused this address for good" in html
    assert "The mail server said: 550 5.1.1 No such user here" in html
    assert "Gave up.</strong> The mail server kept failing" in html
    assert "The mail server said: 451 4.3.0 Try later" in html
    assert cast.fellow.email in html


def test_the_program_dashboard_links_to_the_page(cast, client_for):
    html = client_for("staff").get(reverse("reports:program_dashboard", args=[cast.program.slug]))
    assert _url(cast.program) in html.content.decode()


def test_other_program_staff_see_nothing_of_it(cast, client_for):
    failed = _failed(cast.fellow)
    client = client_for("other_staff")
    assert client.get(_url(cast.program)).status_code == 404
    assert client.post(_url(cast.program), {"codes": [str(failed.code)]}).status_code == 404
    own = client.get(_url(cast.other_program))
    assert own.status_code == 200
    assert str(failed.code) not in own.content.decode()
    failed.refresh_from_db()
    assert failed.state == State.FAILED


@time_machine.travel(T0, tick=False)
def test_send_again_one_row_and_the_chosen_ones(cast, client_for):
    first, second, third = (_failed(p) for p in (cast.fellow, cast.peer, cast.classmate))
    client = client_for("staff")

    response = client.post(_url(cast.program), {"codes": [str(first.code)]}, follow=True)
    assert "1 notification will be sent again" in response.content.decode()
    first.refresh_from_db()
    assert (first.state, first.attempts, first.due_at) == (State.PENDING, 0, T0)

    response = client.post(
        _url(cast.program), {"codes": [str(second.code), str(third.code)]}, follow=True
    )
    assert "2 notifications will be sent again" in response.content.decode()
    assert set(
        Notification.objects.filter(pk__in=[second.pk, third.pk]).values_list("state", flat=True)
    ) == {State.PENDING}
    audited = AuditEntry.objects.filter(action="notifications.resent")
    assert audited.count() == 3
    assert set(audited.values_list("actor", flat=True)) == {cast.staff.pk}


@pytest.mark.parametrize("which", ["unknown", "other program", "not failed"])
def test_bad_choices_are_refused_and_nothing_changes(cast, client_for, which):
    mine = _failed(cast.fellow)
    elsewhere = _failed(EnrollmentFactory(cohort=cast.other_cohort).user)
    sent = NotificationFactory(recipient=cast.peer)
    codes = {
        "unknown": ["00000000-0000-0000-0000-000000000000"],
        "other program": [str(elsewhere.code)],
        "not failed": [str(sent.code)],
    }[which]

    response = client_for("staff").post(_url(cast.program), {"codes": [str(mine.code), *codes]})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="resend-errors"' in html and "Nothing was sent." in html
    states = dict(
        Notification.objects.filter(pk__in=[mine.pk, elsewhere.pk, sent.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {mine.pk: State.FAILED, elsewhere.pk: State.FAILED, sent.pk: State.SENT}
    assert not AuditEntry.objects.filter(action="notifications.resent").exists()


def test_nothing_chosen_is_an_error(cast, client_for):
    _failed(cast.fellow)
    response = client_for("staff").post(_url(cast.program), {})
    assert response.status_code == 200
    assert "Choose at least one notification to send again." in response.content.decode()
    assert Notification.objects.get(recipient=cast.fellow).state == State.FAILED


@time_machine.travel(T0, tick=False)
def test_a_row_sent_again_is_delivered_once(cast, client_for, send_due, outbox):
    failed = _failed(cast.fellow)
    client = client_for("staff")
    client.post(_url(cast.program), {"codes": [str(failed.code)]})
    # A second click (another tab, a double submit) finds it no longer failed.
    again = client.post(_url(cast.program), {"codes": [str(failed.code)]})
    assert again.status_code == 200

    send_due(now=T0)
    send_due(now=T0 + datetime.timedelta(minutes=10))

    assert [m.to for m in outbox] == [[cast.fellow.email]]
    failed.refresh_from_db()
    assert failed.state == State.SENT


def test_query_count_is_stable(cast, client_for):
    client = client_for("staff")

    def grow(times):
        for _ in range(times):
            _failed(EnrollmentFactory(cohort=cast.cohort).user)
            _failed(cast.fellow, last_error=STALE)

    _failed(cast.fellow)
    count = assert_stable_queries(lambda: client.get(_url(cast.program)), grow)
    assert count <= 12
