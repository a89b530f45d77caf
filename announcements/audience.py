"""Who is in an announcement's audience: the one place the rule is written, in the two forms
the app needs it. `readable_q(user)` filters announcements a person may read (the pages, in
one query with the page's other joins); `members(announcement)` lists the people told when
it is sent. tests/announcements/test_audience.py checks that both forms agree.

- cohort: its fellows with cohort access (active and alumni, as its roster);
- peer group: its members with cohort access and its facilitator;
- program: its active fellows, its coaches and its facilitators;
- coaches: the program's coaches and the active coaches of its fellows;
- alumni: fellows who completed one of the program's cohorts.

Program staff (and the site admin) read every announcement of their programs and the
author reads their own; they are told only when they are in the audience themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from coaching.models import CoachAssignment, CoachProfile
from cohorts import roles as cohort_roles
from cohorts.models import Enrollment, EnrollmentStatus, Program
from networks.models import PeerGroup, PeerGroupMembership

from .models import Audience

WITH_ACCESS = EnrollmentStatus.with_cohort_access()


def readable_q(user) -> Q:
    """Announcements `user` may read, published or not (see `visible_q`)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    enrollments = Enrollment.objects.filter(user=user)
    cohort = Exists(enrollments.filter(cohort=OuterRef("cohort_id"), status__in=WITH_ACCESS))
    group_member = Exists(
        PeerGroupMembership.objects.filter(
            group=OuterRef("peer_group_id"),
            enrollment__user=user,
            enrollment__status__in=WITH_ACCESS,
        )
    )
    group_facilitator = Exists(
        PeerGroup.objects.filter(pk=OuterRef("peer_group_id"), facilitator=user)
    )
    fellow_in_program = Exists(
        enrollments.filter(cohort__program=OuterRef("program_id"), status=EnrollmentStatus.ACTIVE)
    )
    coach = Exists(
        CoachProfile.objects.filter(user=user, programs=OuterRef("program_id"))
    ) | Exists(
        CoachAssignment.objects.active().filter(
            coach=user, enrollment__cohort__program=OuterRef("program_id")
        )
    )
    facilitator = Exists(
        Program.objects.filter(pk=OuterRef("program_id"), facilitators=user)
    ) | Exists(PeerGroup.objects.filter(cohort__program=OuterRef("program_id"), facilitator=user))
    alumnus = Exists(
        enrollments.filter(
            cohort__program=OuterRef("program_id"), status=EnrollmentStatus.COMPLETED
        )
    )
    return (
        Q(program_id__in=cohort_roles.staff_program_ids(user))
        | Q(author=user)
        | Q(cohort, audience=Audience.COHORT)
        | Q(group_member | group_facilitator, audience=Audience.PEER_GROUP)
        | Q(fellow_in_program | coach | facilitator, audience=Audience.PROGRAM)
        | Q(coach, audience=Audience.COACHES)
        | Q(alumnus, audience=Audience.ALUMNI)
    )


def visible_q(user, now) -> Q:
    """What `user` sees: program staff and the author also see what is still scheduled;
    the audience only what has been sent."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    managers = Q(program_id__in=cohort_roles.staff_program_ids(user)) | Q(author=user)
    return managers | (readable_q(user) & Q(send_at__lte=now))


def members_q(announcement) -> Q:
    """The audience as a filter on users."""
    a = announcement
    enrollments = Enrollment.objects.filter(user=OuterRef("pk"))
    coach = Exists(
        CoachProfile.objects.filter(user=OuterRef("pk"), programs=a.program_id)
    ) | Exists(
        CoachAssignment.objects.active().filter(
            coach=OuterRef("pk"), enrollment__cohort__program=a.program_id
        )
    )
    if a.audience == Audience.COHORT:
        return Q(Exists(enrollments.filter(cohort=a.cohort_id, status__in=WITH_ACCESS)))
    if a.audience == Audience.PEER_GROUP:
        member = Exists(
            PeerGroupMembership.objects.filter(
                group=a.peer_group_id,
                enrollment__user=OuterRef("pk"),
                enrollment__status__in=WITH_ACCESS,
            )
        )
        facilitator: Exists | Q = Exists(
            PeerGroup.objects.filter(pk=a.peer_group_id, facilitator=OuterRef("pk"))
        )
        return Q(member) | Q(facilitator)
    if a.audience == Audience.COACHES:
        return Q(coach)
    if a.audience == Audience.ALUMNI:
        return Q(
            Exists(
                enrollments.filter(cohort__program=a.program_id, status=EnrollmentStatus.COMPLETED)
            )
        )
    fellow = Exists(
        enrollments.filter(cohort__program=a.program_id, status=EnrollmentStatus.ACTIVE)
    )
    facilitator = Exists(
        Program.objects.filter(pk=a.program_id, facilitators=OuterRef("pk"))
    ) | Exists(PeerGroup.objects.filter(cohort__program=a.program_id, facilitator=OuterRef("pk")))
    return Q(fellow) | Q(coach) | Q(facilitator)


def members(announcement):
    """The people of the audience (active accounts), each once."""
    return User.objects.filter(members_q(announcement), is_active=True).distinct()


def members_with_enrollment(announcement) -> list[tuple[int, int | None]]:
    """(user id, enrollment id or None) of each person told: the enrollment through which a
    fellow is in a cohort's or group's audience, so nothing reaches them once they withdraw."""
    a = announcement
    enrollment: QuerySet[Any, Any] | None = None
    if a.audience == Audience.COHORT:
        enrollment = Enrollment.objects.filter(
            user=OuterRef("pk"), cohort=a.cohort_id, status__in=WITH_ACCESS
        ).values("pk")[:1]
    elif a.audience == Audience.PEER_GROUP:
        enrollment = PeerGroupMembership.objects.filter(
            group=a.peer_group_id, enrollment__user=OuterRef("pk")
        ).values("enrollment_id")[:1]
    people = members(announcement).order_by("pk")
    if enrollment is None:
        return [(pk, None) for pk in people.values_list("pk", flat=True)]
    return list(people.annotate(via=Subquery(enrollment)).values_list("pk", "via"))
