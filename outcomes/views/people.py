"""A fellow's own answers to the optional demographic questions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.form_helpers import posted, save_form

from .. import services
from ..access import get_demographics_subject
from ..forms import DemographicsForm
from ..models import DemographicProfile


def _initial(profile: DemographicProfile | None) -> dict:
    if profile is None:
        return {}
    return {
        "race_ethnicity": profile.race_values(),
        "gender": profile.gender,
        "lived_experience": profile.lived_values(),
        "career_sector": profile.career_sector,
    }


@require_http_methods(["GET", "POST"])
def demographics_edit(request):
    user = get_demographics_subject(request.user)
    profile = DemographicProfile.objects.filter(user=user).first()
    form = DemographicsForm(posted(request), initial=_initial(profile))
    if save_form(form, lambda data: services.demographics_save(user=user, by=request.user, **data)):
        messages.success(request, "Thank you. Your answers are saved.")
        return redirect("outcomes:demographics")
    return render(request, "outcomes/demographics_form.html", {"form": form, "profile": profile})
