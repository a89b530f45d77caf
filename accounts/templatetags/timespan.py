"""`{{ session|span }}`: when an event (anything with starts_at and ends_at) happens, in the
viewer's zone, naming both days of a multi-day one (accounts.timezones.format_span)."""

from django import template
from django.utils import timezone

from accounts.timezones import format_span

register = template.Library()


@register.filter
def span(event, style="short"):
    if event is None or not getattr(event, "starts_at", None) or not event.ends_at:
        return ""
    return format_span(event.starts_at, event.ends_at, timezone.get_current_timezone(), style=style)
