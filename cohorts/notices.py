"""The cohorts app's rule for the notification pipeline (registered in apps.py): once a
fellow's enrollment is withdrawn, nothing about it is sent any more."""

from __future__ import annotations

from .models import EnrollmentStatus


def withdrawn_fellows(rows) -> dict[int, str]:
    """Ledger rows about a withdrawn enrollment (loaded with their enrollment: no query)."""
    return {
        n.pk: "withdrawn"
        for n in rows
        if n.enrollment_id and n.enrollment.status == EnrollmentStatus.WITHDRAWN
    }
