"""An announcement's body: Markdown, shown as sanitised HTML.

Two locks, so a mistake in one is caught by the other. Markdown is read without its raw-HTML
passthrough, so `<script>` or `<img onerror=...>` typed in the body shows as text; the HTML
Markdown makes is then cleaned by nh3 (the Ammonia sanitiser) to the small set of tags below,
links to http, https and mailto only, each opened with rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import html

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

# Headings start at h3: the page has the h1, each announcement's title an h2.
TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _shift_headings(made: str) -> str:
    # "# Title" in the body becomes an h3, "## Part" an h4, and so on (h5, h6 become h4).
    for level in range(6, 0, -1):
        new = min(level + 2, 4)
        made = made.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return made


def render(body: str) -> SafeString:
    """The body as HTML that is safe to put in a page."""
    made = _shift_headings(_markdown().convert(body or ""))
    cleaned = nh3.clean(
        made,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # cleaned by nh3 just above


def plain_text(body: str, limit: int = 1500) -> str:
    """The body as plain text for emails (cut at `limit` characters)."""
    text = html.unescape(strip_tags(str(render(body)))).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
