"""The at-risk list: every reason, and the thresholds are the program's settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports import metrics
from reports.access import Scope

from .conftest import NOW

pytestmark = pytest.mark.django_db


def flagged(cast, coach=None):
    scope = Scope(cohort=cast.cohort, viewer=coach or cast.staff, coach=coach)
    return {f.enrollment.user.full_name: f.codes for f in metrics.at_risk_for(scope, NOW)}


def test_reasons_with_the_default_thresholds(data):
    assert flagged(data) == {
        # 3 reasons first: no coach, nothing in 91 days, last update 52 days ago.
        "Pedro Peer": ["no_coach", "no_coaching", "no_plan_update"],
        # Absent at October and November; the 1 Nov milestone is open.
        "Fiona Fellow": ["missed_sessions", "overdue_milestones"],
        # Last coaching session 1 Oct: 61 days.
        "Clara Classmate": ["no_coaching"],
    }


def test_withdrawn_fellows_are_never_at_risk(data):
    assert "Will Withdrawn" not in flagged(data)


def test_a_coach_sees_only_their_own_fellows(data):
    assert flagged(data, coach=data.coach) == {
        "Fiona Fellow": ["missed_sessions", "overdue_milestones"]
    }


def test_reason_texts(data):
    scope = Scope(cohort=data.cohort, viewer=data.staff)
    texts = {
        f.enrollment.user.full_name: [r.text for r in f.reasons]
        for f in metrics.at_risk_for(scope, NOW)
    }
    assert texts["Fiona Fellow"] == ["Missed the last 2 sessions in a row", "1 overdue milestone"]
    assert texts["Clara Classmate"] == ["No coaching session in 61 days"]
    assert texts["Pedro Peer"] == [
        "No coach assigned",
        "No coaching session yet, 91 days into the cohort",
        "No plan update in more than 30 days",
    ]


def test_missed_sessions_threshold(data):
    data.program.at_risk_missed_sessions = 3
    data.program.save()
    assert flagged(data)["Fiona Fellow"] == ["overdue_milestones"]
    data.program.at_risk_missed_sessions = 1
    data.program.save()
    assert "missed_sessions" in flagged(data)["Pedro Peer"]


def test_coaching_threshold(data):
    data.program.at_risk_days_without_coaching = 61  # Clara: exactly 61 days is not more
    data.program.save()
    result = flagged(data)
    assert "Clara Classmate" not in result
    assert "no_coaching" in result["Pedro Peer"]  # 91 days
    data.program.at_risk_days_without_coaching = 10
    data.program.save()
    assert "no_coaching" in flagged(data)["Fiona Fellow"]  # 11 days since 20 Nov


def test_plan_update_threshold(data):
    data.program.at_risk_days_without_plan_update = 60  # Pedro's update is 52 days old
    data.program.save()
    assert "no_plan_update" not in flagged(data)["Pedro Peer"]
    data.program.at_risk_days_without_plan_update = 5  # Fiona's is 6 days old
    data.program.save()
    assert "no_plan_update" in flagged(data)["Fiona Fellow"]


def test_completing_the_milestone_and_a_session_clears_fiona(data):
    from action_plans.models import Milestone
    from curriculum.models import Attendance

    Milestone.objects.filter(due_date="2026-11-01").update(status="done", completed_on="2026-11-30")
    Attendance.objects.filter(
        enrollment=data.enrollments["fellow"], session=data.rep.sessions[2]
    ).update(status="present")
    assert "Fiona Fellow" not in flagged(data)


def test_page_lists_reasons_and_links_each_fellow(data, client_for):
    response = client_for("staff").get(reverse("reports:at_risk", args=[data.cohort.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 fellows at risk" in html
    for role in ("fellow", "peer", "classmate"):
        url = reverse("cohorts:enrollment_detail", args=[data.enrollments[role].code])
        assert f'href="{url}"' in html
    assert "Missed the last 2 sessions in a row" in html
    assert "No coach assigned" in html


def test_page_follows_a_changed_threshold(data, client_for):
    data.program.at_risk_days_without_coaching = 100
    data.program.save()
    response = client_for("staff").get(reverse("reports:at_risk", args=[data.cohort.code]))
    html = response.content.decode()
    assert "no coaching session in more than 100 days" in html
    assert "Clara Classmate" not in html
    assert "2 fellows at risk" in html


def test_days_are_counted_in_the_cohorts_zone(data):
    """Clara's last session was 1 Oct. At 03:00 UTC on 16 Nov it is still 15 Nov in New
    York: 45 days, not more, so she is not flagged yet; an hour after New York's midnight
    she is."""
    import datetime

    import time_machine

    scope = Scope(cohort=data.cohort, viewer=data.staff)

    def clara_at(moment):
        with time_machine.travel(moment, tick=False):
            return {
                f.enrollment.user.full_name: f.codes for f in metrics.at_risk_for(scope, moment)
            }.get("Clara Classmate", [])

    evening = datetime.datetime(2026, 11, 16, 3, 0, tzinfo=datetime.UTC)
    assert "no_coaching" not in clara_at(evening)
    assert "no_coaching" in clara_at(evening + datetime.timedelta(hours=3))


# --- The program view: at-risk counts of every cohort at once ------------------------------


def _counts(program):
    return metrics.at_risk_counts(program, list(program.cohorts.order_by("pk")), NOW)


def _lists(data):
    return {
        cohort.pk: len(metrics.at_risk_for(Scope(cohort=cohort, viewer=data.staff), NOW))
        for cohort in data.program.cohorts.all()
    }


def test_program_counts_agree_with_each_cohorts_list(data):
    counts = _counts(data.program)
    assert counts[data.cohort.pk] == 3  # Pedro, Fiona, Clara (test_reasons_with_...)
    assert counts == _lists(data)


@pytest.mark.parametrize(
    "setting, value",
    [
        ("at_risk_missed_sessions", 1),
        ("at_risk_days_without_coaching", 100),
        ("at_risk_days_without_plan_update", 10),
        ("at_risk_missed_sessions", 0),
    ],
)
def test_program_counts_follow_the_thresholds(data, setting, value):
    setattr(data.program, setting, value)
    data.program.save()
    assert _counts(data.program) == _lists(data)


def test_program_counts_in_a_fixed_number_of_queries(data):
    from tests.queries import count_queries

    from .conftest import grow_cohort, grow_program

    program = data.program
    cohorts = list(program.cohorts.all())
    at_1x, _sql, counts = count_queries(lambda: metrics.at_risk_counts(program, cohorts, NOW))
    assert at_1x == 1
    assert counts[data.cohort.pk] == 3

    grow_cohort(data, 4)  # each absent at the last two sessions: at risk
    grow_program(data, 4 * len(cohorts))  # 5x the cohorts, each with a fellow at risk
    cohorts = list(program.cohorts.all())
    at_5x, _sql, counts = count_queries(lambda: metrics.at_risk_counts(program, cohorts, NOW))
    assert at_5x == at_1x
    assert counts[data.cohort.pk] == 3 + 4
    grown = [c for c in cohorts if c.name.startswith("Grown cohort")]
    assert len(grown) == 4 * (len(cohorts) - len(grown))
    assert all(counts[c.pk] == 1 for c in grown)
    assert counts == _lists(data)


def test_program_view_shows_the_count_and_links_to_the_list(data, client_for):
    html = client_for("staff").get(reverse("reports:program_dashboard", args=[data.program.slug]))
    html = html.content.decode()
    row = html.split(f'data-cohort="{data.cohort.code}"')[1].split("</tr>")[0]
    at_risk_url = reverse("reports:at_risk", args=[data.cohort.code])
    assert f'data-figure="at-risk"><a href="{at_risk_url}">3<' in row
