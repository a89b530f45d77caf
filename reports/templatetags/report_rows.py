"""The long lists of the cohort dashboard and the at-risk list, written in Python.

At 300 fellows the dashboard's per-fellow attendance table, its at-risk table and a week of
group meetings were most of the page's CPU when rendered by the template language (a
variable lookup, a localisation and an escape per cell, an `{% if %}` per rate). These tags
write the markup of the templates they replaced (tests/reports/test_report_rows.py compares
them), each value escaped as `{{ }}` would and each time shown in the viewer's zone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from accounts.markup import escaped as _e

register = template.Library()

_WHEN = "D j M, H:i"


@register.simple_tag
def attendance_rows(rows: Iterable) -> SafeString:
    """The rows of the attendance-by-fellow table: `RateRow`s of fellows."""
    out = []
    for row in rows:
        fellow = row.subject
        rate = row.rate
        out.append(
            f'<tr><th scope="row"><a href="{_e(fellow.get_absolute_url())}">'
            f"{_e(fellow.user.full_name)}</a></th>"
            f'<td class="text-end">{row.present}</td><td class="text-end">{row.late}</td>'
            f'<td class="text-end">{row.excused}</td><td class="text-end">{row.absent}</td>'
            f'<td class="text-end">{"—" if rate is None else f"{rate}%"}</td></tr>\n'
        )
    return mark_safe("".join(out))


@register.simple_tag
def at_risk_rows(flagged: Iterable) -> SafeString:
    """The rows of the at-risk table: `AtRiskFellow`s, every reason named."""
    out = []
    for item in flagged:
        fellow = item.enrollment
        reasons = "".join(
            f'<li class="reason reason-{_e(reason.code)}"><span aria-hidden="true">⚠</span> '
            f"{_e(reason.text)}</li>"
            for reason in item.reasons
        )
        out.append(
            "<tr>\n"
            f'  <th scope="row"><a href="{_e(fellow.get_absolute_url())}">'
            f"{_e(fellow.user.full_name)}</a></th>\n"
            f"  <td>{_e(fellow.agency)}</td>\n"
            f'  <td><ul class="list-unstyled mb-0">{reasons}</ul></td>\n'
            "</tr>\n"
        )
    return mark_safe("".join(out))


@register.simple_tag
def week_items(week, group_label: str) -> SafeString:
    """The items of the dashboard's coming week: its sessions, then its group meetings."""
    out = [
        _item("Session", session.get_absolute_url(), session.title, session.starts_at)
        for session in week.sessions
    ]
    label = _e(group_label)
    out += [
        _item(label, meeting.get_absolute_url(), meeting.group.name, meeting.starts_at)
        for meeting in week.meetings
    ]
    return mark_safe("".join(out))


def _item(badge: str, url: str, title: str, starts_at) -> str:
    when = _e(date_format(localtime(starts_at), _WHEN))
    return (
        f'<li class="list-group-item"><span class="badge text-bg-light border me-2">{badge}'
        f'</span><a href="{_e(url)}">{_e(title)}</a> — {when}</li>\n'
    )
