import zoneinfo

from django.urls import Resolver404, resolve
from django.utils import timezone

from .roles import viewer_roles


class UserTimezoneMiddleware:
    """Shows every time in the viewer's own zone (stored times stay UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class NoStoreMiddleware:
    """Browsers and proxies keep nothing the site serves: coaching pages, plans, reports,
    exports, calendar feeds and every other page may name a person. Static files (served
    by WhiteNoise before this runs) stay cacheable, and so does a response that declares
    itself public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


class ViewerRolesMiddleware:
    """Asks the navigation's roles (one query) before the view rather than while the page
    renders, so the role questions of the view's access helpers can skip the queries whose
    answer they already give: someone with no staff row anywhere staffs no program, someone
    with no enrollment is a member of no cohort (`cohorts.roles.may_be`). The same query
    answers what every page would otherwise ask on its own (`register_request_probe`: the
    words of the page's program), so it runs first after sign-in, with the URL resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            viewer_roles(user, request, _resolved(request))
        return self.get_response(request)


def _resolved(request):
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


class HealthCheckMiddleware:
    """Answers GET /health/ before anything else looks at the request: a container's health
    check or a load balancer's probe speaks plain HTTP to the container's port, with a Host
    header such as 127.0.0.1:8000, which the HTTPS redirect (301) and ALLOWED_HOSTS (400)
    would refuse. Safe because the health view reads no session, user or host name and
    returns only counts; every other path still goes through both checks."""

    PATH = "/health/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.PATH and request.method in ("GET", "HEAD"):
            from .views import health

            return health(request)
        return self.get_response(request)
