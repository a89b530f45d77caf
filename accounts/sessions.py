"""Sessions that end: after a while without a request (shorter for program staff and the
site admin) and, whatever happens, a fixed time after signing in. Both are settings
(SESSION_IDLE_SECONDS, SESSION_STAFF_IDLE_SECONDS, SESSION_MAX_AGE_SECONDS).

The session carries when its user signed in and when it was last used. The last-use stamp
is written at most once a minute, so a page costs no extra query for it; the idle limit
that applies (staff or not) is worked out at sign-in and at those writes. Pages get the
seconds left (`request.session_seconds_left`), and `static/js/session.js` warns before the
end, offers to stay signed in, and keeps a half-typed form on the device to put back after
signing in again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from .roles import viewer_roles

SIGNED_IN_AT = "cw_signed_in_at"
SEEN_AT = "cw_seen_at"
IDLE_LIMIT = "cw_idle_limit"
# A request later than this after the last stamp writes a new one.
TOUCH_EVERY_SECONDS = 60
# Asking how long is left is not activity.
PASSIVE_PATHS = ("/me/session/status/",)


def idle_limit_for(user) -> int:
    roles = viewer_roles(user)
    if roles.staff or roles.admin:
        return settings.SESSION_STAFF_IDLE_SECONDS
    return settings.SESSION_IDLE_SECONDS


def start(request, user, now: float | None = None) -> None:
    now = time.time() if now is None else now
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[IDLE_LIMIT] = idle_limit_for(user)


def touch(request, now: float | None = None) -> None:
    now = time.time() if now is None else now
    request.session[SEEN_AT] = now
    request.session[IDLE_LIMIT] = idle_limit_for(request.user)


def seconds_left(session, now: float) -> float:
    idle_end = session[SEEN_AT] + session.get(IDLE_LIMIT, settings.SESSION_IDLE_SECONDS)
    hard_end = session[SIGNED_IN_AT] + settings.SESSION_MAX_AGE_SECONDS
    return min(idle_end, hard_end) - now


def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start(request, user)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="accounts:session_start")


def login_url_after_expiry(path: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': path, 'expired': '1'})}"


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if SIGNED_IN_AT not in session:
                start(request, user, now)  # a session from before these rules
            elif seconds_left(session, now) <= 0:
                return self._expired(request)
            elif (
                now - session[SEEN_AT] >= TOUCH_EVERY_SECONDS and request.path not in PASSIVE_PATHS
            ):
                touch(request, now)
            request.session_seconds_left = int(seconds_left(session, now))
        return self.get_response(request)

    def _expired(self, request):
        path = request.get_full_path() if request.method == "GET" else request.path
        logout(request)
        if request.path.startswith("/me/session/") or request.headers.get("Accept", "").startswith(
            "application/json"
        ):
            return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
        url = login_url_after_expiry(path)
        response = HttpResponseRedirect(url)
        if getattr(request, "htmx", False):
            response["HX-Redirect"] = url
        return response
