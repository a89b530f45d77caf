"""Access helpers: the first call of every outcomes view. Outsiders get 404; people who may
read a thing but not do what they asked get 403."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import Access
from accounts.models import User
from accounts.viewer import Viewer
from action_plans.access import get_plan_for_viewer
from action_plans.models import ActionPlan
from cohorts import roles as cohort_roles
from cohorts.models import Cohort, Enrollment, Program

from . import roles
from .models import Result, ResultQuerySet


@dataclass(frozen=True)
class ResultPermissions:
    """What one viewer may do with the results of one plan."""

    is_owner: bool = False
    is_staff: bool = False
    is_coach: bool = False
    can_read_all: bool = False  # every result whatever its consent, with its evidence
    can_record: bool = False  # add results, edit and delete them
    can_consent: bool = False  # set who may see a result: the fellow's own choice
    can_verify: bool = False

    def require(self, right: str, message: str) -> None:
        if not getattr(self, right):
            raise PermissionDenied(message)


def permissions_for(user: Viewer, plan: ActionPlan) -> ResultPermissions:
    enrollment = plan.enrollment
    is_owner = roles.owns_plan(user, plan)
    is_staff = cohort_roles.is_cohort_staff(user, enrollment.cohort)
    is_coach = not is_owner and cohort_roles.is_active_coach_of(user, enrollment)
    return ResultPermissions(
        is_owner=is_owner,
        is_staff=is_staff,
        is_coach=is_coach,
        can_read_all=is_owner or is_staff or is_coach,
        can_record=is_owner or is_staff,
        can_consent=is_owner,
        can_verify=is_staff,
    )


RESULT_JOINS = (
    "plan__enrollment__cohort__program",
    "plan__enrollment__cohort__framework",
    "plan__enrollment__user",
    "recorded_by",
    "verified_by",
)


def get_result_for_viewer(user: Viewer, code: UUID | str) -> Access[Result, ResultPermissions]:
    """The result and the viewer's rights. Staff, the coach and the fellow read every result;
    others who may read the plan (peers, classmates) read it only when it is public."""
    result = Result.objects.select_related(*RESULT_JOINS).filter(code=code).first()
    if result is None:
        raise Http404("No such result.")
    permissions = permissions_for(user, result.plan)
    if permissions.can_read_all:
        return Access(result, permissions)
    if result.is_public and ActionPlan.objects.visible_to(user).filter(pk=result.plan_id).exists():
        return Access(result, permissions)
    raise Http404("No such result.")


def get_plan_to_record(user: Viewer, code: UUID | str) -> Access[ActionPlan, ResultPermissions]:
    """The plan a result is added to. Those who may read the plan but not record results on
    it (the coach, peers) get 403; anyone else 404."""
    plan, _plan_permissions = get_plan_for_viewer(user, code)
    permissions = permissions_for(user, plan)
    permissions.require("can_record", "Only the fellow and program staff record results.")
    return Access(plan, permissions)


# --- Impact reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImpactScope:
    """The cohorts an impact report covers: one cohort, a program's cohorts across the years,
    or every program the viewer runs."""

    kind: str  # "cohort", "program" or "all"
    title: str
    viewer: Viewer
    programs: list[Program] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    cohort: Cohort | None = None
    program: Program | None = None

    @property
    def cohort_ids(self) -> list[int]:
        return [c.pk for c in self.cohorts]

    def enrollments(self) -> QuerySet[Enrollment]:
        return Enrollment.objects.filter(cohort_id__in=self.cohort_ids)

    def results(self) -> ResultQuerySet:
        return Result.objects.filter(plan__enrollment__cohort_id__in=self.cohort_ids)

    def today(self) -> datetime.date:
        """The day the report is prepared, on the calendar of its newest cohort."""
        newest = max(self.cohorts, key=lambda c: c.start_date, default=None)
        return newest.local_date() if newest else timezone.now().date()


def get_impact_for_cohort(user: Viewer, code: UUID | str) -> ImpactScope:
    cohort = Cohort.objects.select_related("program").filter(code=code).first()
    if cohort is None or not cohort_roles.is_cohort_staff(user, cohort):
        raise Http404("No such cohort.")
    return ImpactScope(
        kind="cohort",
        title=f"{cohort.program.name} — {cohort.name}",
        viewer=user,
        programs=[cohort.program],
        cohorts=[cohort],
        cohort=cohort,
        program=cohort.program,
    )


def get_impact_for_program(user: Viewer, slug: str) -> ImpactScope:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not cohort_roles.is_program_staff(user, program):
        raise Http404("No such program.")
    return ImpactScope(
        kind="program",
        title=program.name,
        viewer=user,
        programs=[program],
        cohorts=list(program.cohorts.order_by("start_date")),
        program=program,
    )


def get_impact_for_viewer(user: Viewer) -> ImpactScope:
    """Every program the viewer runs (a site admin: every program); nobody else has one."""
    programs = list(Program.objects.staffed_by(user).order_by("name"))
    if not programs:
        raise Http404("No impact report for you.")
    cohorts = list(
        Cohort.objects.filter(program__in=programs)
        .select_related("program")
        .order_by("start_date", "name")
    )
    return ImpactScope(
        kind="all",
        title="All my programs" if len(programs) > 1 else programs[0].name,
        viewer=user,
        programs=programs,
        cohorts=cohorts,
    )


def get_demographics_subject(user: Viewer) -> User:
    """The person whose own answers these are: fellows and alumni; anyone else 404."""
    if not isinstance(user, User) or not roles.answers_demographics(user):
        raise Http404("Nothing to answer here.")
    return user
