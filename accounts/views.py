import time
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .form_helpers import posted, save_form
from .forms import AccountSettingsForm
from .health import sections as health_sections
from .mfa import has_second_factor, must_use_mfa, session_used_mfa
from .services import user_update_settings
from .sessions import seconds_left, touch
from .tasks import HEARTBEAT_CACHE_KEY


@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = AccountSettingsForm(posted(request), instance=request.user)
    if save_form(form, lambda data: user_update_settings(user=request.user, data=data)):
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_not_required
@require_GET
def health(request):
    """For load balancers and the IT person: database reachable, worker and beat alive."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = cache.get(HEARTBEAT_CACHE_KEY)
    worker_ok = False
    if last:
        worker_ok = timezone.now() - datetime.fromisoformat(last) < timedelta(minutes=3)
    return JsonResponse(
        {
            "database": "ok",
            "worker_heartbeat": last,
            "worker_ok": worker_ok,
            **health_sections(),
        }
    )


@require_GET
def session_status(request):
    """How long the session has left (asking is not activity: session.js polls this)."""
    return JsonResponse(
        {"signed_in": True, "seconds_left": getattr(request, "session_seconds_left", 0)},
        headers={"Cache-Control": "no-store"},
    )


@require_POST
def session_keepalive(request):
    """'Stay signed in': the request itself counts as activity."""
    touch(request)
    return JsonResponse(
        {"signed_in": True, "seconds_left": int(seconds_left(request.session, time.time()))}
    )


@require_GET
def mfa_required(request):
    """Where someone who must use two-factor authentication and has not set it up lands
    after signing in (accounts/mfa.py); nothing else opens until they have."""
    if not must_use_mfa(request.user) or session_used_mfa(request):
        return redirect(_safe_next(request) or "home")
    return render(
        request,
        "accounts/mfa_required.html",
        {"next": _safe_next(request), "has_factor": has_second_factor(request.user)},
    )


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
