from datetime import datetime, timedelta

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cohorts import invitations

from .forms import AccountSettingsForm, InvitationAcceptForm
from .models import InvitationState
from .roles import viewer_roles
from .services import user_update_settings
from .tasks import HEARTBEAT_CACHE_KEY


@require_GET
def home(request):
    """Takes each person to the start page of their main role."""
    roles = viewer_roles(request.user)
    if roles.admin or roles.staff:
        return redirect("cohorts:staff_home")
    if roles.coach:
        return redirect("coaching:coach_home")
    if roles.fellow:
        return redirect("cohorts:fellow_home")
    if roles.facilitator:
        return redirect("networks:my_groups")
    return render(request, "accounts/no_role.html")


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


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link in an invitation email: choose a password (or, with an account already, log
    in first), then land on the start page. A bad, used, expired or revoked link says so."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", {"state": None}, status=404)
    if invitation.state != InvitationState.PENDING:
        return _unusable(request, invitation, invitation.state)
    invitee = invitation.user
    context = {"invitation": invitation, "invitee": invitee}
    if request.user.is_authenticated and request.user.pk != invitee.pk:
        return render(request, "accounts/invitation_accept.html", {**context, "wrong_user": True})
    if invitee.has_usable_password() and not request.user.is_authenticated:
        login_url = f"{reverse('account_login')}?next={request.path}"
        return render(
            request, "accounts/invitation_accept.html", {**context, "login_url": login_url}
        )
    form = None
    if not invitee.has_usable_password():
        form = InvitationAcceptForm(
            invitee,
            request.POST or None,
            # The zone proposed from the person's state; the page may offer the browser's.
            initial={"full_name": invitee.full_name, "time_zone": invitee.time_zone},
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = invitations.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["new_password1"] if form else None,
                full_name=form.cleaned_data["full_name"] if form else "",
                time_zone=form.cleaned_data["time_zone"] if form else "",
            )
        except invitations.InvitationUnusable as exc:
            return _unusable(request, exc.invitation, exc.state)
        messages.success(request, f"Welcome to {invitation.program}!")
        if request.user.is_authenticated:
            return redirect("home")
        return perform_login(
            request,
            user,
            email_verification=settings.ACCOUNT_EMAIL_VERIFICATION,
            redirect_url=reverse("home"),
        )
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


def _unusable(request, invitation, state):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"invitation": invitation, "state": state},
        status=410,
    )
