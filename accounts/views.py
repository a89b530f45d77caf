from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .forms import AccountSettingsForm
from .services import user_update_settings
from .tasks import HEARTBEAT_CACHE_KEY


@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_settings(user=request.user, data=form.cleaned_data)
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
    return JsonResponse({"database": "ok", "worker_heartbeat": last, "worker_ok": worker_ok})
