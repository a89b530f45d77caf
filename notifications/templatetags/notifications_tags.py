from django import template

from accounts.roles import viewer_roles

from ..selectors import UNREAD_COUNT

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """Asked with the navigation's roles, in their one query per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return 0
    return viewer_roles(user).counts.get(UNREAD_COUNT, 0)
