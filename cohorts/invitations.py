"""Invitations: creating, sending, resending, revoking and accepting them, for fellows,
program staff and peer-group facilitators (roles cohorts owns) and for coaches, whose role
coaching gives: an app above cohorts registers the roles it owns with `register_role`.

A link's token is made when the email is sent, inside the Celery task, and only its hash is
stored: the token never passes through the broker or the database. Each send makes a new
token, so resending also retires the old link."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from . import roles
from .models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    InvitationRole,
    InvitationState,
    Program,
    ProgramStaff,
)
from .services import (
    enrollment_change_status,
    enrollment_create,
    person_for_email,
    program_staff_add,
)

MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class RoleGrant:
    """A role that an app above cohorts gives on acceptance. `holds(user, program)` says the
    person already has it (inviting them again is refused); `grant(program=, user=)` gives
    it, inside the acceptance's transaction."""

    holds: Callable[[User, Program], bool]
    grant: Callable[..., object]


_ROLE_GRANTS: dict[str, RoleGrant] = {}


def register_role(role: str, grant: RoleGrant) -> None:
    """Called from the owning app's AppConfig.ready() (coaching registers the coach role)."""
    _ROLE_GRANTS[InvitationRole(role)] = grant


def invitable_roles() -> list[InvitationRole]:
    """Roles someone can be invited to: cohorts' own and those registered from above."""
    own = [InvitationRole.FELLOW, InvitationRole.FACILITATOR, *InvitationRole.staff_roles()]
    return [role for role in InvitationRole if role in own or role in _ROLE_GRANTS]


class InvitationUnusable(Exception):
    """The link was found but cannot be accepted (expired, used or revoked)."""

    def __init__(self, invitation: Invitation, state: InvitationState):
        super().__init__(state.label)
        self.invitation = invitation
        self.state = state


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("program", "user", "enrollment__cohort", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def _enqueue_send(invitation: Invitation) -> None:
    from .tasks import send_invitation

    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation.delay(invitation_id))


def _refuse_if_already_in_role(*, program: Program, user: User, role: str) -> None:
    if role in InvitationRole.staff_roles():
        if ProgramStaff.objects.filter(program=program, user=user).exists():
            raise ValidationError(f"{user.email} is already on the staff of {program}.")
    elif role == InvitationRole.FACILITATOR:
        if program.facilitators.filter(pk=user.pk).exists():
            raise ValidationError(f"{user.email} is already a facilitator of {program}.")
    elif role not in _ROLE_GRANTS:
        raise ValidationError(f"Nobody can be invited as {InvitationRole(role).label} here.")
    elif _ROLE_GRANTS[role].holds(user, program):
        label = InvitationRole(role).label.lower()
        raise ValidationError(f"{user.email} is already a {label} of {program}.")


@transaction.atomic
def invitation_create(
    *,
    program: Program,
    user: User,
    role: str,
    by: User | None,
    enrollment: Enrollment | None = None,
) -> Invitation:
    """Invites a person and queues the email. An open invitation for the same person and
    role is sent again (with a fresh link) instead of being duplicated."""
    existing = Invitation.objects.open().filter(program=program, user=user, role=role).first()
    if existing is not None:
        _enqueue_send(existing)
        return existing
    if role == InvitationRole.FELLOW:
        if enrollment is None or enrollment.cohort.program_id != program.pk:
            raise ValidationError("A fellow is invited to an enrollment in this program.")
        if enrollment.status != EnrollmentStatus.INVITED:
            raise ValidationError(
                f"{user} is {enrollment.get_status_display().lower()}, not waiting for an "
                "invitation."
            )
    else:
        _refuse_if_already_in_role(program=program, user=user, role=role)
    invitation = Invitation(
        program=program, user=user, role=role, enrollment=enrollment, invited_by=by
    )
    invitation.full_clean()
    invitation.save()
    _enqueue_send(invitation)
    return invitation


@transaction.atomic
def invite_person(
    *, program: Program, email: str, full_name: str, role: str, by: User
) -> Invitation:
    """Invites a coach, facilitator or staff member by email (their account made if new).
    Staff are invited by a director or the site admin only (cohorts.roles.manages_staff)."""
    if role in InvitationRole.staff_roles() and not roles.manages_staff(by, program):
        raise ValidationError({"role": "Only a director can invite program staff."})
    person = person_for_email(email=email, full_name=full_name)
    return invitation_create(program=program, user=person, role=role, by=by)


@transaction.atomic
def enroll_person(
    *,
    cohort: Cohort,
    email: str,
    full_name: str,
    pronouns: str = "",
    data: dict,
    by: User,
    send_invitation: bool = True,
) -> Enrollment:
    """Adds one fellow to a cohort's roster as invited, and emails them if asked."""
    person = person_for_email(
        email=email, full_name=full_name, pronouns=pronouns, state=data.get("state", "")
    )
    enrollment = enrollment_create(cohort=cohort, user=person, data=data, by=by)
    if send_invitation:
        invite_enrollments(enrollments=[enrollment], by=by)
    return enrollment


@transaction.atomic
def invite_enrollments(*, enrollments: Iterable[Enrollment], by: User | None) -> int:
    """Sends (or sends again) the invitation of every enrollment still waiting for one."""
    count = 0
    for enrollment in enrollments:
        if enrollment.status != EnrollmentStatus.INVITED:
            continue
        invitation_create(
            program=enrollment.cohort.program,
            user=enrollment.user,
            role=InvitationRole.FELLOW,
            enrollment=enrollment,
            by=by,
        )
        count += 1
    return count


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    if not invitation.is_open:
        raise ValidationError(
            f"This invitation was {invitation.get_state_display().lower()}; invite the person "
            "again instead."
        )
    _enqueue_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if not invitation.is_open:
        raise ValidationError(
            f"This invitation was already {invitation.get_state_display().lower()}."
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def invitation_send(*, invitation_id: int) -> bool:
    """Issues a new link and emails it. Returns False when there is nothing to send (the
    invitation was accepted or revoked meanwhile)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("program", "user", "enrollment__cohort", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.is_open:
            return False
        token = invitation.issue_token()
        now = timezone.now()
        invitation.sent_at = now
        invitation.expires_at = now + datetime.timedelta(
            days=invitation.program.invitation_valid_days
        )
        invitation.send_count += 1
        invitation.save()
        # Sent inside the transaction: if the mail server refuses, the new token is not kept.
        _invitation_email(invitation, token).send()
    return True


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("invitations:accept", kwargs={"token": token})


def _invitation_email(invitation: Invitation, token: str) -> EmailMultiAlternatives:
    user = invitation.user
    with timezone.override(user.time_zone):
        context = {
            "invitation": invitation,
            "user": user,
            "program": invitation.program,
            "cohort": invitation.enrollment.cohort if invitation.enrollment else None,
            "role": invitation.program.terms.speak(invitation.get_role_display()),
            "terms": invitation.program.terms,
            "accept_url": invitation_url(token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "time_zone": user.time_zone,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("cohorts/invitation_email_subject.txt", context)
        text = render_to_string("cohorts/invitation_email.txt", context)
        html = render_to_string("cohorts/invitation_email.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    password: str | None = None,
    full_name: str = "",
    time_zone: str = "",
) -> User:
    """Single use: locks the invitation, checks it is still good, then gives the person their
    role (fellow: the enrollment becomes active; coach: a coach of the program; staff: on
    the program's staff; a role registered from above: what its app grants), sets their
    password and verifies their email address."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("program", "user", "enrollment__cohort")
        .get(pk=invitation.pk)
    )
    state = invitation.state
    if state != InvitationState.PENDING:
        raise InvitationUnusable(invitation, state)
    user = invitation.user
    if password:
        user.set_password(password)
    if full_name:
        user.full_name = full_name
    if time_zone:
        user.time_zone = time_zone
    user.is_active = True
    user.full_clean()
    user.save()
    _verify_email(user)

    if invitation.role == InvitationRole.FELLOW:
        enrollment = invitation.enrollment
        # cohorts_invitation_fellow_has_enrollment: a fellow's invitation always has one.
        assert enrollment is not None
        if enrollment.status == EnrollmentStatus.INVITED:
            enrollment_change_status(
                enrollment=enrollment,
                to_status=EnrollmentStatus.ACTIVE,
                by=user,
                note="Accepted the invitation.",
            )
        elif enrollment.status not in EnrollmentStatus.with_cohort_access():
            raise InvitationUnusable(invitation, InvitationState.REVOKED)
    elif invitation.role in InvitationRole.staff_roles():
        program_staff_add(program=invitation.program, user=user, role=invitation.role)
    elif invitation.role == InvitationRole.FACILITATOR:
        # Staff can then choose them as the facilitator of a peer group (networks app).
        invitation.program.facilitators.add(user)
    elif invitation.role in _ROLE_GRANTS:
        _ROLE_GRANTS[invitation.role].grant(program=invitation.program, user=user)
    else:
        raise InvitationUnusable(invitation, InvitationState.REVOKED)

    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return user


def _verify_email(user: User) -> None:
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
