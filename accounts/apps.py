from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from . import sessions

        # allauth tells us a factor was set up; the session then counts as using it.
        authenticator_added.connect(_enrolled, dispatch_uid="accounts:mfa_enrolled")
        sessions.connect()


def _enrolled(sender, request, user, authenticator, **kwargs):
    from .mfa import record_enrolment

    record_enrolment(request, user, authenticator)
