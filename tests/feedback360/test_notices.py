"""What fellows are told through the notification ledger: nominate when a window opens
(once), the decision on their nominations, and that their report is ready (once)."""

import datetime

import pytest
from django.urls import reverse

from feedback360.reminders import scan
from notifications.ledger import record
from notifications.models import Notification

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _rows(kind):
    return sorted(
        (n.recipient.full_name, n.title, n.url)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


def test_fellows_who_have_not_nominated_are_asked_once(cast, f360):
    assert record(scan(NOW)) > 0
    url = reverse("feedback360:nominate", kwargs={"code": f360.window.code})
    title = "Nominate your raters for the baseline 360°"
    # The fellow has nominated already; the withdrawn fellow is not asked.
    assert _rows("f360_nominate") == [
        ("Clara Classmate", title, url),
        ("Pedro Peer", title, url),
    ]
    assert record(scan(NOW + datetime.timedelta(hours=2))) == 0


def test_fellows_are_told_when_their_report_is_ready(cast, f360):
    record(scan(NOW))
    ready = Notification.objects.filter(kind="f360_report_ready").select_related("recipient")
    assert sorted((n.recipient.full_name, n.payload["answers"]) for n in ready) == [
        ("Clara Classmate", 3),
        ("Fiona Fellow", 4),
    ]
    assert ready.get(recipient=cast.fellow).url == f360.report.get_absolute_url()
    # Two weeks after the window closed, nothing more is written.
    Notification.objects.all().delete()
    assert not [n for n in scan(NOW + datetime.timedelta(days=15)) if n.kind == "f360_report_ready"]


def test_a_declined_nomination_is_told_to_the_fellow_with_the_reason(cast, client_for, f360):
    client_for("staff").post(
        f360.window.get_absolute_url(),
        {
            "nominations": [str(f360.pending.code)],
            "action": "decline",
            "reason": "Ask someone outside your own team.",
        },
    )
    told = Notification.objects.get(kind="f360_decided", recipient=cast.fellow)
    assert told.title == "Some of your 360° nominations were not approved"
    assert told.payload == {
        "phase": "Baseline",
        "approved": 0,
        "declined": 1,
        "reason": "Ask someone outside your own team.",
    }
