"""Markup written in Python for the long lists and charts of busy pages (the `*_rows` and
chart template tags): what `{{ value }}` would write, without the template engine's cost."""

from __future__ import annotations

import html
from typing import Any


def escaped(value: Any) -> str:
    """`{{ value }}`: `conditional_escape(value)` without its check for lazy text, which costs
    more than the escaping: str() resolves a lazy label in the active language, and a value
    already safe is written as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
