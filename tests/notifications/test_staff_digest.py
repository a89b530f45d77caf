"""The weekly staff digest: Monday 8:00 in each staff member's zone, cohort health and who
is at risk."""

import datetime

import time_machine

from notifications.digests import scan_staff_digests
from notifications.models import Kind, Notification
from notifications.sweep import write_due


def _sweep(moment):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan_staff_digests])


def test_staff_get_one_digest_a_week_on_monday_morning(cast):
    cast.staff.time_zone = "America/Los_Angeles"
    cast.staff.save()
    _sweep("2026-11-09 15:59:00+00:00")  # Monday 7:59 AM in Los Angeles
    assert not Notification.objects.filter(recipient=cast.staff).exists()
    _sweep("2026-11-09 16:00:00+00:00")
    _sweep("2026-11-11 16:00:00+00:00")  # later the same week: still one
    assert Notification.objects.filter(recipient=cast.staff, kind=Kind.STAFF_DIGEST).count() == 1
    _sweep("2026-11-16 16:00:00+00:00")
    assert Notification.objects.filter(recipient=cast.staff, kind=Kind.STAFF_DIGEST).count() == 2
    # Staff of a program are told about their own program only.
    digest = Notification.objects.filter(recipient=cast.staff).first()
    assert digest.subject_id == cast.program.pk


def test_digest_shows_cohort_health_and_who_is_at_risk(cast, make_plan, send_due, outbox):
    make_plan(
        cast.enrollments["peer"],
        milestones=[("Stakeholder map", datetime.date(2026, 10, 1))],
    )
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", datetime.date(2026, 12, 1))])
    _sweep("2026-11-09 14:00:00+00:00")  # Monday 9 AM in New York
    with time_machine.travel("2026-11-09 14:00:00+00:00", tick=False):
        send_due()
    (message,) = [m for m in outbox if m.to == [cast.staff.email]]
    assert "Weekly digest: Health Equity Leadership Institute" in message.subject
    assert "2026–2027 cohort" in message.body
    assert "3 active fellows, 1 withdrawn; 1 overdue milestone." in message.body
    assert f"{cast.peer.display_name}: 1 overdue milestone" in message.body
    assert cast.fellow.display_name not in message.body
