"""`{% roster_rows rows %}`: the rows of the staff roster's table, written in Python.

A page of the roster shows 100 fellows; rendered by the template language each row cost
~130 µs (two dozen variable lookups, a `reverse()` and an included badge), more than the
rest of the page. This writes the same markup (tests/cohorts/test_roster_rows.py compares it
with the template it replaced) with each value escaped as `{{ }}` would.
"""

from functools import cache
from html import escape

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from accounts.links import code_url
from cohorts.models import Enrollment

register = template.Library()

_STATUS_BADGE = {"active": "success", "withdrawn": "danger", "completed": "secondary"}
_INVITATION_BADGE = {
    "pending": "info",
    "accepted": "success",
    "expired": "warning",
    "revoked": "secondary",
}


@cache
def _labels(field: str) -> dict[str, str]:
    """A field's choice labels, as `get_<field>_display` gives them, escaped (Django builds
    this map again on every call: ~12 µs for the 57 states and territories)."""
    choices = Enrollment._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    return {str(value): escape(str(label)) for value, label in choices}


@register.simple_tag
def roster_rows(rows) -> SafeString:
    """`rows`: cohorts.selectors.roster_rows."""
    return mark_safe("".join(_row(row) for row in rows))


def _invitation(row) -> str:
    state = row["invitation"]
    if state is None:
        return '<span class="small text-body-secondary">Not invited</span>'
    badge = _INVITATION_BADGE.get(state, "light border")
    out = f'<span class="badge text-bg-{badge}">{escape(state.label)}</span>'
    if state == "pending":
        # The viewer's day, as the template's `date` filter gave it (a tag must localize itself).
        until = escape(date(localtime(row["invitation_expires_at"]), "j M Y"))
        out += f'\n<span class="small text-body-secondary">until {until}</span>'
    return out


def _label(field: str, value: str) -> str:
    label = _labels(field).get(value)
    return escape(value) if label is None else label


def _row(row) -> str:
    # The values are the database's plain text: `html.escape` is what `{{ }}` applies to
    # them, without the checks for safe and lazy strings that cost more than escaping.
    e = escape
    name = e(row["full_name"])
    pronouns = (
        f' <span class="small text-body-secondary">({e(row["pronouns"])})</span>'
        if row["pronouns"]
        else ""
    )
    title = (
        f'<br><span class="small text-body-secondary">{e(row["title"])}</span>'
        if row["title"]
        else ""
    )
    badge = _STATUS_BADGE.get(row["status"], "info")
    url = code_url("cohorts:enrollment_detail", row["code"])
    return (
        "\n      <tr>\n"
        '        <td><input class="form-check-input" type="checkbox" name="enrollments"'
        f' value="{row["code"]}" aria-label="Select {name}"></td>\n'
        f'        <td><a href="{e(url)}">{name}</a>{pronouns}<br>'
        f'<span class="small text-body-secondary">{e(row["email"])}</span></td>\n'
        f"        <td>{_label('state', row['state'])}</td>\n"
        f"        <td>{e(row['agency'])}{title}</td>\n"
        f"        <td>{_label('sector', row['sector'])}</td>\n"
        f'        <td><span class="badge text-bg-{badge}">{_label("status", row["status"])}'
        "</span></td>\n"
        f"        <td>{_invitation(row)}</td>\n"
        "      </tr>"
    )
