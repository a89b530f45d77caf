"""Who sees which figures (PRODUCT.md, "reports and exports": staff yes, coaches their own
fellows, nobody else). Every reports view calls one of these first; outsiders get 404."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from coaching.roles import coaches_in_cohort
from cohorts import roles
from cohorts.access import cohort_by_code
from cohorts.models import Cohort, Enrollment, Program


@dataclass(frozen=True)
class Scope:
    """A cohort as one viewer may see it: all of it (staff), or only the fellows the viewer
    coaches now (`coach` set). Every metric filters its rows through `enrollments()`."""

    cohort: Cohort
    viewer: object
    coach: User | None = None

    @property
    def is_staff(self) -> bool:
        return self.coach is None

    @property
    def program(self) -> Program:
        return self.cohort.program

    def enrollments(self) -> QuerySet[Enrollment]:
        """The enrollments in view, every status (a queryset, used as a subquery)."""
        return enrollments_in_view(self.cohort.pk, None if self.coach is None else self.coach.pk)

    def query_values(self, **more: Any) -> dict[str, Any]:
        """The scope as the values of a query compiled once per kind of viewer
        (accounts/compiled.py; its shape is `is_staff`), with `more` of the caller's: the
        cohort's id, and a coach's own id, for `enrollments_in_view`."""
        values = {"cohort_id": self.cohort.pk, **more}
        if self.coach is not None:
            values["coach_id"] = self.coach.pk
        return values

    def coached_ids(self) -> set[int]:
        """A coach's scope: ids of the enrollments in view, to filter rows already limited to
        the cohort. The coach's active fellows (in every cohort) were asked with the
        navigation's roles (coaching.roles), so this is no query then."""
        coached = getattr(self.coach, "_cw_coached_enrollments", None)
        if coached is None:
            return set(self.enrollments().values_list("pk", flat=True))
        return coached

    def today(self, now: datetime.datetime) -> datetime.date:
        """Day-based thresholds count in the cohort's own zone, whoever looks."""
        return self.cohort.local_date(now)


def enrollments_in_view(cohort_id: int, coach_id: int | None) -> QuerySet[Enrollment]:
    """A scope's enrollments from ids alone, for queries compiled once and run again with
    each request's ids (reports/metrics/fellows.py)."""
    enrollments = Enrollment.objects.filter(cohort_id=cohort_id)
    if coach_id is not None:
        enrollments = enrollments.filter(
            coach_assignments__coach_id=coach_id, coach_assignments__ended_at__isnull=True
        )
    return enrollments


def get_cohort_scope(user: User | AnonymousUser, code: uuid.UUID | str) -> Scope:
    cohort = cohort_by_code(code)
    if roles.is_cohort_staff(user, cohort):
        return Scope(cohort=cohort, viewer=user)
    if isinstance(user, User) and coaches_in_cohort(user, cohort):
        return Scope(cohort=cohort, viewer=user, coach=user)
    raise Http404("No such cohort.")


def get_program_for_reports(user: User | AnonymousUser, slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not roles.is_program_staff(user, program):
        raise Http404("No such program.")
    return program


def reportable_cohorts(user: User | AnonymousUser) -> tuple[list[Program], list[Cohort]]:
    """The start page: programs the user staffs (with cohorts) and cohorts they coach in.
    Nobody else has reports, so both empty means 404."""
    programs = list(
        Program.objects.staffed_by(user).prefetch_related("cohorts").order_by("name")
        if user.is_authenticated
        else []
    )
    staffed = {p.pk for p in programs}
    coached = list(
        Cohort.objects.filter(
            enrollments__coach_assignments__coach=user,
            enrollments__coach_assignments__ended_at__isnull=True,
        )
        .exclude(program__in=staffed)
        .select_related("program")
        .distinct()
        .order_by("-start_date")
        if user.is_authenticated
        else []
    )
    if not programs and not coached:
        raise Http404("No reports for you.")
    return programs, coached


def roster_user_ids(program: Program) -> QuerySet[Enrollment, dict[str, Any]]:
    """The people on the rosters of the program's cohorts, every status (a subquery): whose
    undelivered notifications the program's staff see and may send again."""
    return Enrollment.objects.filter(cohort__program=program).values("user_id")


def roster_enrollment_ids(program: Program) -> QuerySet[Enrollment, dict[str, Any]]:
    """The enrollments of the program's cohorts, every status (a subquery): whose rows
    addressed to an email (their 360° raters) the program's staff see and may send again."""
    return Enrollment.objects.filter(cohort__program=program).values("pk")
