"""Milestone and plan nudges: 7 days before, on the due date, overdue at most weekly until
done or the plan is completed; the "no progress update in 30 days" nudge."""

import datetime

import time_machine

from action_plans import reminders
from action_plans.models import MilestoneStatus, PlanStatus, ProgressUpdate
from action_plans.notices import MILESTONE_DUE, MILESTONE_OVERDUE, MILESTONE_SOON, PLAN_SILENT
from notifications.models import Notification, State
from notifications.sweep import write_due

DUE = datetime.date(2026, 12, 1)


def _sweep_at(moment: str):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[reminders.scan])


def _kinds(user):
    return [
        (n.kind, n.due_at.isoformat())
        for n in Notification.objects.filter(recipient=user, kind__startswith="milestone").order_by(
            "due_at"
        )
    ]


def test_nudges_come_before_on_and_after_the_due_date(cast, make_plan):
    fellow = cast.fellow  # America/New_York
    make_plan(cast.enrollments["fellow"], milestones=[("Brief the governor", DUE)])

    _sweep_at("2026-11-20 12:00:00+00:00")  # 11 days before: nothing yet
    assert _kinds(fellow) == []
    _sweep_at("2026-11-24 14:00:00+00:00")  # 7 days before, 9 AM EST
    _sweep_at("2026-12-01 14:00:00+00:00")  # due day
    _sweep_at("2026-12-05 14:00:00+00:00")  # overdue, but less than a week
    _sweep_at("2026-12-08 14:00:00+00:00")  # a week overdue
    _sweep_at("2026-12-09 14:00:00+00:00")  # the next day: no new overdue nudge
    _sweep_at("2026-12-15 14:00:00+00:00")  # two weeks overdue

    assert _kinds(fellow) == [
        (MILESTONE_SOON.key, "2026-11-24T14:00:00+00:00"),
        (MILESTONE_DUE.key, "2026-12-01T14:00:00+00:00"),
        (MILESTONE_OVERDUE.key, "2026-12-08T14:00:00+00:00"),
        (MILESTONE_OVERDUE.key, "2026-12-15T14:00:00+00:00"),
    ]


def test_program_policy_sets_the_cadence(cast, make_plan):
    cast.program.milestone_nudge_days_before = 3
    cast.program.overdue_nudge_interval_days = 14
    cast.program.save()
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", DUE)])
    for day in ["2026-11-28", "2026-12-08", "2026-12-15", "2026-12-22"]:
        _sweep_at(f"{day} 14:00:00+00:00")
    assert [k for k, _ in _kinds(cast.fellow)] == [MILESTONE_SOON.key, MILESTONE_OVERDUE.key]


def test_nudges_are_at_nine_in_the_fellows_own_zone(cast, make_plan):
    cast.fellow.time_zone = "Pacific/Honolulu"
    cast.fellow.save()
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", DUE)])
    _sweep_at("2026-12-01 19:00:00+00:00")  # Dec 1, 9 AM in Honolulu (UTC-10)
    note = Notification.objects.get(kind=MILESTONE_DUE.key)
    assert note.due_at.isoformat() == "2026-12-01T19:00:00+00:00"


def test_due_today_waits_for_the_cohorts_day_in_guam(cast, make_plan):
    """9 AM of 1 December in Guam is still 30 November for the New York cohort, whose pages
    say "due tomorrow": the "due today" nudge comes once the cohort's 1 December begins."""
    cast.fellow.time_zone = "Pacific/Guam"
    cast.fellow.save()
    make_plan(cast.enrollments["fellow"], milestones=[("Brief", DUE)])
    _sweep_at("2026-11-30 23:00:00+00:00")
    note = Notification.objects.get(kind=MILESTONE_DUE.key)
    assert note.due_at.isoformat() == "2026-12-01T05:00:00+00:00"


def test_no_nudge_once_done_or_the_plan_is_completed_or_the_fellow_withdrew(cast, make_plan):
    _, (done,) = make_plan(cast.enrollments["fellow"], milestones=[("Done", DUE)])
    done.status = MilestoneStatus.DONE
    done.completed_on = DUE
    done.save()
    make_plan(cast.enrollments["peer"], status=PlanStatus.COMPLETED, milestones=[("X", DUE)])
    make_plan(cast.enrollments["withdrawn"], milestones=[("Y", DUE)])
    _sweep_at("2026-12-01 14:00:00+00:00")
    assert not Notification.objects.exists()


def test_overdue_nudge_of_a_milestone_done_since_is_not_sent(cast, make_plan, send_due, outbox):
    _, (milestone,) = make_plan(cast.enrollments["fellow"], milestones=[("Brief", DUE)])
    _sweep_at("2026-12-08 14:00:00+00:00")
    milestone.status = MilestoneStatus.DONE
    milestone.completed_on = datetime.date(2026, 12, 8)
    milestone.save()
    # Still sent: it was due and the fellow had not finished when it was written. But no
    # further nudge comes.
    _sweep_at("2026-12-15 14:00:00+00:00")
    assert Notification.objects.filter(kind=MILESTONE_OVERDUE.key).count() == 1


def test_plan_without_progress_update_for_thirty_days_is_nudged_once(cast, make_plan):
    plan, _ = make_plan(cast.enrollments["fellow"])
    ProgressUpdate.objects.create(
        plan=plan,
        author=cast.fellow,
        as_of=datetime.date(2026, 10, 1),
        signal="on_track",
        body="Met the Medicaid director.",
    )
    _sweep_at("2026-10-30 14:00:00+00:00")  # 29 days
    assert not Notification.objects.filter(kind=PLAN_SILENT.key).exists()
    _sweep_at("2026-10-31 14:00:00+00:00")  # 30 days
    _sweep_at("2026-11-05 14:00:00+00:00")  # still silent: no second nudge this stretch
    assert Notification.objects.filter(kind=PLAN_SILENT.key).count() == 1
    ProgressUpdate.objects.create(
        plan=plan,
        author=cast.fellow,
        as_of=datetime.date(2026, 11, 6),
        signal="on_track",
        body="Drafted the brief.",
    )
    _sweep_at("2026-11-20 14:00:00+00:00")
    assert Notification.objects.filter(kind=PLAN_SILENT.key).count() == 1


def test_nudge_email_links_to_the_plan(cast, make_plan, send_due, outbox):
    plan, _ = make_plan(cast.enrollments["fellow"], milestones=[("Brief the governor", DUE)])
    _sweep_at("2026-12-01 14:00:00+00:00")
    with time_machine.travel("2026-12-01 14:01:00+00:00", tick=False):
        send_due()
    assert len(outbox) == 1
    assert f"{plan.get_absolute_url()}" in outbox[0].body
    assert "Due: Tuesday, December 1, 2026" in outbox[0].body
    assert Notification.objects.get().state == State.SENT


def test_a_fellow_far_west_is_told_overdue_only_once_the_cohort_day_says_so(cast, make_plan):
    """The New York cohort's milestone is due on 1 December. At 9 AM of 2 December in Guam it
    is still 1 December for the cohort: every page says "due today", so no email may say
    "overdue" yet; it comes once the cohort's 2 December has begun, at the fellow's 9 AM."""
    cast.fellow.time_zone = "Pacific/Guam"
    cast.fellow.save(update_fields=["time_zone"])
    cast.program.overdue_nudge_interval_days = 1
    cast.program.save()
    make_plan(cast.enrollments["fellow"], milestones=[("Brief the governor", DUE)])

    _sweep_at("2026-12-01 23:30:00+00:00")  # 2 Dec 9:30 AM in Guam, 1 Dec 6:30 PM in New York
    assert MILESTONE_OVERDUE.key not in [k for k, _ in _kinds(cast.fellow)]

    _sweep_at("2026-12-02 05:30:00+00:00")  # 2 Dec 0:30 AM in New York, 3:30 PM in Guam
    overdue = [at for k, at in _kinds(cast.fellow) if k == MILESTONE_OVERDUE.key]
    assert overdue == ["2026-12-02T05:00:00+00:00"]  # the cohort's 2 December began


def test_a_silent_plan_is_counted_in_cohort_days(cast, make_plan):
    """30 days without an update, counted on the cohort's calendar: the nudge waits for the
    cohort's 31st day even when the fellow's own calendar is a day ahead."""
    cast.fellow.time_zone = "Pacific/Guam"
    cast.fellow.save(update_fields=["time_zone"])
    plan, _ = make_plan(cast.enrollments["fellow"], milestones=[("Brief", DUE)])
    ProgressUpdate.objects.create(
        plan=plan,
        author=cast.fellow,
        as_of=datetime.date(2026, 11, 1),
        signal="on_track",
        body="Started",
    )

    _sweep_at("2026-11-30 23:30:00+00:00")  # 1 Dec in Guam, still 30 Nov in New York
    assert not Notification.objects.filter(recipient=cast.fellow, kind=PLAN_SILENT.key).exists()
    _sweep_at("2026-12-01 05:30:00+00:00")  # the cohort's 1 December: 30 days since the 1st
    assert Notification.objects.filter(recipient=cast.fellow, kind=PLAN_SILENT.key).exists()
