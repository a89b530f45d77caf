"""The results list of the funder report, written in Python.

At 10x the report lists about a hundred results, and rendering each through the template
language (a dozen variable lookups, escapes and filters per result) was most of the page's
CPU. This tag writes the markup of the loop it replaced (tests/outcomes/test_result_rows.py
compares them), each value escaped as `{{ }}` would.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import linebreaksbr
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime

from accounts.markup import escaped as _e

register = template.Library()


def _day(value: datetime.date | None) -> str:
    if value is None:
        return ""
    # A datetime is shown on the viewer's day, as the `date` filter would show it.
    if isinstance(value, datetime.datetime) and is_aware(value):
        value = localtime(value)
    return _e(date_format(value, "j M Y"))


@register.simple_tag
def funder_result_rows(results: Iterable) -> SafeString:
    """The articles of the funder report's results: `FunderResult`s."""
    out = []
    for result in results:
        verified = (
            ' <span class="badge text-bg-success">Verified</span>' if result.is_verified else ""
        )
        levels = f" · {_e(result.focus_levels)}" if result.focus_levels else ""
        reach = (
            f" · about {_e(intcomma(result.people_reached))} people reached"
            f" (source: {_e(result.reach_source)})"
            if result.people_reached is not None
            else ""
        )
        out.append(
            f'<article class="mb-3" data-result="{_e(result.code)}">\n'
            f'<h3 class="h6 mb-1">{_e(result.title)} '
            f'<span class="badge text-bg-light border">{_e(result.kind_label)}</span>'
            f"{verified}</h3>\n"
            f'<p class="small text-body-secondary mb-1">{_e(result.fellow)} · '
            f"{_day(result.achieved_on)} · {_e(result.jurisdiction_label)}{levels}{reach}</p>\n"
            f'<div class="small">{linebreaksbr(result.story, autoescape=True)}</div>\n'
            "</article>\n"
        )
    return mark_safe("".join(out))
