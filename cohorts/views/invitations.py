"""Accepting an invitation: the page behind the link in the email. It needs no login (the
link is the proof), so it is the one cohorts page open to anonymous visitors."""

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.form_helpers import posted

from .. import invitations
from ..forms import InvitationAcceptForm
from ..models import InvitationState


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link in an invitation email: choose a password (or, with an account already, log
    in first), then land on the start page. A bad, used, expired or revoked link says so."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return render(request, "cohorts/invitation_invalid.html", {"state": None}, status=404)
    if invitation.state != InvitationState.PENDING:
        return _unusable(request, invitation, invitation.state)
    invitee = invitation.user
    context = {"invitation": invitation, "invitee": invitee, "terms": invitation.program.terms}
    if request.user.is_authenticated and request.user.pk != invitee.pk:
        return render(request, "cohorts/invitation_accept.html", {**context, "wrong_user": True})
    if invitee.has_usable_password() and not request.user.is_authenticated:
        login_url = f"{reverse('account_login')}?next={request.path}"
        return render(
            request, "cohorts/invitation_accept.html", {**context, "login_url": login_url}
        )
    form = None
    if not invitee.has_usable_password():
        form = InvitationAcceptForm(
            invitee,
            posted(request),
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
    return render(request, "cohorts/invitation_accept.html", {**context, "form": form})


def _unusable(request, invitation, state):
    return render(
        request,
        "cohorts/invitation_invalid.html",
        {"invitation": invitation, "state": state},
        status=410,
    )
