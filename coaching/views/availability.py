"""A coach's booking settings: weekly hours, lengths, buffer, notice, horizon, video link,
and days off."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from cohorts.terms import use_person_terms

from ..access import get_own_coach_profile, get_own_day_off
from ..booking import services
from ..booking.forms import AvailabilityForm, DayOffForm


def _page(request, profile, form, day_off_form):
    terms = use_person_terms(request, profile.user)
    terms.speak_form(form)
    terms.speak_form(day_off_form)
    availability = form.instance
    days_off = []
    if availability.pk:
        today = timezone.now().astimezone(availability.zone).date()
        days_off = [d for d in availability.days_off.all() if d.last_day >= today]
    return render(
        request,
        "coaching/availability.html",
        {
            "profile": profile,
            "form": form,
            "day_off_form": day_off_form,
            "days_off": days_off,
        },
    )


def _availability(profile):
    availability = services.availability_for(profile)
    if availability.pk:
        availability = (
            type(availability)
            .objects.prefetch_related("windows", "days_off")
            .get(pk=availability.pk)
        )
    return availability


@require_http_methods(["GET", "POST"])
def availability(request):
    profile = get_own_coach_profile(request.user)
    form = AvailabilityForm(posted(request), instance=_availability(profile))
    if save_form(
        form,
        lambda data: services.availability_save(
            profile=profile,
            data={name: data[name] for name in services.AVAILABILITY_FIELDS},
            windows=form.windows,
        ),
    ):
        messages.success(request, "Your availability is saved.")
        return redirect("coaching:availability")
    return _page(request, profile, form, DayOffForm())


@require_POST
def day_off_add(request):
    profile = get_own_coach_profile(request.user)
    day_off_form = DayOffForm(request.POST)
    if save_form(day_off_form, lambda data: services.day_off_add(profile=profile, **data)):
        messages.success(request, "Your days off are saved: nobody can book them.")
        return redirect("coaching:availability")
    return _page(request, profile, AvailabilityForm(instance=_availability(profile)), day_off_form)


@require_POST
def day_off_remove(request, code):
    get_own_coach_profile(request.user)
    services.day_off_remove(day_off=get_own_day_off(request.user, code))
    messages.success(request, "The days off are removed.")
    return redirect("coaching:availability")
