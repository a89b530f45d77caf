"""`{% milestone_rows milestones %}`: the rows of a goal's milestone table on the plan page
(and its htmx fragment), written in Python.

For the fellow each row holds two forms (the status list and the move buttons), three links
and a list of statuses: in the template language the table was a fifth of the plan page's
CPU. This writes the markup of the loop it replaced (tests/action_plans/test_plan_rows.py
compares them), every value escaped as `{{ }}` would.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from accounts.links import code_url
from accounts.markup import escaped as _e

register = template.Library()


def _csrf_input(context) -> str:
    """`{% csrf_token %}`."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'


@register.simple_tag(takes_context=True)
def milestone_rows(context, milestones: list) -> SafeString:
    """Context: `access` (the plan's permissions) and `status_choices`."""
    can_work = context["access"].can_work
    csrf = _csrf_input(context) if can_work else ""
    choices = [(_e(value), value, _e(label)) for value, label in context["status_choices"]]
    last = len(milestones) - 1
    rows = []
    for i, m in enumerate(milestones):
        code, title = _e(m.code), _e(m.title)
        if can_work:
            status = _status_form(m, code, title, csrf, choices)
            actions = _actions(m, code, title, csrf, first=i == 0, last=i == last)
        else:
            status = f'<span class="badge {_e(m.status_badge)}">{_e(m.get_status_display())}</span>'
            actions = ""
        warning = ' class="table-warning"' if m.overdue else ""
        rows.append(
            f'<tr id="milestone-{code}" data-code="{code}" data-status="{_e(m.status)}"'
            f"{warning}>"
            f"<td>{_title_cell(m, title)}</td>{_due_cell(m)}<td>{status}</td>{actions}</tr>\n"
        )
    return mark_safe("".join(rows))


def _title_cell(m: Any, title: str) -> str:
    cell = f'<span aria-hidden="true">✓ </span>{title}' if m.is_done else title
    if m.comment_count:
        plural = "" if m.comment_count == 1 else "s"
        cell += (
            f' <span class="badge text-bg-light border">{m.comment_count} comment{plural}</span>'
        )
    if m.evidence_note or m.evidence_url:
        link = ""
        if m.evidence_url:
            link = f' <a href="{_e(m.evidence_url)}" rel="noopener noreferrer nofollow">link</a>'
        cell += (
            f' <div class="small text-body-secondary">Evidence: {_e(m.evidence_note)}{link}</div>'
        )
    return cell


def _due_cell(m: Any) -> str:
    cell = _e(date_format(m.due_date, "j M Y")) if m.due_date else ""
    if m.overdue:
        cell += ' <span class="badge badge-status-overdue">Overdue</span>'
    if m.completed_on:
        done = _e(date_format(m.completed_on, "j M Y"))
        cell += f' <div class="small text-success">Done {done}</div>'
    return f'<td class="text-nowrap">{cell}</td>'


def _status_form(m: Any, code: str, title: str, csrf: str, choices: list) -> str:
    # Saved with its button, never on change: a keyboard user moving through the options
    # with the arrow keys would otherwise save each one (WCAG 3.2.2).
    url = _e(code_url("action_plans:milestone_status", m.code))
    options = "".join(
        f'<option value="{value}"{" selected" if raw == m.status else ""}>{label}</option>'
        for value, raw, label in choices
    )
    return (
        f'<form method="post" action="{url}" class="d-flex gap-1 ap-status-form" '
        f'hx-post="{url}" hx-target="#plan-work" hx-swap="outerHTML" '
        f'data-focus-after="#status-{code}">{csrf}'
        f'<label class="visually-hidden" for="status-{code}">Status of {title}</label>'
        f'<select class="form-select form-select-sm" style="min-width: 9rem" name="status" '
        f'id="status-{code}">{options}</select>'
        '<button type="submit" class="btn btn-sm btn-outline-secondary">Save'
        f'<span class="visually-hidden"> the status of {title}</span></button></form>'
    )


def _actions(m: Any, code: str, title: str, csrf: str, *, first: bool, last: bool) -> str:
    move = _e(code_url("action_plans:milestone_move", m.code))
    edit = _e(code_url("action_plans:milestone_edit", m.code))
    # The spaces between the buttons and the link keep them apart on screen: touching, they
    # would be too small a target each (WCAG 2.5.8).
    return (
        f'<td class="text-nowrap text-end"><form method="post" action="{move}" class="d-inline">'
        f'{csrf}\n<button class="btn btn-sm btn-link px-1" name="direction" value="up"'
        f'{" disabled" if first else ""} aria-label="Move {title} up">↑</button>\n'
        '<button class="btn btn-sm btn-link px-1" name="direction" value="down"'
        f'{" disabled" if last else ""} aria-label="Move {title} down">↓</button>\n</form>\n'
        f'<a class="btn btn-sm btn-link" href="{edit}">Edit'
        f'<span class="visually-hidden"> {title}</span></a></td>'
    )
