"""Sign-in, account, export and admin events happen inside Django, allauth and the Django admin,
not in our services: their signals are the only place to hear them, so these receivers
write the entries and do nothing else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save

from accounts.csv_export import export_served

from .services import record

_ADMIN_ACTIONS = {ADDITION: "admin.added", CHANGE: "admin.changed", DELETION: "admin.deleted"}


def _logged_in(sender, request, user, **kwargs):
    record(action="accounts.login", by=user, target=user, request=request)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action="accounts.logout", by=user, target=user, request=request)


def _login_failed(sender, credentials, request=None, **kwargs):
    # The credentials arrive with the password already masked; only the address is kept.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    record(
        action="accounts.login_failed",
        by=user,
        target=user,
        target_label=email if user is None else "",
        details={"email": email},
        request=request,
    )


def _account_event(action):
    def receiver(sender, request, user, **kwargs):
        address = kwargs.get("email_address") or kwargs.get("to_email_address")
        details = {"email": address.email} if address is not None else {}
        record(action=action, by=user, target=user, details=details, request=request)

    receiver.__name__ = f"audit_{action}"
    return receiver


def _mfa_event(action):
    def receiver(sender, request, user, authenticator, **kwargs):
        record(
            action=action,
            by=user,
            target=user,
            details={"method": authenticator.type},
            request=request,
        )

    receiver.__name__ = f"audit_{action}"
    return receiver


def _admin_logged(sender, instance: LogEntry, created, **kwargs):
    if not created:
        return
    record(
        action=_ADMIN_ACTIONS.get(instance.action_flag, "admin.changed"),
        by=instance.user,  # type: ignore[arg-type]  # LogEntry.user is an unbound field (_ST) in django-stubs
        target_label=instance.object_repr,
        details={
            # django-stubs types LogEntry.content_type as an unbound field (_ST).
            "type": f"{instance.content_type.app_label}.{instance.content_type.model}"  # type: ignore[attr-defined]
            if instance.content_type_id
            else "",
            "id": instance.object_id or "",
            "change": instance.get_change_message()[:500],
        },
    )


def _export_served(*, filename, program=None, subject="", **kwargs):
    record(
        action="exports.downloaded",
        program=program,
        target_label=subject or filename,
        details={"file": filename},
    )


_RECEIVERS: list[Callable[..., object]] = []


def connect() -> None:
    """Connected once, from AuditConfig.ready(); strong references kept here."""
    if _RECEIVERS:
        return
    pairs = [
        (auth_signals.user_logged_in, _logged_in),
        (auth_signals.user_logged_out, _logged_out),
        (auth_signals.user_login_failed, _login_failed),
        (account_signals.password_changed, _account_event("accounts.password_changed")),
        (account_signals.password_reset, _account_event("accounts.password_reset")),
        (account_signals.email_added, _account_event("accounts.email_added")),
        (account_signals.email_removed, _account_event("accounts.email_removed")),
        (account_signals.email_changed, _account_event("accounts.email_primary")),
        (mfa_signals.authenticator_added, _mfa_event("accounts.mfa_enrolled")),
        (mfa_signals.authenticator_removed, _mfa_event("accounts.mfa_removed")),
        (mfa_signals.authenticator_reset, _mfa_event("accounts.recovery_codes_reset")),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"audit:{receiver.__name__}")
        _RECEIVERS.append(receiver)
    export_served.register(_export_served)
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="audit:admin_logged")
    _RECEIVERS.append(_admin_logged)
