"""The group page's members table and check-in history, written in Python.

Both loops were most of the group page's CPU in the template language (a variable lookup
through the loop's context, a localisation and an escape per value, a time-zone name per
meeting). These tags write the markup of the loops they replaced
(tests/networks/test_group_rows.py compares them): each value escaped as `{{ }}` would,
texts with their line breaks as `linebreaksbr`, and times in the viewer's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaultfilters import join, linebreaksbr
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import (  # type: ignore[attr-defined]  # not in django-stubs
    template_localtime,
)

from accounts.markup import escaped as _e

register = template.Library()

_MEETING_WHEN = "D j M Y, g:i A T"
_SIGNAL_BADGES = {"on_track": "text-bg-success", "at_risk": "text-bg-warning"}


def _date(value: Any, fmt: str) -> str:
    """`{{ value|date:fmt }}`: a time in the viewer's zone, a day as it is."""
    return _e(date_format(template_localtime(value), fmt)) if value else ""


@register.simple_tag
def member_rows(members: Iterable) -> SafeString:
    """The rows of the members table: `networks.selectors.GroupMember`s."""
    return mark_safe("".join(_member(m) for m in members))


def _member(m: Any) -> str:
    name = _e(m.name)
    if m.pronouns:
        name += f' <span class="small text-body-secondary">({_e(m.pronouns)})</span>'
    if m.status != "active":
        name += f' <span class="badge text-bg-secondary">{_e(m.status_label)}</span>'
    if m.plan:
        plan = _plan_cells(m)
    elif m.has_plan:
        plan = '<td colspan="3" class="text-body-secondary small">Plan not shared with you</td>'
    else:
        plan = '<td colspan="3" class="text-body-secondary small">No plan yet</td>'
    if m.last_commitment:
        commitment = (
            f'{_e(m.last_commitment)} <span class="small text-body-secondary">'
            f"({_date(m.last_commitment_at, 'j M')})</span>"
        )
    else:
        commitment = '<span class="text-body-secondary small">—</span>'
    return (
        f'<tr><th scope="row">{name}</th><td>{_e(m.state_label)} · {_e(m.agency)}</td>'
        f"{plan}<td>{commitment}</td></tr>\n"
    )


def _plan_cells(m: Any) -> str:
    cells = (
        f'<td><a href="{_e(m.plan.url)}">{_e(m.plan.title)}</a> '
        f'<span class="badge text-bg-light">{_e(m.plan.status_label)}</span></td>'
    )
    if m.milestones_total:
        # `{% widthratio %}`: rounded as it rounds.
        width = round(float(m.milestones_done) / float(m.milestones_total) * 100)
        cells += (
            '<td><div class="progress" role="progressbar" aria-label="Milestones done" '
            f'aria-valuenow="{m.milestones_done}" aria-valuemin="0" '
            f'aria-valuemax="{m.milestones_total}" style="min-width:6rem">'
            f'<div class="progress-bar" style="width: {width}%"></div></div>'
            f'<span class="small">{m.milestones_done} of {m.milestones_total}</span></td>'
        )
    else:
        cells += '<td><span class="text-body-secondary small">No milestones yet</span></td>'
    if m.update_as_of:
        badge = _SIGNAL_BADGES.get(m.update_signal, "text-bg-danger")
        body = _e(Truncator(m.update_body).chars(140))
        cells += (
            f'<td><span class="badge {badge}">{_e(m.update_signal_label)}</span> '
            f'<span class="small">{_date(m.update_as_of, "j M Y")}: {body}</span></td>'
        )
    else:
        cells += '<td><span class="text-body-secondary small">No update yet</span></td>'
    return cells


@register.simple_tag
def checkin_history(history: Iterable) -> SafeString:
    """The past meetings, each with its check-ins: `networks.selectors.PastMeeting`s."""
    return mark_safe("".join(_meeting(meeting) for meeting in history))


def _meeting(meeting: Any) -> str:
    code = _e(meeting.code)
    if meeting.cancelled_at:
        state = '<span class="badge text-bg-secondary">Cancelled</span>'
    elif meeting.attendance_recorded:
        state = f"{_e(meeting.present_marks)} {meeting.attendance_recorded} recorded"
    else:
        state = "attendance not taken"
    if meeting.check_ins:
        check_ins = "".join(_check_in(c) for c in meeting.check_ins)
        body = f'<ul class="list-group list-group-flush">{check_ins}</ul>'
    elif not meeting.cancelled_at:
        body = '<div class="card-body small text-body-secondary">No check-ins recorded.</div>'
    else:
        body = ""
    return (
        f'<section class="card mb-3" aria-labelledby="h-{code}">'
        '<div class="card-header d-flex justify-content-between flex-wrap">'
        f'<h3 class="h6 mb-0" id="h-{code}"><a href="{_e(meeting.url)}">'
        f"{_date(meeting.starts_at, _MEETING_WHEN)}</a></h3>"
        f'<span class="small">{state}</span></div>{body}</section>\n'
    )


def _check_in(c: Any) -> str:
    rows = []
    if c.committed:
        rows.append(_term("Committed to", linebreaksbr(c.committed)))
    rows.append(_term("Did", linebreaksbr(c.done)))
    if c.ask:
        rows.append(_term("Asked the group", linebreaksbr(c.ask)))
    rows.append(_term("Commits to next", linebreaksbr(c.next_commitment)))
    if c.milestones:
        rows.append(_term("Milestones", join(c.milestones, "; ")))
    return (
        f'<li class="list-group-item"><strong>{_e(c.name)}</strong>'
        f'<dl class="row small mb-0">{"".join(rows)}</dl></li>'
    )


def _term(label: str, value: str) -> str:
    return f'<dt class="col-sm-3">{label}</dt><dd class="col-sm-9">{value}</dd>'
