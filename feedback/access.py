"""Access helpers: the first call of every results view. Outsiders get 404."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404

from accounts.models import User
from accounts.viewer import Viewer
from cohorts.models import Cohort, Program
from curriculum.models import Session, SessionKind

from . import roles
from .models import Form


def get_session_for_results(user: Viewer, code: UUID | str) -> Session:
    session = Session.objects.select_related("cohort__program").filter(code=code).first()
    if session is None or not roles.reads_results_of_cohort(user, session.cohort):
        raise Http404("No such session.")
    return session


def get_cohort_for_results(user: Viewer, code: UUID | str) -> Cohort:
    cohort = Cohort.objects.select_related("program").filter(code=code).first()
    if cohort is None or not roles.reads_results_of_cohort(user, cohort):
        raise Http404("No such cohort.")
    return cohort


def get_kind_for_results(user: Viewer, code: UUID | str, kind: str) -> tuple[Cohort, SessionKind]:
    if kind not in SessionKind.values:
        raise Http404("No such kind of session.")
    return get_cohort_for_results(user, code), SessionKind(kind)


def get_program_for_results(user: Viewer, slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not roles.reads_results_of_program(user, program):
        raise Http404("No such program.")
    return program


def get_coach_for_own_figures(user: Viewer) -> User:
    if not isinstance(user, User) or not roles.reads_own_coaching_figures(user):
        raise Http404("Nothing to show you here.")
    return user


def get_programs_for_results(user: Viewer) -> list[Program]:
    """The programs the viewer runs, with their cohorts; nobody else has any."""
    programs = list(
        Program.objects.staffed_by(user)
        .prefetch_related(Prefetch("cohorts", Cohort.objects.order_by("-start_date")))
        .order_by("name")
    )
    if not programs:
        raise Http404("No results for you.")
    return programs


def get_program_for_building(user: Viewer, slug: str) -> Program:
    """The question bank and forms of a program: its staff (and site admins) only."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not roles.builds_forms_of_program(user, program):
        raise Http404("No such program.")
    return program


def get_form_for_staff(user: Viewer, code: UUID | str) -> Form:
    form = Form.objects.select_related("program").filter(code=code).first()
    if form is None or not roles.builds_forms_of_program(user, form.program):
        raise Http404("No such form.")
    return form
