"""The yearly "what has changed since?" nudge to alumni (outcomes/reminders.py)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import EnrollmentStatus
from outcomes.reminders import YEARLY_KIND, latest_anniversary, scan

from ..factories.action_plans import ActionPlanFactory
from ..factories.cohorts import EnrollmentFactory

UTC = datetime.UTC


@pytest.fixture
def alumnus_plan(cast):
    # The past cohort ended on 31 August 2026; the alumna lives in New Mexico.
    cast.alumnus.time_zone = "America/Denver"
    cast.alumnus.save()
    return ActionPlanFactory(enrollment=cast.enrollments["alumnus"], title="Doula care")


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_no_nudge_in_the_first_year(alumnus_plan):
    assert scan(at(2027, 8, 30, 18)) == []


def test_one_nudge_on_the_anniversary_at_nine_in_the_alumnus_zone(cast, alumnus_plan):
    (nudge,) = scan(at(2027, 8, 31, 16))  # 10:00 in Denver
    assert nudge.kind == YEARLY_KIND
    assert nudge.recipient_id == cast.alumnus.pk
    assert nudge.occurrence == "year:1"
    assert nudge.due_at == at(2027, 8, 31, 15)  # 9:00 MDT
    assert nudge.title == "What has changed since your fellowship?"
    assert nudge.url == reverse("outcomes:result_add", kwargs={"code": alumnus_plan.code})
    assert nudge.enrollment_id == cast.enrollments["alumnus"].pk
    # The rest of that year is the same nudge (the ledger keeps one), the next year another.
    assert [n.occurrence for n in scan(at(2027, 9, 20, 12))] == ["year:1"]
    assert [n.occurrence for n in scan(at(2028, 8, 31, 16))] == ["year:2"]


def test_the_anniversary_counts_on_the_alumnus_calendar(alumnus_plan):
    # 31 August 05:00 UTC is still 30 August (23:00) in Denver: not yet. 1 September 03:00
    # UTC is 31 August (21:00) there: the anniversary has come.
    assert scan(at(2027, 8, 31, 5)) == []
    assert len(scan(at(2027, 9, 1, 3))) == 1


def test_a_nudge_missed_for_more_than_a_month_is_not_sent_late(alumnus_plan):
    assert scan(at(2027, 10, 15, 12)) == []


def test_only_alumni_with_a_plan(cast, alumnus_plan):
    # Another alumna of the same cohort never wrote a plan: nothing to link to.
    EnrollmentFactory(cohort=cast.past_cohort, status=EnrollmentStatus.COMPLETED)
    # A withdrawn fellow of that cohort, with a plan, is not an alumnus.
    withdrawn = EnrollmentFactory(cohort=cast.past_cohort, status=EnrollmentStatus.WITHDRAWN)
    ActionPlanFactory(enrollment=withdrawn)
    # Current fellows are not asked.
    ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    nudges = scan(at(2027, 9, 1, 16))
    assert [n.recipient_id for n in nudges] == [cast.alumnus.pk]


def test_the_scan_costs_one_query_however_many_alumni(
    cast, alumnus_plan, django_assert_num_queries
):
    for _ in range(5):
        enrollment = EnrollmentFactory(cohort=cast.past_cohort, status=EnrollmentStatus.COMPLETED)
        ActionPlanFactory(enrollment=enrollment)
    with django_assert_num_queries(1):
        assert len(scan(at(2027, 9, 1, 16))) == 6


@pytest.mark.parametrize(
    ("end", "today", "expected"),
    [
        (datetime.date(2026, 8, 31), datetime.date(2027, 8, 30), (0, datetime.date(2026, 8, 31))),
        (datetime.date(2026, 8, 31), datetime.date(2027, 8, 31), (1, datetime.date(2027, 8, 31))),
        (datetime.date(2024, 2, 29), datetime.date(2025, 3, 1), (1, datetime.date(2025, 2, 28))),
        (datetime.date(2024, 2, 29), datetime.date(2028, 2, 29), (4, datetime.date(2028, 2, 29))),
    ],
)
def test_latest_anniversary(end, today, expected):
    assert latest_anniversary(end, today) == expected


def test_the_sweep_writes_the_nudge_once_and_the_email_links_to_the_form(
    cast, alumnus_plan, mailoutbox
):
    from notifications.delivery import deliver_batch
    from notifications.models import Notification
    from notifications.sweep import write_due

    moment = at(2027, 8, 31, 16)
    with time_machine.travel(moment, tick=False):
        write_due(moment)
        write_due(moment)  # a second beat writes nothing more
        (row,) = Notification.objects.filter(kind=YEARLY_KIND)
        deliver_batch([row.pk], now=moment)
    (email,) = mailoutbox
    assert email.to == [cast.alumnus.email]
    assert "What has changed since your fellowship?" in email.subject
    assert "It is a year since 2025–2026 cohort" in email.body
    link = reverse("outcomes:result_add", kwargs={"code": alumnus_plan.code})
    assert link in email.body


def test_fellows_choose_how_they_hear_it_and_staff_are_not_asked(client_for):
    fellow_page = client_for("fellow").get(reverse("notifications:preferences")).content
    staff_page = client_for("staff").get(reverse("notifications:preferences")).content
    assert "“What has changed since?”".encode() in fellow_page
    assert "“What has changed since?”".encode() not in staff_page
