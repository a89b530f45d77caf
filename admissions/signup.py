"""Sign-up is closed in Cohortwise except for people applying: the sign-up page opens when
it was reached from an open round's page (its `next` is that round's application form)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import ApplicationRound

APPLY_VIEWS = {"admissions:apply", "admissions:round_public"}


def round_of_next(request) -> ApplicationRound | None:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    path = urlparse(next_url).path
    if not path.startswith("/") or len(path) > 200:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in APPLY_VIEWS:
        return None
    code = match.kwargs.get("code")
    return ApplicationRound.objects.filter(code=code).first() if code else None


def opens_signup(request) -> bool:
    round_ = round_of_next(request)
    return round_ is not None and round_.is_open_at(timezone.now())
