from django import template

from announcements import formatting

register = template.Library()


@register.filter
def announcement_html(body: str):
    """The body's Markdown as sanitised HTML (formatting.render)."""
    return formatting.render(body)


@register.filter
def announcement_excerpt(body: str, limit: int = 180) -> str:
    """The body as plain text, cut short (escaped by the template like any text)."""
    return formatting.plain_text(body, limit=limit)
