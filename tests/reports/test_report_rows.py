"""The dashboard's and the at-risk list's long lists, written in Python (reports/templatetags/
report_rows.py), are the markup the templates wrote before: names and reasons escaped, a
rate of nobody expected shown as a dash, meeting times in the viewer's zone. And the
queries the reports pages keep compiled answer each cohort and viewer with their own rows."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone

from reports import metrics
from reports.access import Scope
from reports.metrics import cohort as cohort_metrics
from reports.metrics import fellows as fellow_metrics
from reports.metrics import week as week_metrics
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import CohortFactory, EnrollmentFactory
from tests.factories.curriculum import AttendanceFactory
from tests.factories.networks import GroupMeetingFactory

from .conftest import NOW, E, at

pytestmark = pytest.mark.django_db

# The loops of templates/reports/cohort_dashboard.html and reports/partials/at_risk_table.html
# as they were.
ATTENDANCE_ROWS = """
{% for row in rows %}
        <tr><th scope="row"><a href="{{ row.subject.get_absolute_url }}">{{ row.subject.user.full_name }}</a></th><td class="text-end">{{ row.present }}</td><td class="text-end">{{ row.late }}</td><td class="text-end">{{ row.excused }}</td><td class="text-end">{{ row.absent }}</td><td class="text-end">{% if row.rate is None %}—{% else %}{{ row.rate }}%{% endif %}</td></tr>
{% endfor %}
"""  # noqa: E501
AT_RISK_ROWS = """
  {% for item in flagged %}
    <tr>
      <th scope="row"><a href="{{ item.enrollment.get_absolute_url }}">{{ item.enrollment.user.full_name }}</a></th>
      <td>{{ item.enrollment.agency }}</td>
      <td><ul class="list-unstyled mb-0">{% for reason in item.reasons %}<li class="reason reason-{{ reason.code }}"><span aria-hidden="true">⚠</span> {{ reason.text }}</li>{% endfor %}</ul></td>
    </tr>
  {% endfor %}
"""  # noqa: E501
WEEK_ITEMS = """
    {% for s in week.sessions %}
      <li class="list-group-item"><span class="badge text-bg-light border me-2">Session</span><a href="{{ s.get_absolute_url }}">{{ s.title }}</a> — {{ s.starts_at|date:"D j M, H:i" }}</li>
    {% endfor %}
    {% for m in week.meetings %}
      <li class="list-group-item"><span class="badge text-bg-light border me-2">{{ label|capfirst }}</span><a href="{{ m.get_absolute_url }}">{{ m.group.name }}</a> — {{ m.starts_at|date:"D j M, H:i" }}</li>
    {% endfor %}
"""  # noqa: E501


def test_rows_are_the_markup_of_the_templates_they_replace(data):
    tricky = EnrollmentFactory(
        cohort=data.cohort,
        user=UserFactory(full_name='Ana "<b>" O\'Neil & Co'),
        agency="Dept. of <Health> & Welfare",
    )
    # Excused only: nobody expected her, so her rate is a dash.
    AttendanceFactory(session=data.rep.sessions[0], enrollment=tricky, status=E)
    data.group.name = "Group <Kōkua> & friends"
    data.group.save()
    # Late at night in UTC, the next day in Auckland: the time is the viewer's.
    GroupMeetingFactory(group=data.group, starts_at=at(12, 4, hour=23))
    board = metrics.dashboard(Scope(cohort=data.cohort, viewer=data.staff), NOW)
    assert len(board.attendance.by_fellow) == 4 and board.at_risk and board.week.meetings

    context = Context(
        {
            "rows": board.attendance.by_fellow,
            "flagged": board.at_risk,
            "week": board.week,
            "label": "peer <group>",
        }
    )
    with timezone.override("Pacific/Auckland"):
        for before, after in [
            (ATTENDANCE_ROWS, "{% attendance_rows rows %}"),
            (AT_RISK_ROWS, "{% at_risk_rows flagged %}"),
            (WEEK_ITEMS, "{% week_items week label|capfirst %}"),
        ]:
            old = Template(before).render(context)
            new = Template("{% load report_rows %}" + after).render(context)
            assert parse_html(new) == parse_html(old)
        week = Template("{% load report_rows %}{% week_items week 'Group' %}").render(context)
    assert "Sat 5 Dec, 12:00" in week  # 23:00 UTC on the 4th
    rows = Template("{% load report_rows %}{% attendance_rows rows %}").render(context)
    assert "Ana &quot;&lt;b&gt;&quot; O&#x27;Neil &amp; Co" in rows
    assert '<td class="text-end">—</td>' in rows
    assert "Group &lt;Kōkua&gt; &amp; friends" in week


def test_kept_queries_answer_each_cohort_and_viewer_with_their_own_rows(data):
    """The fellows', sessions', growth and meetings' queries are compiled once and run
    again with the next request's cohort, viewer and time: nothing of the first is kept."""
    staff = Scope(cohort=data.cohort, viewer=data.staff)
    coach = Scope(cohort=data.cohort, viewer=data.coach, coach=data.coach)
    other = CohortFactory(program=data.cohort.program, start_date=datetime.date(2026, 9, 1))
    newcomer = EnrollmentFactory(cohort=other, user=UserFactory(full_name="Nina Newcomer"))
    GroupMeetingFactory(group__cohort=other, group__name="Other group", starts_at=at(12, 2))
    elsewhere = Scope(cohort=other, viewer=data.staff)

    for _ in range(2):
        board = metrics.dashboard(staff, NOW)
        assert [f.full_name for f in metrics.fellow_rows(coach, NOW)] == ["Fiona Fellow"]
        assert [f.pk for f in metrics.fellow_rows(elsewhere, NOW)] == [newcomer.pk]
        assert [m.group.name for m in metrics.this_week(elsewhere, NOW).meetings] == ["Other group"]
        assert metrics.growth(elsewhere).rows == []  # no framework in the other cohort
        assert metrics.attendance(elsewhere, NOW).by_session == []
        assert [r.rate for r in board.attendance.by_session] == [75, 33, 50]
        assert [m.group.name for m in board.week.meetings] == ["Group Kōkua"]
        assert [(r.baseline, r.latest) for r in board.growth.rows] == [(1.5, 4.0), (2.5, 4.0)]
    # A week later the session of 3 December has been held and the meeting of the 2nd is
    # no longer coming.
    later = metrics.dashboard(staff, NOW + datetime.timedelta(days=7))
    assert [s.title for s in later.week.sessions] == []
    assert len(later.attendance.by_session) == 4
    assert later.week.meetings == []

    assert fellow_metrics._ROWS.is_reused(True) and fellow_metrics._ROWS.is_reused(False)
    assert cohort_metrics._SESSIONS.is_reused((True, True))
    assert cohort_metrics._SESSIONS.is_reused((True, False))
    # The package's `growth` is the function: its module by name.
    assert importlib.import_module("reports.metrics.growth")._DOMAINS.is_reused(True)
    assert week_metrics._MEETINGS.is_reused("staff")


def test_program_counts_kept_compiled_follow_the_moment_and_the_cohorts(data):
    """The program view's at-risk counts run one kept query per number of cohorts: asked
    again in another order and at the cohort's start, each cohort counts its own fellows
    on its own day."""
    program = data.program
    cohorts = list(program.cohorts.order_by("pk"))
    early = datetime.datetime(2026, 9, 5, 12, 0, tzinfo=datetime.UTC)

    def lists(moment):
        return {
            c.pk: len(metrics.at_risk_for(Scope(cohort=c, viewer=data.staff), moment))
            for c in cohorts
        }

    assert metrics.at_risk_counts(program, cohorts, NOW) == lists(NOW)
    assert metrics.at_risk_counts(program, cohorts[::-1], early) == lists(early)
    assert lists(early)[data.cohort.pk] < lists(NOW)[data.cohort.pk]
    at_risk = importlib.import_module("reports.metrics.at_risk")
    assert at_risk._COUNTS.is_reused(len(cohorts))


def test_program_headlines_kept_compiled_follow_the_moment(data):
    """The program view's grouped queries are kept compiled: at the cohort's start no session
    has been held and no milestone is overdue yet; three months later both show."""
    early = datetime.datetime(2026, 9, 5, 12, 0, tzinfo=datetime.UTC)
    for moment, rate, overdue in [(NOW, 56, 1), (early, None, 0), (NOW, 56, 1)]:
        current = metrics.program_headlines(data.program, moment)[-1]
        assert current.cohort == data.cohort
        assert (current.attendance.rate, current.milestones_overdue) == (rate, overdue)
        assert (current.fellows, current.without_coach, current.plans_approved) == (3, 1, 2)
        assert (current.coaching_sessions, current.baseline, current.latest) == (3, 2.0, 4.0)
    program = importlib.import_module("reports.metrics.program")
    cohorts = data.program.cohorts.count()
    assert program._PLANS.is_reused(cohorts)
    for query, shape in [
        (program._STATUSES, "statuses"),
        (program._MARKS, "marks"),
        (program._COACHING, "coaching"),
        (program._AVERAGES, "averages"),
    ]:
        assert query.is_reused(shape)
