"""Each program in its own words: what it calls its participants, its plan, the plan's
sections and its peer groups.

One mechanism carries them everywhere:
- pages: the `terms` context processor puts `terms` in every template's context, resolved
  at most once per request (and only when a template reads it) from the program of the
  page, i.e. of the object its URL names (`program_for_request`), or else the viewer's own
  program; a view may pass `terms` itself when it knows better (a page that spans several
  programs passes the defaults);
- forms, emails and exports: the code that builds them asks `program.terms` (or
  `terms_for_request(request)` in a view) and hands the `Terms` on.

Templates write `{{ terms.participant }}`, `{{ terms.participants|capfirst }}`,
`{{ terms.plan }}`, `{{ terms.plan_short }}`, `{{ terms.group }}`, `{{ terms.groups }}`, and
`{{ terms.section.initiative.label }}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import SimpleLazyObject

# The plan's sections (action_plans.ActionPlan's text fields and its focus levels):
# key -> (default label, default help text). Labels are in sentence case.
PLAN_SECTIONS: dict[str, tuple[str, str]] = {
    "initiative": (
        "Strategic initiative",
        "The initiative this plan advances for your agency and its partner communities.",
    ),
    "problem": ("Problem or opportunity", "What is wrong, or what opening exists, and why now."),
    "equity_aim": ("Equity aim", "Which people, and which disparity you mean to reduce."),
    "focus_levels": ("Focus levels", "The levels your initiative works at; choose all that apply."),
    "policy_levers": ("Policy levers", ""),
    "stakeholders": ("Stakeholders and partners", ""),
    "success_measures": ("Success measures", ""),
}
SECTION_LABEL_MAX = 80
SECTION_HELP_MAX = 300


@dataclass(frozen=True)
class Section:
    label: str
    help: str


def _default_sections() -> Mapping[str, Section]:
    return MappingProxyType({key: Section(*pair) for key, pair in PLAN_SECTIONS.items()})


@dataclass(frozen=True)
class Terms:
    """The words of one program (the defaults when there is none)."""

    participant: str = "fellow"
    participants: str = "fellows"
    plan: str = "Leadership Action Plan"
    plan_short: str = "plan"
    group: str = "peer group"
    groups: str = "peer groups"
    section: Mapping[str, Section] = field(default_factory=_default_sections)

    @classmethod
    def of(cls, program) -> Terms:
        if program is None:
            return DEFAULT_TERMS
        custom = program.plan_sections or {}
        sections = {}
        for key, (label, help_text) in PLAN_SECTIONS.items():
            given = custom.get(key) or {}
            sections[key] = Section(
                label=(given.get("label") or "").strip() or label,
                help=(given.get("help") if "help" in given else help_text) or "",
            )
        return cls(
            participant=program.participant_singular,
            participants=program.participant_plural,
            plan=program.plan_name,
            plan_short=program.plan_short_name,
            group=program.group_singular,
            groups=program.group_plural,
            section=MappingProxyType(sections),
        )

    def as_dict(self) -> dict:
        """For payloads frozen into the notification ledger and for exports."""
        return {
            "participant": self.participant,
            "participants": self.participants,
            "plan": self.plan,
            "plan_short": self.plan_short,
            "group": self.group,
            "groups": self.groups,
        }

    @classmethod
    def from_dict(cls, words: Mapping | None) -> Terms:
        """Back from `as_dict` (a payload written before terms existed gives the defaults)."""
        if not words:
            return DEFAULT_TERMS
        known = {key: words[key] for key in DEFAULT_TERMS.as_dict() if words.get(key)}
        return cls(**known)


DEFAULT_TERMS = Terms()


# --- Which program a page belongs to ---------------------------------------------------------
#
# URLs name objects by a UUID `code` (or a program by its slug). Each app registers, for its
# coded models, the path from the model to its program; one query then finds the program that
# owns the object a URL names, whatever its type.

_CODED: list[tuple[type, str]] = []
_HOME_PROGRAMS: list[Callable] = []


def register_coded_model(model: type, program_path: str) -> None:
    """`register_coded_model(ActionPlan, "enrollment__cohort__program")`, from `ready()`."""
    if (model, program_path) not in _CODED:
        _CODED.append((model, program_path))


def register_home_programs(rows: Callable) -> None:
    """`rows(user_id) -> Program queryset filter (a Q)` naming programs a person works in,
    asked when a page names no program (coaching registers its coaches)."""
    if rows not in _HOME_PROGRAMS:
        _HOME_PROGRAMS.append(rows)


def program_of_code(code):
    """The program owning the object whose public code this is (one query), or None."""
    from .models import Program

    if not _CODED:
        return None
    owns = Q()
    for model, path in _CODED:
        owns |= Q(Exists(model._default_manager.filter(**{path: OuterRef("pk")}, code=code)))
    return Program.objects.filter(owns).first()


def home_program(user):
    """When a page names no program: the program of the person's newest enrollment; else the
    one program they staff or serve, if there is only one."""
    from .models import Enrollment, Program

    if not user.is_authenticated:
        return None
    enrolled = (
        Enrollment.objects.filter(user_id=user.pk)
        .order_by("-cohort__start_date")
        .values("cohort__program_id")[:1]
    )
    program = Program.objects.filter(pk__in=enrolled).first()
    if program is not None:
        return program
    works = Q(staff_memberships__user_id=user.pk)
    for rows in _HOME_PROGRAMS:
        works |= rows(user.pk)
    programs = list(Program.objects.filter(works).distinct()[:2])
    return programs[0] if len(programs) == 1 else None


def program_for_request(request):
    from .models import Program

    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    program = None
    if "slug" in kwargs:  # every `slug` in the project's URLs is a program's
        program = Program.objects.filter(slug=kwargs["slug"]).first()
    elif "code" in kwargs:
        program = program_of_code(kwargs["code"])
    if program is None and hasattr(request, "user"):
        program = home_program(request.user)
    return program


def terms_for_request(request) -> Terms:
    """The page's words, looked up once per request."""
    cached = getattr(request, "_cw_terms", None)
    if cached is None:
        cached = Terms.of(program_for_request(request))
        request._cw_terms = cached
    return cached


def use_program_terms(request, program) -> Terms:
    """For a view that knows its program better than its URL does (e.g. a token URL)."""
    request._cw_terms = Terms.of(program)
    return request._cw_terms


def terms_context(request):
    """Context processor: `terms`, resolved only if a template reads it."""
    return {"terms": SimpleLazyObject(lambda: terms_for_request(request))}
