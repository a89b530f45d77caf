"""Writes of the cohorts app: programs, staff, cohorts, enrollments and their lifecycle,
participant profiles. Every write is one of these functions (views, admin, import, demo)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.hooks import Hook
from accounts.models import User
from accounts.services import user_update_settings
from accounts.updates import model_update
from audit.services import record

from . import roles
from .geography import time_zone_for_state
from .models import (
    GROUP_MEETING_FIELDS,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Invitation,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    ProgramStaff,
    StaffRole,
)
from .selectors import transition_error

# The program settings staff edit (ProgramForm shows these and the partners).
PROGRAM_FIELDS = [
    "name",
    "slug",
    "description",
    "default_time_zone",
    "coaching_entitlement_unit",
    "coaching_entitlement_amount",
    "coaching_behind_pace_percent",
    "coaching_running_low_percent",
    "at_risk_missed_sessions",
    "at_risk_days_without_coaching",
    "at_risk_days_without_plan_update",
    "milestone_nudge_days_before",
    "overdue_nudge_interval_days",
    "coach_log_nudge_hours",
    "coaching_change_cutoff_hours",
    "invitation_valid_days",
    "coaches_need_mfa",
]
# Settings only a director (or the site admin) changes: cohorts.roles.manages_staff.
DIRECTOR_ONLY_FIELDS = {"coaches_need_mfa"}
COHORT_FIELDS = [
    "name",
    "start_date",
    "end_date",
    "time_zone",
    "status",
    "framework",
    *GROUP_MEETING_FIELDS,
]
ENROLLMENT_FIELDS = ["state", "agency", "title", "sector", "partner", "bio"]


# Someone left the program's staff or facilitators: apps above cohorts take back what came
# with that role (networks: the groups they facilitated). Called with (program=, user=).
program_role_ended = Hook("a person's staff or facilitator role in a program ended")


# --- Programs and staff -------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "program"
    slug, n = base, 2
    while Program.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_partners(
    program: Program, partners: Iterable[PartnerOrganization], new_partner_names: Iterable[str]
) -> None:
    partners = list(partners)
    for name in new_partner_names:
        name = name.strip()
        if name:
            partner, _ = PartnerOrganization.objects.get_or_create(name=name)
            partners.append(partner)
    program.partners.set(partners)


@transaction.atomic
def program_create(
    *,
    by: User,
    data: dict,
    partners: Iterable[PartnerOrganization] = (),
    new_partner_names: Iterable[str] = (),
) -> Program:
    """A new program; the person who creates it becomes its director."""
    program = Program(**{k: v for k, v in data.items() if k in PROGRAM_FIELDS})
    if not program.slug:
        program.slug = _unique_slug(program.name)
    program.full_clean()
    program.save()
    _set_partners(program, partners, new_partner_names)
    membership = ProgramStaff.objects.create(program=program, user=by, role=StaffRole.DIRECTOR)
    _audit_staff("cohorts.staff_added", membership, by=by)
    return program


@transaction.atomic
def program_update(
    *,
    program: Program,
    data: dict,
    by: User,
    partners: Iterable[PartnerOrganization] = (),
    new_partner_names: Iterable[str] = (),
) -> Program:
    changed_security = {
        key: data[key]
        for key in DIRECTOR_ONLY_FIELDS
        if key in data and data[key] != getattr(program, key)
    }
    if changed_security:
        _require_staff_manager(by, program, "change the program's security settings")
    # The slug is in links people have saved: it does not change.
    model_update(program, data=data, fields=[key for key in PROGRAM_FIELDS if key != "slug"])
    _set_partners(program, partners, new_partner_names)
    if changed_security:
        record(
            action="cohorts.security_changed",
            by=by,
            target=program,
            program=program,
            details=changed_security,
        )
    return program


def _audit_staff(
    action: str, membership: ProgramStaff, *, by: User | None, **details: object
) -> None:
    record(
        action=action,
        by=by,
        target=membership.user,
        program=membership.program_id,
        details={"role": membership.role, **details},
    )


@transaction.atomic
def program_staff_add(*, program: Program, user: User, role: str) -> ProgramStaff:
    """Puts a person on the staff (accepting an invitation, which a director sent). Joining
    never lowers a role: a director who accepts an old coordinator invitation stays director,
    so a program cannot lose its last director this way."""
    membership, created = ProgramStaff.objects.get_or_create(
        program=program, user=user, defaults={"role": role}
    )
    if created:
        _audit_staff("cohorts.staff_added", membership, by=user)
    elif role == StaffRole.DIRECTOR and membership.role != StaffRole.DIRECTOR:
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role", "updated_at"])
        _audit_staff("cohorts.staff_role_changed", membership, by=user, previous="coordinator")
    return membership


def _lock_staff(program_id: int) -> list[ProgramStaff]:
    """The program's staff rows, locked: two directors demoting or removing each other at
    the same moment must not leave the program without one."""
    return list(ProgramStaff.objects.select_for_update().filter(program_id=program_id))


def _refuse_losing_last_director(membership: ProgramStaff, staff: list[ProgramStaff]) -> None:
    if membership.role != StaffRole.DIRECTOR:
        return
    if not any(m.role == StaffRole.DIRECTOR and m.pk != membership.pk for m in staff):
        raise ValidationError(
            f"{membership.user} is the program’s only director; make someone else director first."
        )


def _require_staff_manager(by: User, program: Program, what: str) -> None:
    if not roles.manages_staff(by, program):
        raise PermissionDenied(f"Only a director of {program} can {what}.")


@transaction.atomic
def program_staff_change_role(*, membership: ProgramStaff, role: str, by: User) -> ProgramStaff:
    """A director (or the site admin) makes a staff member director or coordinator; a
    program always keeps a director."""
    _require_staff_manager(by, membership.program, "change staff roles")
    if role == membership.role:
        return membership
    staff = _lock_staff(membership.program_id)
    if role != StaffRole.DIRECTOR:
        _refuse_losing_last_director(membership, staff)
    previous = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    _audit_staff("cohorts.staff_role_changed", membership, by=by, previous=previous)
    return membership


@transaction.atomic
def program_staff_remove(*, membership: ProgramStaff, by: User) -> None:
    """A director (or the site admin) takes someone off the staff, and anyone may step down
    themselves; never the last staff member nor the last director."""
    if by.pk != membership.user_id:
        _require_staff_manager(by, membership.program, "remove staff members")
    staff = _lock_staff(membership.program_id)
    if not any(m.pk != membership.pk for m in staff):
        raise ValidationError("A program needs at least one staff member; add another first.")
    _refuse_losing_last_director(membership, staff)
    _audit_staff("cohorts.staff_removed", membership, by=by)
    membership.delete()
    program_role_ended.call(program=membership.program, user=membership.user)


@transaction.atomic
def program_facilitator_remove(*, program: Program, user: User) -> None:
    """Takes a person off the program's facilitators: staff can no longer choose them for a
    peer group, and groups they led wait for staff to choose someone else."""
    program.facilitators.remove(user)
    program_role_ended.call(program=program, user=user)


# --- Cohorts ------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, program: Program, data: dict, by: User) -> Cohort:
    cohort = Cohort(program=program, **{k: v for k, v in data.items() if k in COHORT_FIELDS})
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: dict, by: User) -> int:
    """Saves the cohort; when this completes it, its active fellows become alumni. Returns
    how many became alumni by this change (0 unless it completed the cohort)."""
    # Read from the database: a ModelForm has already changed the instance in memory.
    was = Cohort.objects.filter(pk=cohort.pk).values_list("status", flat=True).first()
    model_update(cohort, data=data, fields=COHORT_FIELDS)
    if cohort.status == CohortStatus.COMPLETED and was != CohortStatus.COMPLETED:
        return _graduate(cohort, by=by)
    return 0


def _graduate(cohort: Cohort, *, by: User) -> int:
    """When a cohort completes, its active fellows become alumni (their directory choices,
    kept per person, do not change). Invited and withdrawn fellows stay as they are."""
    active = cohort.enrollments.filter(status=EnrollmentStatus.ACTIVE).select_related("user")
    return enrollments_change_status(
        enrollments=active,
        to_status=EnrollmentStatus.COMPLETED,
        by=by,
        note="The cohort completed.",
    )


# --- People and enrollments ---------------------------------------------------------------


def person_for_email(
    *, email: str, full_name: str = "", pronouns: str = "", state: str = ""
) -> User:
    """The account for this address, created (without a usable password, so nobody can log
    in to it until the invitation is accepted) when there is none yet, in the time zone
    its state or territory proposes."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            email=email,
            full_name=full_name or email.split("@")[0],
            pronouns=pronouns,
            time_zone=time_zone_for_state(state),
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def _record_changes(
    enrollments: Iterable[Enrollment],
    *,
    from_statuses: dict[int, str],
    to_status: str,
    by: User | None,
    at: datetime.datetime,
    note: str = "",
) -> None:
    EnrollmentStatusChange.objects.bulk_create(
        EnrollmentStatusChange(
            enrollment=enrollment,
            from_status=from_statuses[enrollment.pk],
            to_status=to_status,
            changed_by=by,
            changed_at=at,
            note=note[:300],
        )
        for enrollment in enrollments
    )


@transaction.atomic
def enrollment_create(
    *,
    cohort: Cohort,
    user: User,
    data: dict,
    by: User | None,
    as_alumni: bool = False,
    now: datetime.datetime | None = None,
) -> Enrollment:
    """Enrolls a person as invited (they become active by accepting their invitation), or,
    for a cohort that has ended, directly as an alumna or alumnus (`as_alumni`)."""
    if Enrollment.objects.filter(cohort=cohort, user=user).exists():
        raise ValidationError(f"{user.email} is already enrolled in {cohort.name}.")
    if as_alumni and not cohort.has_ended():
        raise ValidationError(f"{cohort.name} has not ended: its people cannot be alumni yet.")
    status = EnrollmentStatus.COMPLETED if as_alumni else EnrollmentStatus.INVITED
    now = now or timezone.now()
    enrollment = Enrollment(
        cohort=cohort,
        user=user,
        status=status,
        status_changed_at=now,
        **{k: v for k, v in data.items() if k in ENROLLMENT_FIELDS},
    )
    enrollment.full_clean()
    enrollment.save()
    ParticipantProfile.objects.get_or_create(user=user)
    _record_changes(
        [enrollment],
        from_statuses={enrollment.pk: ""},
        to_status=status,
        by=by,
        at=now,
        note="Loaded as an alumna or alumnus of the cohort." if as_alumni else "",
    )
    return enrollment


@transaction.atomic
def enrollment_update(*, enrollment: Enrollment, data: dict) -> Enrollment:
    model_update(enrollment, data=data, fields=ENROLLMENT_FIELDS)
    return enrollment


@transaction.atomic
def enrollments_change_status_where_valid(
    *, enrollments: Iterable[Enrollment], to_status: str, by: User | None, **kwargs: Any
) -> tuple[int, list[str]]:
    """A bulk action from the roster: moves every enrollment that may make the move and
    says why each of the others was left as it was. Returns (changed count, reasons)."""
    valid, skipped = [], []
    for enrollment in enrollments:
        error = transition_error(enrollment, to_status)
        if error:
            skipped.append(error)
        else:
            valid.append(enrollment)
    count = enrollments_change_status(enrollments=valid, to_status=to_status, by=by, **kwargs)
    return count, skipped


@transaction.atomic
def enrollments_change_status(
    *,
    enrollments: Iterable[Enrollment],
    to_status: str,
    by: User | None,
    withdrawn_on: datetime.date | None = None,
    reason: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Moves enrollments along invited → active → completed / withdrawn, recording who and
    when for each. All or nothing: if any of them may not make the move, none does."""
    enrollments = list(enrollments)
    if not enrollments:
        return 0
    errors = [e for e in (transition_error(x, to_status) for x in enrollments) if e]
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    now = now or timezone.now()
    updates: dict[str, object] = {"status": to_status, "status_changed_at": now}
    if to_status == EnrollmentStatus.WITHDRAWN:
        if withdrawn_on is None or not reason:
            raise ValidationError("A withdrawal needs a date and a reason.")
        updates.update(withdrawn_on=withdrawn_on, withdrawal_reason=reason[:300])
        note = note or reason
    elif to_status == EnrollmentStatus.ACTIVE:
        # Reinstated fellows: the withdrawal stays in the history, not on the record.
        updates.update(withdrawn_on=None, withdrawal_reason="")
    from_statuses = {e.pk: e.status for e in enrollments}
    Enrollment.objects.filter(pk__in=from_statuses).update(**updates)
    for enrollment in enrollments:
        for key, value in updates.items():
            setattr(enrollment, key, value)
    _record_changes(
        enrollments,
        from_statuses=from_statuses,
        to_status=to_status,
        by=by,
        at=now,
        note=note,
    )
    if to_status == EnrollmentStatus.WITHDRAWN:
        # A withdrawn fellow's invitation link must stop working.
        Invitation.objects.open().filter(enrollment__in=enrollments).update(
            revoked_at=updates["status_changed_at"]
        )
    return len(enrollments)


def enrollment_change_status(
    *, enrollment: Enrollment, to_status: str, by: User | None, **kwargs: Any
) -> Enrollment:
    enrollments_change_status(enrollments=[enrollment], to_status=to_status, by=by, **kwargs)
    return enrollment


# --- Participant profile ------------------------------------------------------------------


@transaction.atomic
def participant_profile_update(
    *,
    user: User,
    account_data: dict,
    profile_data: dict,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> ParticipantProfile:
    """A fellow edits their own profile: name, pronouns and zone on the account; photo and
    per-field visibility on the profile; bio and directory opt-in on every one of their
    enrollments (one person, one bio, whichever cohort it is shown under)."""
    user_update_settings(user=user, data=account_data)
    profile, _ = ParticipantProfile.objects.get_or_create(user=user)
    visibility = {k: v for k, v in profile_data.items() if k.endswith("_visibility")}
    # What the fellow now shares, and with whom: audited.
    consent = {k: v for k, v in visibility.items() if getattr(profile, k) != v}
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save(photo.name, photo, save=False)
    elif remove_photo:
        profile.photo = ""
    model_update(profile, data=visibility, also=["photo"])
    if old_photo and old_photo != profile.photo.name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    enrollment_fields = {
        k: profile_data[k] for k in ("bio", "directory_opt_in") if k in profile_data
    }
    if enrollment_fields:
        if (
            "directory_opt_in" in enrollment_fields
            and Enrollment.objects.filter(user=user)
            .exclude(directory_opt_in=enrollment_fields["directory_opt_in"])
            .exists()
        ):
            consent["directory_opt_in"] = enrollment_fields["directory_opt_in"]
        Enrollment.objects.filter(user=user).update(**enrollment_fields)
    if consent:
        program_ids = set(
            Enrollment.objects.filter(user=user).values_list("cohort__program_id", flat=True)
        )
        for program_id in sorted(program_ids) or [None]:
            record(
                action="cohorts.directory_consent_changed",
                by=user,
                target=user,
                program=program_id,
                details=consent,
            )
    return profile


TERM_WORD_FIELDS = [
    "participant_singular",
    "participant_plural",
    "plan_name",
    "plan_short_name",
    "plan_intro",
    "group_singular",
    "group_plural",
    "plan_sections",
    "group_size_min",
    "group_size_max",
]


@transaction.atomic
def program_terms_update(*, program: Program, data: dict, by: User) -> Program:
    """The program's words (cohorts/terms.py), which every page, email and export uses at once,
    and the sizes of its peer groups."""
    words = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in data.items()
        if key in TERM_WORD_FIELDS
    }
    # Every word is saved: the form's instance may already hold the new ones.
    model_update(program, data=words, also=TERM_WORD_FIELDS)
    record(
        action="cohorts.terms_changed",
        by=by,
        target=program,
        program=program,
        details={"participant": program.participant_singular, "plan": program.plan_name},
    )
    return program


@transaction.atomic
def program_plan_template_update(
    *, program: Program, hidden: list[str], goals: list[dict], by: User
) -> Program:
    """What new plans of the program start with; plans already started are not touched."""
    program.plan_template = {"hidden": sorted(hidden), "goals": goals}
    program.full_clean()
    program.save(update_fields=["plan_template", "updated_at"])
    record(
        action="cohorts.plan_template_changed",
        by=by,
        target=program,
        program=program,
        details={"goals": len(goals), "hidden": sorted(hidden)},
    )
    return program
