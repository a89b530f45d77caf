"""Two-factor authentication that some people must use (docs/ARCHITECTURE.md, SECURITY.md).

The site admin and program staff always, and coaches of a program that asks it
(`Program.coaches_need_mfa`), sign in with a second factor: an authenticator app (TOTP, with
recovery codes) or a passkey. allauth asks for the factor at sign-in once one is set up;
`MfaRequiredMiddleware` makes sure it is set up and was used in this session: someone who
must use it and has none is led to the enrolment page and reaches nothing else first.

A session that used a second factor carries allauth's authentication record
(`method: "mfa"`), so checking it costs no query; only a session without one asks who the
user is (`viewer_roles`, the query the navigation makes anyway).
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .roles import viewer_roles
from .sessions import SIGNED_IN_AT

# Factors that count as a second factor (recovery codes only back them up).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def session_used_mfa(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def must_use_mfa(user) -> bool:
    return user.is_authenticated and viewer_roles(user).must_use_mfa


def latest_second_factor(user) -> Authenticator | None:
    return (
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
        .order_by("-created_at")
        .first()
    )


def has_second_factor(user) -> bool:
    return latest_second_factor(user) is not None


def _enrolled_in_this_session(request, factor: Authenticator) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return signed_in_at is not None and factor.created_at.timestamp() >= signed_in_at


def _allowed(path: str) -> bool:
    return path.startswith(tuple(settings.MFA_ENROLMENT_ALLOWED_PATHS))


def _redirect(request, url: str):
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(url)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _allowed(request.path)
            and not session_used_mfa(request)
            and must_use_mfa(user)
        ):
            factor = latest_second_factor(user)
            if factor is not None and _enrolled_in_this_session(request, factor):
                # Setting a factor up proved it (a TOTP code or a passkey was checked): the
                # session counts as having used it from now on.
                record_authentication(
                    request, user, "mfa", id=factor.pk, type=factor.type, enrolled=True
                )
                return self.get_response(request)
            if factor is not None:
                # Signed in before the rule applied to them (or by a path that skipped the
                # factor): they prove it now, then go on.
                target = reverse("mfa_reauthenticate")
            else:
                target = reverse("accounts:mfa_required")
            return _redirect(request, f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
