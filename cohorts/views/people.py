"""Fellows' own pages (start page, profile), the program directory, photos, and staff's
resend / revoke of invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.downloads import file_download
from accounts.form_helpers import posted, posted_files, save_form
from accounts.forms import AccountSettingsForm

from ..access import (
    get_directory_for_viewer,
    get_invitation_for_staff,
    get_own_enrollments,
    get_photo_for_viewer,
)
from ..filters import DirectoryFilter
from ..forms import ParticipantProfileForm
from ..home import fellow_home_panels
from ..invitations import invitation_resend, invitation_revoke
from ..models import InvitationRole, ParticipantProfile, Visibility
from ..selectors import directory_enrollments, directory_entries, enrollments_of_user
from ..services import participant_profile_update
from ..terms import terms_for_request
from .paging import paginate

DIRECTORY_PAGE_SIZE = 50


@require_GET
def fellow_home(request):
    enrollments = enrollments_of_user(request.user)
    current = enrollments[0] if enrollments else None
    panels = fellow_home_panels(request.user, current) if current else []
    return render(
        request,
        "cohorts/fellow_home.html",
        {"enrollments": enrollments, "current": current, "panels": panels},
    )


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    enrollments = get_own_enrollments(request.user)
    current = enrollments[0]
    profile = ParticipantProfile.objects.filter(user=request.user).first() or ParticipantProfile(
        user=request.user
    )
    data = posted(request)
    account_form = AccountSettingsForm(data, instance=request.user)
    profile_form = ParticipantProfileForm(
        data,
        posted_files(request),
        instance=profile,
        initial={"bio": current.bio, "directory_opt_in": current.directory_opt_in},
    )
    terms_for_request(request).speak_form(profile_form)
    if account_form.is_valid() and save_form(
        profile_form,
        lambda data: participant_profile_update(
            user=request.user,
            account_data=account_form.cleaned_data,
            profile_data=data,
            photo=data.get("photo"),
            remove_photo=data.get("remove_photo", False),
        ),
    ):
        messages.success(request, "Your profile is saved.")
        return redirect("cohorts:profile_edit")
    return render(
        request,
        "cohorts/profile_edit.html",
        {
            "account_form": account_form,
            "profile_form": profile_form,
            "profile": profile,
            "current": current,
            "visibilities": Visibility,
        },
    )


@require_GET
def participant_photo(request, code):
    profile = get_photo_for_viewer(request.user, code)
    return file_download(request, profile.photo, as_attachment=False)


@require_GET
def directory(request, slug):
    """Current and past fellows of a program who opted in, each field shown as they chose."""
    program, reach = get_directory_for_viewer(request.user, slug)
    is_staff = Visibility.STAFF in reach
    filterset = DirectoryFilter(
        request.GET or None,
        queryset=directory_enrollments(program),
        reach=reach,
        cohorts=program.cohorts.order_by("-start_date"),
    )
    page, query = paginate(request, filterset.qs, DIRECTORY_PAGE_SIZE)
    return render(
        request,
        "cohorts/directory.html",
        {
            "program": program,
            "filter": filterset,
            "page": page,
            "entries": directory_entries(page, reach, staff=is_staff),
            "is_staff": is_staff,
            "query": query,
        },
    )


def _back_to(invitation):
    if invitation.role == InvitationRole.FELLOW:
        return redirect(invitation.enrollment)
    return redirect("cohorts:program_people", slug=invitation.program.slug)


@require_POST
def invitation_resend_view(request, code):
    invitation = get_invitation_for_staff(request.user, code)
    try:
        invitation_resend(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"A new invitation link is on its way to {invitation.user.email}."
        )
    return _back_to(invitation)


@require_POST
def invitation_revoke_view(request, code):
    invitation = get_invitation_for_staff(request.user, code)
    try:
        invitation_revoke(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.user.email} is revoked.")
    return _back_to(invitation)
