"""Plain-language labels for the actions written to the audit log.

An action is a short key, `<app>.<what happened>` (e.g. `plans.approved`). Each app names its
own in its `AppConfig.ready()` with `register({...})`, so the log page reads in words; an
action nobody labelled shows its key.
"""

from __future__ import annotations

_LABELS: dict[str, str] = {}


def register(labels: dict[str, str]) -> None:
    for key, label in labels.items():
        if len(key) > 60 or "." not in key:
            raise ValueError(f"Audit action {key!r} must look like app.what_happened (≤ 60).")
        _LABELS[key] = label


def label(key: str) -> str:
    return _LABELS.get(key, key)


def known() -> dict[str, str]:
    return dict(sorted(_LABELS.items(), key=lambda item: item[1]))


register(
    {
        "accounts.login": "Signed in",
        "accounts.login_failed": "Failed sign-in",
        "accounts.logout": "Signed out",
        "accounts.password_changed": "Changed their password",
        "accounts.password_reset": "Reset their password",
        "accounts.email_added": "Added an email address",
        "accounts.email_removed": "Removed an email address",
        "accounts.email_primary": "Changed their main email address",
        "accounts.mfa_enrolled": "Set up two-factor authentication",
        "accounts.mfa_removed": "Removed a two-factor method",
        "accounts.recovery_codes_reset": "Made new recovery codes",
        "accounts.calendar_token_reset": "Made a new calendar feed link",
        "accounts.data_downloaded": "Downloaded their own data",
        "accounts.erased": "Erased a person on request",
        "admin.added": "Admin site: added",
        "admin.changed": "Admin site: changed",
        "admin.deleted": "Admin site: deleted",
        "exports.downloaded": "Downloaded an export",
    }
)
