"""Reads that feed the cohorts pages, with their joins: a page's query count is decided here
and does not grow with the number of fellows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.viewer import Viewer

from .models import (
    DEFAULT_VISIBILITY,
    DIRECTORY_FIELDS,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    InvitationRole,
    Program,
    ProgramStaff,
    invitation_state,
)


def programs_for_staff(user: Viewer) -> QuerySet[Program]:
    cohorts = Cohort.objects.annotate(
        fellow_count=Count(
            "enrollments",
            filter=Q(enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED]),
        )
    ).order_by("-start_date")
    return Program.objects.staffed_by(user).prefetch_related(
        Prefetch("cohorts", queryset=cohorts), "partners"
    )


def program_overview(program: Program) -> dict:
    cohorts = program.cohorts.annotate(
        **{
            f"{status}_count": Count("enrollments", filter=Q(enrollments__status=status))
            for status in EnrollmentStatus.values
        }
    ).order_by("-start_date")
    return {"cohorts": cohorts, "partners": program.partners.all(), "staff": program_staff(program)}


def program_staff(program: Program) -> QuerySet[ProgramStaff]:
    return (
        ProgramStaff.objects.filter(program=program)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def program_people(program: Program) -> dict:
    """The program's people page: staff, facilitators, and the open and past invitations of
    everyone but fellows (those are invited from their cohort's roster)."""
    return {
        "staff": program_staff(program),
        "facilitators": program.facilitators.order_by("full_name", "pk"),
        "invitations": program_invitations(program).exclude(role=InvitationRole.FELLOW),
    }


def enrollments_of_user(user: Viewer) -> list[Enrollment]:
    """The person's enrollments that give access to their cohort, newest cohort first, each
    with its cohort and program. The fellow's start page asks it on every visit: its SQL,
    some sixty columns over three tables, is kept (accounts/compiled.py)."""
    if user.pk is None:
        return []
    return _OWN_ENROLLMENTS.instances(
        "own",
        {"user_id": user.pk},
        lambda values: (
            Enrollment.objects.with_cohort_access()
            .filter(user_id=values["user_id"])
            .select_related("cohort__program")
            .order_by("-cohort__start_date")
        ),
    )


_OWN_ENROLLMENTS = CompiledQuery()


# The roster's queries, compiled once and run again with the next cohort's id (building and
# compiling them cost more CPU than running them: accounts/compiled.py).
_STATUS_COUNTS = CompiledQuery()
_ROSTER_ROWS = CompiledQuery()


def status_counts(cohort: Cohort) -> dict[str, int]:
    counts = dict.fromkeys(EnrollmentStatus.values, 0)
    found = _STATUS_COUNTS.rows(
        "of cohort",
        {"cohort_id": cohort.pk},
        lambda v: (
            Enrollment.objects.filter(cohort_id=v["cohort_id"])
            .values("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    for row in found:
        counts[row["status"]] = row["n"]
    return counts


def roster_for_staff(cohort: Cohort) -> QuerySet[Enrollment]:
    """Every enrollment of the cohort with its person and invitations (newest first)."""
    return (
        cohort.enrollments.select_related("user")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.order_by("-created_at"),
                to_attr="invitation_list",
            )
        )
        .order_by("user__full_name", "pk")
    )


# What a roster row shows of the fellow's latest invitation: its state is worked out from these.
_INVITATION_FIELDS = ("revoked_at", "accepted_at", "sent_at", "token_hash", "expires_at")


def _roster_values(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment, Any]:
    latest = Invitation.objects.filter(enrollment=OuterRef("pk")).order_by("-created_at")
    return (
        enrollments.prefetch_related(None)
        .values(
            "code",
            "state",
            "agency",
            "title",
            "sector",
            "status",
            full_name=F("user__full_name"),
            pronouns=F("user__pronouns"),
            email=F("user__email"),
            **{
                f"invitation_{name}": Subquery(latest.values(name)[:1])
                for name in _INVITATION_FIELDS
            },
        )
        .order_by("user__full_name", "pk")
    )


def roster_rows(
    cohort: Cohort,
    filtered: QuerySet[Enrollment] | None,
    page: Page,
    now: datetime.datetime | None = None,
) -> list[dict[str, Any]]:
    """The rows of one page of the staff roster, as dicts: the enrollment's fields, the
    person's `full_name`, `pronouns` and `email`, and the latest invitation's `invitation`
    state (None when never invited) and `invitation_expires_at`. `filtered` is the roster
    the filters left (`roster_for_staff` filtered), or None for the whole cohort."""
    now = now or timezone.now()
    offset = (page.number - 1) * page.paginator.per_page
    stop = offset + page.paginator.per_page
    if filtered is None:
        # A shape per page: the page's LIMIT and OFFSET are part of the SQL.
        rows = _ROSTER_ROWS.rows(
            ("whole cohort", offset, stop),
            {"cohort_id": cohort.pk},
            lambda v: _roster_values(Enrollment.objects.filter(cohort_id=v["cohort_id"]))[
                offset:stop
            ],
        )
    else:
        rows = list(_roster_values(filtered)[offset:stop])
    for row in rows:
        invited = {name: row.pop(f"invitation_{name}") for name in _INVITATION_FIELDS}
        row["invitation_expires_at"] = invited["expires_at"]
        # An invitation's token hash is never NULL (empty before its link is sent): None
        # means the fellow has no invitation.
        row["invitation"] = (
            None if invited["token_hash"] is None else invitation_state(now=now, **invited)
        )
    return rows


def not_yet_invited(cohort: Cohort) -> QuerySet[Enrollment]:
    """Invited fellows with no open invitation (a new import, or one that was revoked)."""
    open_invitations = Invitation.objects.open().filter(enrollment__cohort=cohort)
    return (
        cohort.enrollments.filter(status=EnrollmentStatus.INVITED)
        .exclude(pk__in=open_invitations.values("enrollment_id"))
        .select_related("user", "cohort__program")
    )


def program_invitations(program: Program) -> QuerySet[Invitation]:
    return program.invitations.select_related("user", "enrollment__cohort", "invited_by")


# --- Directory ----------------------------------------------------------------------------


def with_visibility(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotates `<field>_vis` for each directory field: the fellow's choice, or the default
    when they never saved one. Filters and entries read these, never the profile directly."""
    return queryset.select_related("user__participant_profile", "cohort").annotate(
        **{
            f"{name}_vis": Coalesce(
                f"user__participant_profile__{name}_visibility",
                Value(DEFAULT_VISIBILITY),
                output_field=CharField(),
            )
            for name in DIRECTORY_FIELDS
        }
    )


def directory_enrollments(program: Program) -> QuerySet[Enrollment]:
    """Current and past fellows of the program who opted in to its directory."""
    return with_visibility(
        Enrollment.objects.with_cohort_access().filter(
            cohort__program=program, directory_opt_in=True
        )
    ).order_by("user__full_name", "-cohort__start_date", "pk")


def cohort_members(cohort: Cohort) -> QuerySet[Enrollment]:
    """A cohort's roster as its members see it: active fellows and alumni only."""
    return with_visibility(Enrollment.objects.with_cohort_access().filter(cohort=cohort)).order_by(
        "user__full_name", "pk"
    )


@dataclass(frozen=True)
class DirectoryEntry:
    """One fellow as a viewer may see them: fields they may not see are None."""

    name: str
    cohort: str
    alumnus: bool
    pronouns: str | None
    state: str | None
    agency: str | None
    title: str | None
    sector: str | None
    bio: str | None
    photo_url: str | None
    record_url: str | None


def directory_entries(
    enrollments: Iterable[Enrollment], reach: frozenset[str], *, staff: bool = False
) -> list[DirectoryEntry]:
    entries = []
    for e in enrollments:
        user = e.user

        def shows(name: str, e: Enrollment = e) -> bool:
            return e.directory_opt_in and getattr(e, f"{name}_vis") in reach

        profile = getattr(user, "participant_profile", None)
        has_photo = bool(profile and profile.photo)
        entries.append(
            DirectoryEntry(
                name=user.full_name,
                cohort=e.cohort.name,
                alumnus=e.is_alumnus,
                pronouns=(user.pronouns or None) if shows("pronouns") else None,
                state=e.get_state_display() if shows("state") else None,
                agency=e.agency if shows("agency") else None,
                title=(e.title or None) if shows("title") else None,
                sector=e.get_sector_display() if shows("sector") else None,
                bio=(e.bio or None) if shows("bio") else None,
                photo_url=reverse("cohorts:participant_photo", kwargs={"code": user.code})
                if has_photo and shows("photo")
                else None,
                record_url=e.get_absolute_url() if staff else None,
            )
        )
    return entries


def transition_error(enrollment: Enrollment, to_status: str) -> str | None:
    """Why this enrollment cannot move to `to_status`, or None when it can."""
    if enrollment.can_move_to(to_status):
        return None
    label = EnrollmentStatus(to_status).label.lower()
    current = enrollment.get_status_display().lower()
    if enrollment.status == to_status:
        return f"{enrollment.user} is already {current}."
    return f"{enrollment.user} is {current} and cannot become {label}."
