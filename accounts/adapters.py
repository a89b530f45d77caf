import time
from collections.abc import Callable

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records

# Apps above accounts may open sign-up for some requests (admissions: people applying to an
# open round); everyone else joins by invitation. Each opener is `(request) -> bool`.
_SIGNUP_OPENERS: list[Callable] = []


def register_signup_opener(opener: Callable) -> None:
    """Called from the owning app's AppConfig.ready()."""
    if opener not in _SIGNUP_OPENERS:
        _SIGNUP_OPENERS.append(opener)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The failed-login limit also stops the real person for a while: point them to the
        # way in that it does not stop.
        "too_many_login_attempts": (
            "Too many failed sign-in attempts. Try again in a few minutes, or choose "
            "“Send me a sign-in code” to get a code by email."
        ),
    }

    def is_open_for_signup(self, request):
        # People join by invitation (see cohorts' invitations), or to apply to an open
        # round when they came from its page.
        return request is not None and any(opener(request) for opener in _SIGNUP_OPENERS)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Sensitive changes (email, password, second factors, calendar link) ask for the
        password or a second factor again, unless the person signed in or confirmed within
        ACCOUNT_REAUTHENTICATION_TIMEOUT: a sign-in a minute ago is as good as a new one."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        user = getattr(request, "user", None)
        if request is None or user is None or not user.is_authenticated:
            return True
        records = get_authentication_records(request, user)
        if not records:
            return True
        return time.time() - records[-1]["at"] >= app_settings.REAUTHENTICATION_TIMEOUT
