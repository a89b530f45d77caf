from django.conf import settings
from django.utils import timezone

from .roles import viewer_roles


def viewer(request):
    """Roles for the navigation and the name of the zone times are shown in."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "viewer_roles": viewer_roles(user),
        "viewer_time_zone": timezone.get_current_timezone_name(),
    }
