"""The group page's members table and check-in history written in Python (networks/
templatetags/group_rows.py) are the markup the template's loops wrote: every text escaped,
line breaks kept, progress rounded as `widthratio` rounds, times in the viewer's zone."""

from __future__ import annotations

import datetime
import uuid

from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone

from networks.selectors import GroupMember, HistoryCheckIn, PastMeeting, PlanSummary

# The loops of templates/networks/group_detail.html as they were.
MEMBERS = """
  {% for m in members %}
    <tr>
      <th scope="row">{{ m.name }}{% if m.pronouns %} <span class="small text-body-secondary">({{ m.pronouns }})</span>{% endif %}{% if m.status != "active" %} <span class="badge text-bg-secondary">{{ m.status_label }}</span>{% endif %}</th>
      <td>{{ m.state_label }} · {{ m.agency }}</td>
      {% if m.plan %}
        <td><a href="{{ m.plan.url }}">{{ m.plan.title }}</a> <span class="badge text-bg-light">{{ m.plan.status_label }}</span></td>
        <td>
          {% if m.milestones_total %}
          <div class="progress" role="progressbar" aria-label="Milestones done" aria-valuenow="{{ m.milestones_done }}" aria-valuemin="0" aria-valuemax="{{ m.milestones_total }}" style="min-width:6rem">
            <div class="progress-bar" style="width: {% widthratio m.milestones_done m.milestones_total 100 %}%"></div>
          </div>
          <span class="small">{{ m.milestones_done }} of {{ m.milestones_total }}</span>
          {% else %}<span class="text-body-secondary small">No milestones yet</span>{% endif %}
        </td>
        <td>{% if m.update_as_of %}<span class="badge {% if m.update_signal == "on_track" %}text-bg-success{% elif m.update_signal == "at_risk" %}text-bg-warning{% else %}text-bg-danger{% endif %}">{{ m.update_signal_label }}</span> <span class="small">{{ m.update_as_of|date:"j M Y" }}: {{ m.update_body|truncatechars:140 }}</span>{% else %}<span class="text-body-secondary small">No update yet</span>{% endif %}</td>
      {% elif m.has_plan %}
        <td colspan="3" class="text-body-secondary small">Plan not shared with you</td>
      {% else %}
        <td colspan="3" class="text-body-secondary small">No plan yet</td>
      {% endif %}
      <td>{% if m.last_commitment %}{{ m.last_commitment }} <span class="small text-body-secondary">({{ m.last_commitment_at|date:"j M" }})</span>{% else %}<span class="text-body-secondary small">—</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6">This group has no members yet.</td></tr>
  {% endfor %}
"""  # noqa: E501
HISTORY = """
{% for meeting in history %}
  <section class="card mb-3" aria-labelledby="h-{{ meeting.code }}">
    <div class="card-header d-flex justify-content-between flex-wrap">
      <h3 class="h6 mb-0" id="h-{{ meeting.code }}"><a href="{{ meeting.url }}">{{ meeting.starts_at|date:"D j M Y, g:i A T" }}</a></h3>
      <span class="small">{% if meeting.cancelled_at %}<span class="badge text-bg-secondary">Cancelled</span>{% else %}{% if meeting.attendance_recorded %}{{ meeting.present_marks }} {{ meeting.attendance_recorded }} recorded{% else %}attendance not taken{% endif %}{% endif %}</span>
    </div>
    {% if meeting.check_ins %}
    <ul class="list-group list-group-flush">
      {% for c in meeting.check_ins %}
      <li class="list-group-item">
        <strong>{{ c.name }}</strong>
        <dl class="row small mb-0">
          {% if c.committed %}<dt class="col-sm-3">Committed to</dt><dd class="col-sm-9">{{ c.committed|linebreaksbr }}</dd>{% endif %}
          <dt class="col-sm-3">Did</dt><dd class="col-sm-9">{{ c.done|linebreaksbr }}</dd>
          {% if c.ask %}<dt class="col-sm-3">Asked the group</dt><dd class="col-sm-9">{{ c.ask|linebreaksbr }}</dd>{% endif %}
          <dt class="col-sm-3">Commits to next</dt><dd class="col-sm-9">{{ c.next_commitment|linebreaksbr }}</dd>
          {% if c.milestones %}<dt class="col-sm-3">Milestones</dt><dd class="col-sm-9">{{ c.milestones|join:"; " }}</dd>{% endif %}
        </dl>
      </li>
      {% endfor %}
    </ul>
    {% elif not meeting.cancelled_at %}
    <div class="card-body small text-body-secondary">No check-ins recorded.</div>
    {% endif %}
  </section>
{% empty %}
  <p>No meetings yet.</p>
{% endfor %}"""  # noqa: E501

TRICKY = 'Ana "<b>" O\'Neil & Co'
WHEN = datetime.datetime(2026, 11, 3, 23, 30, tzinfo=datetime.UTC)  # 3 Nov in UTC, 4 Nov in Guam


def _member(**given) -> GroupMember:
    row = {
        "name": TRICKY,
        "pronouns": "",
        "status": "active",
        "status_label": "Active",
        "state_label": "Hawaii",
        "agency": "Dept. of <Health> & Welfare",
        "has_plan": True,
        "plan": PlanSummary(url="/plans/x/?a=1&b=2", title=TRICKY, status_label="Approved"),
        "milestones_total": 8,
        "milestones_done": 1,
        "update_signal": "on_track",
        "update_signal_label": "On track",
        "update_as_of": datetime.date(2026, 11, 20),
        "update_body": "A long <update> & more. " * 10,
        "last_commitment": "Call the <mayor>",
        "last_commitment_at": WHEN,
    }
    return GroupMember(**{**row, **given})


def _members() -> list[GroupMember]:
    return [
        _member(),
        _member(pronouns="she/<her>", status="withdrawn", status_label="Withdrawn"),
        _member(milestones_total=3, milestones_done=2, update_signal="at_risk"),
        _member(milestones_total=0, milestones_done=0, update_signal="off_track"),
        _member(update_as_of=None, update_body=None, last_commitment=None),
        _member(plan=None, has_plan=True, last_commitment_at=None, last_commitment=""),
        _member(plan=None, has_plan=False, milestones_total=0),
    ]


def _history() -> list[PastMeeting]:
    check_in = HistoryCheckIn(
        name=TRICKY,
        committed="Draft the <memo>\nand send it",
        done="Sent & signed\r\nwith notes",
        ask="",
        next_commitment='Meet the "board"',
        milestones=["First <draft>", "Second & last"],
    )
    bare = HistoryCheckIn(
        name="Bo", committed="", done="", ask="Help?\nPlease", next_commitment="", milestones=[]
    )
    meeting = {
        "code": uuid.uuid4(),
        "url": "/groups/meetings/x/?a=1&b=2",
        "starts_at": WHEN,
        "cancelled_at": None,
        "attendance_recorded": 4,
        "present_marks": "✓✓✓",
        "check_ins": [check_in, bare],
    }
    return [
        PastMeeting(**meeting),
        PastMeeting(**{**meeting, "code": uuid.uuid4(), "attendance_recorded": 0, "check_ins": []}),
        PastMeeting(**{**meeting, "code": uuid.uuid4(), "cancelled_at": WHEN, "check_ins": []}),
        PastMeeting(**{**meeting, "code": uuid.uuid4(), "cancelled_at": WHEN}),
    ]


def test_rows_are_the_markup_of_the_loops_they_replace():
    cases = [
        (MEMBERS, "{% load group_rows %}{% member_rows members %}", {"members": _members()}),
        (HISTORY, "{% load group_rows %}{% checkin_history history %}", {"history": _history()}),
    ]
    for zone in ["Pacific/Guam", "America/Puerto_Rico"]:
        with timezone.override(zone):
            for old, new, context in cases:
                old_html = Template(old).render(Context(context))
                new_html = Template(new).render(Context(context))
                assert parse_html(new_html) == parse_html(old_html)
                assert "<b>" not in new_html and "<mayor>" not in new_html


def test_times_are_in_the_viewers_zone():
    template = Template("{% load group_rows %}{% checkin_history history %}")
    with timezone.override("Pacific/Guam"):
        assert "Wed 4 Nov 2026, 9:30 AM ChST" in template.render(Context({"history": _history()}))
