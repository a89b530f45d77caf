"""Erasing a person on request (the site admin, `manage.py erase_person`).

What other people's records need is kept but no longer names them: the account row stays
(sessions a coach led, plans a person commented on and the audit log point at it) with its
name, email and password replaced and sign-in closed; enrollments stay as counts in the
cohort's figures with their personal fields cleared; coaching sessions keep their date,
duration and status (the coach's hours and the entitlement), without topics, shared summary
or reflection. The rest is deleted: profile and photo, plans, check-ins, self-assessments,
submissions, private notes they wrote, notifications and preferences (and ledger rows
addressed to any of their addresses), email addresses, second factors; their applications
(answers, documents and the letters about them), the letters they wrote as a referee, their
reviewer seats with the reviews and conflicts in them, the 360° invitations addressed to them
as a rater (their answers hold no link to them and stay as counts). Stored files go with
their rows once the transaction commits. Audit entries are kept (append-only) until the
retention purge.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet

from accounts.models import User
from action_plans.models import ActionPlan
from admissions.models import Application, ReferenceRequest, ReviewerSeat
from announcements.models import AnnouncementRead
from audit.services import record
from coaching.models import CoachingSession, PrivateNote
from cohorts.models import Enrollment, ParticipantProfile, ProgramStaff, StaffRole
from curriculum.models import SelfAssessment, Submission
from feedback.models import Receipt, Response
from feedback360.models import Nomination
from networks.models import CheckIn
from notifications.models import Notification, NotificationPreference, NotificationSettings


def _delete(counts: Counter[str], label: str, queryset: QuerySet[Any]) -> None:
    deleted, _ = queryset.delete()
    if deleted:
        counts[label] += deleted


ERASED_DOMAIN = "erased.invalid"


def is_erased(user: User) -> bool:
    return user.email.endswith(f"@{ERASED_DOMAIN}")


def erasure_check(*, user: User, by: User) -> None:
    """Raises ValidationError saying why `by` may not erase `user` (yet); the page asks it
    before showing the confirmation, and person_erase again inside its transaction."""
    if user.pk == by.pk:
        raise ValidationError("Nobody erases their own account here; ask another site admin.")
    if is_erased(user):
        raise ValidationError("This person has already been erased.")
    if user.is_superuser:
        raise ValidationError("Take away the site admin role in the admin first.")
    for membership in ProgramStaff.objects.filter(user=user, role=StaffRole.DIRECTOR):
        if membership.is_last_director():
            raise ValidationError(
                f"{user} is the only director of {membership.program}; make someone else "
                "director first."
            )


def _addressed_to(user: User, column: str) -> Q:
    """Rows that name one of the person's addresses (referees and raters have no account:
    the address typed for them is all that links a row to them), whatever the letter case."""
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    match = Q(pk__in=[])
    for address in addresses:
        match |= Q(**{f"{column}__iexact": address})
    return match


def _files(rows: QuerySet[Any], *names: str) -> list[models.fields.files.FieldFile]:
    return [getattr(row, name) for row in rows for name in names if getattr(row, name)]


@transaction.atomic
def person_erase(*, user: User, by: User) -> dict[str, Any]:
    """Returns what was done: {"deleted": {what: rows}, "anonymised": [...], "kept": [...]}."""
    erasure_check(user=user, by=by)
    label = str(user.code)
    deleted: Counter[str] = Counter()
    applications = Application.objects.filter(applicant=user)
    letters_written = ReferenceRequest.objects.filter(_addressed_to(user, "email"))
    files = _files(ParticipantProfile.objects.filter(user=user), "photo")
    files += _files(Submission.objects.filter(enrollment__user=user), "file")
    files += _files(applications, "cv", "statement")
    files += _files(
        ReferenceRequest.objects.filter(
            Q(application__in=applications) | Q(pk__in=letters_written.values("pk"))
        ),
        "letter_file",
    )
    _delete(deleted, "private notes they wrote", PrivateNote.objects.by(user))
    _delete(deleted, "action plans", ActionPlan.objects.filter(enrollment__user=user))
    _delete(deleted, "check-ins", CheckIn.objects.filter(enrollment__user=user))
    _delete(deleted, "self-assessments", SelfAssessment.objects.filter(enrollment__user=user))
    _delete(deleted, "submissions", Submission.objects.filter(enrollment__user=user))
    _delete(deleted, "profile", ParticipantProfile.objects.filter(user=user))
    # Named survey answers go; anonymous ones hold no link to the person and stay as counts.
    _delete(deleted, "named survey answers", Response.objects.filter(respondent=user))
    _delete(deleted, "records of evaluations answered", Receipt.objects.filter(person=user))
    _delete(deleted, "notifications", Notification.objects.filter(recipient=user))
    _delete(
        deleted,
        "notifications addressed to their email",
        Notification.objects.filter(_addressed_to(user, "recipient_email")),
    )
    # Letters they wrote about someone else's application go before the applications: a
    # letter about an erased applicant is counted with the application.
    _delete(deleted, "reference letters they wrote", letters_written)
    _delete(deleted, "applications (with answers, documents and letters)", applications)
    _delete(
        deleted,
        "reviewer seats (with the reviews they wrote)",
        ReviewerSeat.objects.filter(user=user),
    )
    _delete(
        deleted,
        "360° invitations as a rater",
        Nomination.objects.filter(_addressed_to(user, "email")),
    )
    _delete(deleted, "announcements they opened", AnnouncementRead.objects.filter(user=user))
    _delete(deleted, "notification choices", NotificationPreference.objects.filter(user=user))
    _delete(deleted, "notification settings", NotificationSettings.objects.filter(user=user))
    _delete(deleted, "staff memberships", ProgramStaff.objects.filter(user=user))
    _delete(deleted, "email addresses", EmailAddress.objects.filter(user=user))
    _delete(deleted, "second factors", Authenticator.objects.filter(user=user))

    sessions = CoachingSession.objects.filter(enrollment__user=user).update(
        topics="", shared_summary="", fellow_reflection=""
    )
    enrollments = Enrollment.objects.filter(user=user).update(
        agency="", title="", bio="", directory_opt_in=False
    )
    user.email = f"erased-{label}@{ERASED_DOMAIN}"
    user.full_name = "Erased person"
    user.preferred_name = ""
    user.pronouns = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for stored in files:
        storage, name = stored.storage, stored.name or ""
        transaction.on_commit(partial(storage.delete, name))

    summary = {
        "person": label,
        "deleted": dict(sorted(deleted.items())),
        "anonymised": [
            "account: name, email, pronouns removed; password unusable; sign-in closed",
            f"{enrollments} enrollment(s): agency, title, bio removed; directory listing off",
            f"{sessions} coaching session(s) as fellow: topics, summary, reflection removed",
        ],
        "kept": [
            "the account row, so others' records stay whole: sessions they led and comments "
            "they wrote on others' plans now show 'Erased person'",
            "enrollment status and cohort, coaching session dates, durations and status "
            "(the cohort's figures and the coach's hours)",
            "announcements they wrote, which their audience still reads, from 'Erased person'",
            "audit entries, which are never changed, until the retention purge",
        ],
    }
    record(
        action="accounts.erased",
        by=by,
        target=user,
        target_label=f"Erased person {label}",
        details={"deleted": sum(deleted.values()), "enrollments": enrollments},
    )
    return summary
