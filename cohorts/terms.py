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

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, Subquery
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


def validate_plan_sections(sections) -> None:
    """`Program.plan_sections`: {known section: {"label": ≤80 characters, "help": ≤300}}."""
    if not isinstance(sections, dict):
        raise ValidationError({"plan_sections": "The plan sections are not a list of sections."})
    for key, words in sections.items():
        if key not in PLAN_SECTIONS or not isinstance(words, dict):
            raise ValidationError({"plan_sections": f"There is no plan section “{key}”."})
        label, help_text = words.get("label", ""), words.get("help", "")
        if not isinstance(label, str) or not isinstance(help_text, str):
            raise ValidationError({"plan_sections": "A section's words are text."})
        if len(label) > SECTION_LABEL_MAX or len(help_text) > SECTION_HELP_MAX:
            raise ValidationError(
                {
                    "plan_sections": f"A section's name has at most {SECTION_LABEL_MAX} "
                    f"characters, its help text {SECTION_HELP_MAX}."
                }
            )


@dataclass(frozen=True)
class Section:
    label: str
    help: str
    shown: bool = True  # the program's plan template may hide a section


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
    plan_intro: str = (
        "Your plan advances a strategic initiative for your agency and the communities it serves."
    )
    section: Mapping[str, Section] = field(default_factory=_default_sections)

    @classmethod
    def of(cls, program) -> Terms:
        if program is None:
            return DEFAULT_TERMS
        custom = program.plan_sections or {}
        hidden = set((program.plan_template or {}).get("hidden", []))
        sections = {}
        for key, (label, help_text) in PLAN_SECTIONS.items():
            given = custom.get(key) or {}
            sections[key] = Section(
                label=(given.get("label") or "").strip() or label,
                help=(given.get("help") if "help" in given else help_text) or "",
                shown=key not in hidden,
            )
        return cls(
            participant=program.participant_singular,
            participants=program.participant_plural,
            plan=program.plan_name,
            plan_short=program.plan_short_name,
            group=program.group_singular,
            groups=program.group_plural,
            plan_intro=program.plan_intro,
            section=MappingProxyType(sections),
        )

    @classmethod
    def of_words(cls, words: Mapping | str | None) -> Terms:
        """From the program's word fields read as one JSON object (`terms_probe`)."""
        if words is None:
            return DEFAULT_TERMS
        # SQLite hands a JSON object back as text.
        fields = dict(json.loads(words) if isinstance(words, str) else words)
        for key in ("plan_sections", "plan_template"):
            if isinstance(fields.get(key), str):  # a JSON field nested as text (SQLite)
                fields[key] = json.loads(fields[key])
        return cls.of(SimpleNamespace(**fields))

    @property
    def a_participant(self) -> str:
        """'a fellow', 'an intern'."""
        return f"{_article(self.participant)} {self.participant}"

    @property
    def a_group(self) -> str:
        return f"{_article(self.group)} {self.group}"

    @property
    def participant_forms(self) -> str:
        """For Django's pluralize: `{{ n|pluralize:terms.participant_forms }}`."""
        return f"{self.participant},{self.participants}"

    @property
    def group_forms(self) -> str:
        return f"{self.group},{self.groups}"

    def speak(self, text):
        """A sentence written in the default words, said in these: for text kept in Python
        (form labels, choices, export headers, notices). Lazy strings are translated first."""
        if not text or self is DEFAULT_TERMS:
            return text
        text = str(text)
        for pattern, word in _SPOKEN:
            text = pattern.sub(lambda m, word=word: _cased(word(self), m.group(0)), text)
        return text

    def speak_form(self, form):
        """Every label, help text and choice of a form, said in these words."""
        if self is DEFAULT_TERMS:
            return form
        for form_field in form.fields.values():
            form_field.label = self.speak(form_field.label)
            form_field.help_text = self.speak(form_field.help_text)
            if getattr(form_field, "empty_label", None):
                form_field.empty_label = self.speak(form_field.empty_label)
            choices = getattr(form_field, "choices", None)
            if choices and isinstance(choices, list | tuple):
                form_field.choices = [
                    (value, label if isinstance(label, list | tuple) else self.speak(label))
                    for value, label in choices
                ]
        return form

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


# Longest first: "a fellow" before "fellow".
_SPOKEN = [
    (re.compile(r"\bLeadership Action Plans\b"), lambda t: f"{t.plan}s"),
    (re.compile(r"\bLeadership Action Plan\b"), lambda t: t.plan),
    (re.compile(r"\b[Aa] fellow\b"), lambda t: t.a_participant),
    (re.compile(r"\b[Ff]ellows\b"), lambda t: t.participants),
    (re.compile(r"\b[Ff]ellow\b"), lambda t: t.participant),
    (re.compile(r"\b[Aa] peer group\b"), lambda t: t.a_group),
    (re.compile(r"\b[Pp]eer groups\b"), lambda t: t.groups),
    (re.compile(r"\b[Pp]eer group\b"), lambda t: t.group),
]


def _cased(word: str, like: str) -> str:
    """The program's word, capitalised where the default one was."""
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


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
    if not _CODED:
        return None
    return _programs_owning(code).first()


def home_program(user):
    """When a page names no object: the program of the person's newest enrollment; else the
    one program they staff or serve, if there is only one. One query."""
    from .models import Enrollment, Program

    if not user.is_authenticated:
        return None
    works = Q(Exists(Enrollment.objects.filter(user_id=user.pk, cohort__program=OuterRef("pk"))))
    works |= Q(Exists(_staff_rows(user.pk)))
    for rows in _HOME_PROGRAMS:
        works |= rows(user.pk)
    newest = (
        Enrollment.objects.filter(user_id=user.pk, cohort__program=OuterRef("pk"))
        .order_by("-cohort__start_date")
        .values("cohort__start_date")[:1]
    )
    programs = list(
        Program.objects.filter(works)
        .annotate(enrolled_since=Subquery(newest))
        .order_by(F("enrolled_since").desc(nulls_last=True), "pk")
        .distinct()[:2]
    )
    if programs and (programs[0].enrolled_since is not None or len(programs) == 1):
        return programs[0]
    return None


def terms_of_person(user) -> Terms:
    """The words of a page that belongs to a person rather than to one program (their
    notification choices and calendar, a coach's profile and booking hours, the form staff
    write an announcement in). The rule, for a person in several programs:
    - every program they are enrolled in, staff or coach agrees on its words: those words;
    - else the program of their newest enrollment (a fellow who now staffs another program
      still reads their own program's words);
    - else (staff or a coach of programs that name things differently) the default words,
      which belong to none of them.
    One query."""
    from .models import Enrollment, Program

    if not user.is_authenticated:
        return DEFAULT_TERMS
    works = Q(Exists(Enrollment.objects.filter(user_id=user.pk, cohort__program=OuterRef("pk"))))
    works |= Q(Exists(_staff_rows(user.pk)))
    for rows in _HOME_PROGRAMS:
        works |= rows(user.pk)
    newest = (
        Enrollment.objects.filter(user_id=user.pk, cohort__program=OuterRef("pk"))
        .order_by("-cohort__start_date")
        .values("cohort__start_date")[:1]
    )
    programs = list(
        Program.objects.filter(works)
        .annotate(enrolled_since=Subquery(newest))
        .order_by(F("enrolled_since").desc(nulls_last=True), "pk")
    )
    if not programs:
        return DEFAULT_TERMS
    spoken = [Terms.of(program) for program in programs]
    if all(terms == spoken[0] for terms in spoken):
        return spoken[0]
    return spoken[0] if programs[0].enrolled_since is not None else DEFAULT_TERMS


def _staff_rows(user_id):
    from .models import ProgramStaff

    return ProgramStaff.objects.filter(user_id=user_id, program=OuterRef("pk"))


def _programs_of_page(match):
    """The rows holding the program a page's URL names (a queryset of at most one), None
    when the page names no object, or `NO_PROGRAM` when it belongs to no program."""
    from .models import Program

    kwargs = match.kwargs if match else {}
    if "slug" in kwargs:  # every `slug` in the project's URLs is a program's
        return Program.objects.filter(slug=kwargs["slug"])
    if "code" in kwargs:
        # An object of no one program (a person, a framework) speaks in the default words.
        return _programs_owning(kwargs["code"]) if _CODED else NO_PROGRAM
    if match is None or match.namespace in PROGRAM_NEUTRAL_NAMESPACES:
        return NO_PROGRAM  # a person's own settings, notifications and data: no program
    return None


NO_PROGRAM = object()


def _programs_owning(code):
    from .models import Program

    owns = Q()
    for model, path in _CODED:
        owns |= Q(Exists(model._default_manager.filter(**{path: OuterRef("pk")}, code=code)))
    return Program.objects.filter(owns)


def program_for_request(request):
    match = getattr(request, "resolver_match", None)
    programs = _programs_of_page(match)
    if programs is NO_PROGRAM:
        return None
    if programs is not None:
        return programs.first()
    return home_program(request.user) if hasattr(request, "user") else None


PROGRAM_NEUTRAL_NAMESPACES = {"", "accounts", "notifications", "privacy", "audit"}

# The Program fields `Terms.of` reads.
_WORD_FIELDS = (
    "participant_singular",
    "participant_plural",
    "plan_name",
    "plan_short_name",
    "group_singular",
    "group_plural",
    "plan_intro",
    "plan_sections",
    "plan_template",
)


def _words_of(programs) -> Subquery:
    from django.db.models import JSONField
    from django.db.models.functions import JSONObject

    words = programs.order_by().values(words=JSONObject(**{f: f for f in _WORD_FIELDS}))[:1]
    return Subquery(words, output_field=JSONField())


def terms_probe(request, match):
    """The page's words asked in the navigation's query (accounts.roles.viewer_roles) instead
    of a query of their own: the program the URL names, else that of the viewer's newest
    enrollment. A page naming neither (a staff member's or a coach's start page) is left to
    `terms_for_request`, which asks `home_program` if the page reads its words."""
    from accounts.roles import RequestProbe

    if match is not None and match.view_name in PERSONAL_PAGES:
        return None  # the person's own words (`terms_of_person`), asked if the page reads them
    kwargs = match.kwargs if match else {}
    # The same cases as `_programs_of_page`, told apart without building a query.
    if "slug" in kwargs:
        build, values, shape = _words_of_slug, {"slug": kwargs["slug"]}, "slug"
    elif "code" in kwargs and _CODED:
        build, values = _words_of_code, {"code": kwargs["code"]}
        shape = ("code", tuple(_CODED))
    elif "code" in kwargs or match is None or match.namespace in PROGRAM_NEUTRAL_NAMESPACES:
        request._cw_terms = DEFAULT_TERMS
        return None
    else:
        # `home_program`'s answer, asked here rather than in a query of its own.
        build, values = _words_of_home, {"user_id": request.user.pk}
        shape = ("home", tuple(_HOME_PROGRAMS))

    def answer(request, words):
        if getattr(request, "_cw_terms", None) is None:
            request._cw_terms = Terms.of_words(words)

    return RequestProbe(build, answer, values, shape)


def _words_of_slug(slug):
    from .models import Program

    return _words_of(Program.objects.filter(slug=slug))


def _words_of_code(code):
    return _words_of(_programs_owning(code))


def _words_of_home(user_id):
    """`home_program`'s words as one expression: the program of the newest enrollment, else
    the one program the person staffs or serves, if there is only one."""
    from django.db.models import Case, JSONField, When
    from django.db.models.functions import Coalesce
    from django.db.models.lookups import Exact

    from accounts.roles import count_of

    from .models import Enrollment, Program

    newest = Enrollment.objects.filter(user_id=user_id).order_by(
        F("cohort__start_date").desc(), "cohort__program_id"
    )
    enrolled = Program.objects.filter(pk=Subquery(newest.values("cohort__program_id")[:1]))
    works = Q(Exists(_staff_rows(user_id)))
    for rows in _HOME_PROGRAMS:
        works |= rows(user_id)
    served = Program.objects.filter(pk__in=Program.objects.filter(works).values("pk"))
    only = Case(
        When(Exact(count_of(served), 1), then=_words_of(served)),
        default=None,
        output_field=JSONField(),
    )
    return Coalesce(_words_of(enrolled), only, output_field=JSONField())


# Pages of a person's own that name peer groups and fellows: in the words of that person's
# programs (`terms_of_person`), though their namespace belongs to no program.
PERSONAL_PAGES = {"notifications:preferences", "notifications:calendar"}


def terms_for_request(request) -> Terms:
    """The page's words, looked up once per request."""
    cached = getattr(request, "_cw_terms", None)
    if cached is None:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in PERSONAL_PAGES and hasattr(request, "user"):
            cached = terms_of_person(request.user)
        else:
            cached = Terms.of(program_for_request(request))
        request._cw_terms = cached
    return cached


def use_program_terms(request, program) -> Terms:
    """For a view that knows its program better than its URL does (e.g. a token URL)."""
    request._cw_terms = Terms.of(program)
    return request._cw_terms


def use_person_terms(request, user) -> Terms:
    """For a page that belongs to a person rather than a program (`terms_of_person`)."""
    request._cw_terms = terms_of_person(user)
    return request._cw_terms


def passes_terms(function):
    """Under `@register.inclusion_tag(..., takes_context=True)`: a panel's template reads the
    page's `terms` too (an inclusion tag's context holds only what its function returns)."""

    @functools.wraps(function)
    def wrapper(context, *args, **kwargs):
        data = function(context, *args, **kwargs)
        if "terms" not in data:
            data["terms"] = context.get("terms") or DEFAULT_TERMS
        return data

    return wrapper


def terms_context(request):
    """Context processor: `terms`, resolved only if a template reads it."""
    return {"terms": SimpleLazyObject(lambda: terms_for_request(request))}
