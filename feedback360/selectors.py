"""Reads that feed the 360° feedback pages, each with its joins decided here. Raters'
answers leave this module only through feedback360/aggregate.py (groups of 3 or more)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.compiled import CompiledQuery
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import (
    AssessmentPhase,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    ProficiencyLevel,
)
from curriculum.models import Rating as SelfRating

from .aggregate import (
    Answer,
    CohortFigures,
    Report,
    build_report,
    cohort_figures,
    cohort_figures_of_sums,
)
from .models import (
    MIN_GROUP_SIZE,
    FeedbackPolicy,
    FeedbackWindow,
    Nomination,
    NominationStatus,
    RaterCircle,
    RaterRating,
)

# --- Policy and windows ----------------------------------------------------------------------


def policy_for(program: Program) -> FeedbackPolicy:
    """The program's policy, or the defaults (unsaved) while staff have not set one."""
    cached = getattr(program, "_feedback360_policy", None)
    if cached is None:
        # Loaded with the program when the query asked for it (`POLICY_JOIN`).
        try:
            cached = program.feedback360_policy
        except FeedbackPolicy.DoesNotExist:
            cached = FeedbackPolicy(program=program)
        # Kept on the program object for the rest of the request.
        setattr(program, "_feedback360_policy", cached)  # noqa: B010
    return cached


# Add to select_related() from a window's cohort so that policy_for() costs no query.
POLICY_JOIN = "cohort__program__feedback360_policy"


def windows_of(cohort: Cohort, today: datetime.date) -> list[FeedbackWindow]:
    """The cohort's windows with their counts (`nominating`, `pending`, `invited`,
    `answered`) and state today."""
    windows: list[FeedbackWindow] = list(
        FeedbackWindow.objects.filter(cohort=cohort)
        .annotate(
            nominating=Count(
                "circles", filter=Q(circles__nominations__isnull=False), distinct=True
            ),
            pending=Count(
                "circles__nominations",
                filter=Q(circles__nominations__status=NominationStatus.PENDING),
            ),
            invited=Count(
                "circles__nominations",
                filter=Q(circles__nominations__status=NominationStatus.INVITED),
            ),
            answered=Count(
                "circles__nominations", filter=Q(circles__nominations__answered_at__isnull=False)
            ),
        )
        .order_by("opens_on")
    )
    for window in windows:
        window.state = window.state_on(today)
    return windows


def open_window_for(enrollment: Enrollment, today: datetime.date) -> FeedbackWindow | None:
    return (
        FeedbackWindow.objects.filter(
            cohort_id=enrollment.cohort_id,
            opens_on__lte=today,
            closes_on__gte=today,
            closed_at__isnull=True,
        )
        .order_by("opens_on")
        .first()
    )


# --- Progress of a window (staff) --------------------------------------------------------------


@dataclass
class FellowProgress:
    enrollment: Enrollment
    circle: RaterCircle | None
    counts: dict = field(default_factory=dict)  # relationship → nominations not declined
    drafts: int = 0
    pending: int = 0
    invited: int = 0
    answered: int = 0
    missing: list = field(default_factory=list)  # e.g. ["1 more peer"]

    @property
    def nominated(self) -> int:
        return sum(self.counts.values())

    @property
    def is_short(self) -> bool:
        """Too few raters: the program's minimums unmet, or under 3 answers (so the report
        will show no rater figure)."""
        return bool(self.missing) or self.answered < MIN_GROUP_SIZE


def window_progress(window: FeedbackWindow) -> list[FellowProgress]:
    """Every fellow of the cohort (active, or an alumnus by now) with their nominations counted
    (never who answered: only how many). Three queries."""
    policy = policy_for(window.cohort.program)
    enrollments = list(
        Enrollment.objects.filter(
            cohort_id=window.cohort_id, status__in=EnrollmentStatus.with_cohort_access()
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    circles = {
        c.enrollment_id: c
        for c in RaterCircle.objects.filter(window=window).prefetch_related("nominations")
    }
    rows = []
    for enrollment in enrollments:
        circle = circles.get(enrollment.pk)
        row = FellowProgress(enrollment, circle)
        for n in circle.nominations.all() if circle else []:
            if n.status == NominationStatus.DECLINED:
                continue
            row.counts[n.relationship] = row.counts.get(n.relationship, 0) + 1
            row.drafts += n.status == NominationStatus.DRAFT
            row.pending += n.status == NominationStatus.PENDING
            row.invited += n.status == NominationStatus.INVITED
            row.answered += n.answered_at is not None
        row.missing = policy.shortfalls(row.counts)
        rows.append(row)
    return rows


def shortfalls_of_window(window: FeedbackWindow) -> list[FellowProgress]:
    return [row for row in window_progress(window) if row.is_short]


def pending_of(progress: list[FellowProgress]) -> list[Nomination]:
    """The nominations waiting for approval, by fellow, from window_progress (no query)."""
    pending = []
    for row in progress:
        for n in row.circle.nominations.all() if row.circle else []:
            if n.status == NominationStatus.PENDING:
                n.circle.enrollment = row.enrollment
                pending.append(n)
    return pending


# --- The fellow's circle ------------------------------------------------------------------------


def circle_of(window: FeedbackWindow, enrollment: Enrollment) -> RaterCircle | None:
    return (
        RaterCircle.objects.filter(window=window, enrollment=enrollment)
        .prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.order_by("relationship", "name"))
        )
        .first()
    )


def circles_of(enrollment: Enrollment) -> QuerySet[RaterCircle]:
    """The fellow's circles, newest window first (their reports)."""
    return (
        RaterCircle.objects.filter(enrollment=enrollment)
        .select_related("window")
        .order_by("-window__opens_on")
    )


# --- The rater's form ----------------------------------------------------------------------------


def rating_form_data(
    framework: CompetencyFramework,
) -> tuple[list[CompetencyDomain], list[ProficiencyLevel]]:
    """Domains → competencies → behavioural indicators, and the scale (four queries)."""
    from curriculum.selectors import framework_domains

    domains = list(framework_domains(framework))
    levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("value"))
    return domains, levels


# --- Reports ----------------------------------------------------------------------------------


def framework_map(framework: CompetencyFramework) -> tuple[list, dict]:
    """(domains in order, each with `items`: its competencies in order; competency id →
    domain id), in one query."""
    domains: dict[int, CompetencyDomain] = {}
    for c in (
        Competency.objects.filter(domain__framework=framework)
        .select_related("domain")
        .order_by("domain__order", "domain__name", "order", "name")
    ):
        domain = domains.setdefault(c.domain_id, c.domain)
        domain.__dict__.setdefault("items", []).append(c)
    domain_of = {c.pk: d.pk for d in domains.values() for c in d.__dict__["items"]}
    return list(domains.values()), domain_of


def answers_by_circle(circle_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """Raters' answers per circle (one query)."""
    result: dict[int, list[Answer]] = defaultdict(list)
    ratings = RaterRating.objects.filter(response__circle_id__in=list(circle_ids))
    for (circle_id,), answer in _answers(ratings, "response__circle_id"):
        result[circle_id].append(answer)
    return result


_ANSWER_FIELDS = (
    "response__relationship",
    "response__told_shown_alone",
    "response__strengths",
    "response__to_develop",
    "competency_id",
    "value",
)


def _answers(ratings: QuerySet[RaterRating], *place: str) -> list[tuple[tuple, Answer]]:
    """Each rater's answer once, with the values of the `place` fields it belongs to (its
    circle, its window's phase...), in one query. Rows, not model instances, and the
    response's UUID read as text: a cohort's closed windows hold thousands of ratings, and
    the funder report reads them on every view."""
    answers: dict[str, Answer] = {}  # by response
    found: list[tuple[tuple, Answer]] = []
    rows = ratings.annotate(response_key=Cast("response_id", CharField())).values_list(
        "response_key", *place, *_ANSWER_FIELDS
    )
    for key, *values in rows:
        where = tuple(values[: len(place)])
        relationship, told, strengths, to_develop, competency, value = values[len(place) :]
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = Answer(
                relationship=relationship,
                told_shown_alone=told,
                ratings={},
                strengths=strengths,
                to_develop=to_develop,
            )
            found.append((where, answer))
        answer.ratings[competency] = value
    return found


def self_ratings(enrollment_ids: Iterable[int], cohort_id: int, phase: str) -> dict[int, dict]:
    """Each fellow's self-assessment of the same phase: enrollment id → {competency: value}."""
    result: dict[int, dict] = defaultdict(dict)
    rows = SelfRating.objects.filter(
        assessment__enrollment_id__in=list(enrollment_ids),
        assessment__window__cohort_id=cohort_id,
        assessment__window__phase=phase,
    ).values_list("assessment__enrollment_id", "competency_id", "level__value")
    for enrollment_id, competency_id, value in rows:
        result[enrollment_id][competency_id] = value
    return result


@dataclass
class ReportPage:
    circle: RaterCircle
    report: Report
    domains: list
    scale_max: int

    def domain_rows(self) -> Iterator[tuple[CompetencyDomain, list, list]]:
        """(domain, [value per column], [(competency, [value per column])])."""
        for domain in self.domains:
            competencies = [
                (c, [col.by_competency.get(c.pk) for col in self.report.columns])
                for c in domain.items
            ]
            yield (
                domain,
                [col.by_domain.get(domain.pk) for col in self.report.columns],
                competencies,
            )


def report_of(circle: RaterCircle) -> ReportPage:
    window = circle.window
    framework = window.cohort.framework
    domains, domain_of = framework_map(framework) if framework else ([], {})
    answers = answers_by_circle([circle.pk]).get(circle.pk, [])
    own = self_ratings([circle.enrollment_id], window.cohort_id, window.phase)
    report = build_report(
        answers,
        domain_of=domain_of,
        self_ratings=own.get(circle.enrollment_id),
        supervisor_alone_allowed=policy_for(window.cohort.program).supervisor_shown_alone,
    )
    return ReportPage(circle, report, domains, _scale_max(framework))


def _scale_max(framework: CompetencyFramework | None) -> int:
    if framework is None:
        return 5
    return (
        ProficiencyLevel.objects.filter(framework=framework)
        .order_by("-value")
        .values_list("value", flat=True)
        .first()
        or 5
    )


# --- Cohort figures (staff, growth pages, the funder report) -----------------------------------


def closed_windows(cohort: Cohort) -> dict[str, FeedbackWindow]:
    """The cohort's windows whose answers may be shown: closed ones (while a window is open,
    watching a figure change as answers arrive would give single answers away)."""
    today = cohort.local_date()
    windows = FeedbackWindow.objects.filter(cohort=cohort).select_related("cohort__program")
    return {w.phase: w for w in windows if not w.is_open_on(today) and today >= w.opens_on}


def window_figures(
    window: FeedbackWindow,
    domains: Iterable[CompetencyDomain],
    domain_of: dict,
    circles: QuerySet[RaterCircle] | list[tuple[int, int]] | None = None,
) -> CohortFigures:
    """Cohort figures of one window over `circles` (a queryset, or (pk, enrollment id) pairs;
    default: all of the window's); each row carries its `domain`."""
    if circles is None:
        circles = RaterCircle.objects.filter(window=window)
    if not isinstance(circles, list):
        circles = circles.filter(enrollment__status__in=EnrollmentStatus.with_cohort_access())
    if not isinstance(circles, list):
        circles = list(circles.values_list("pk", "enrollment_id"))
    answers = answers_by_circle([pk for pk, _ in circles])
    selves = self_ratings([e for _, e in circles], window.cohort_id, window.phase)
    figures = cohort_figures(
        {e: answers.get(pk, []) for pk, e in circles},
        {e: selves.get(e) for _, e in circles},
        domain_of=domain_of,
    )
    by_pk = {d.pk: d for d in domains}
    for row in figures.rows:
        row.domain = by_pk[row.domain_id]
    return figures


@dataclass
class GrowthRow:
    domain: CompetencyDomain
    baseline: Any  # Decimal | None
    final: Any

    @property
    def change(self) -> Any:
        if self.baseline is None or self.final is None:
            return None
        return self.final - self.baseline


@dataclass
class Growth360:
    """Raters' averages by domain at baseline and final (self-ratings beside them)."""

    rows: list[GrowthRow]
    baseline: CohortFigures | None
    final: CohortFigures | None
    scale_max: int = 5

    @property
    def has_data(self) -> bool:
        return any(r.baseline is not None or r.final is not None for r in self.rows)


def cohort_growth(
    cohort: Cohort,
    *,
    shared_with_coach: bool = False,
    enrollments: Iterable[Enrollment] | QuerySet[Enrollment] | None = None,
) -> Growth360:
    """Baseline vs final raters' averages over the cohort (closed windows only; hidden under
    3 fellows with 3 answers each). `enrollments` narrows it (a coach's fellows), and
    `shared_with_coach` keeps only reports the fellows shared.

    Three queries whatever the cohort's size, each answering a few rows: how many answers
    each fellow's circle has, then (only when some fellow has enough of them to be counted)
    the sums by domain of those fellows' rater and self ratings, and the framework with its
    scale. A cohort without figures costs the first query only. The ratings are summed by
    the database: a cohort's closed windows hold tens of thousands, and the funder report
    shows these figures on every view."""
    if cohort.framework_id is None:
        return Growth360([], None, None)
    values = {"cohort_id": cohort.pk, "today": cohort.local_date()}

    def read(query: CompiledQuery, build: Callable[..., QuerySet]) -> list[dict[str, Any]]:
        # A coach's fellows come as the caller's queryset: that SQL is built on every call.
        if enrollments is not None:
            return list(build(values, shared_with_coach, enrollments))
        return query.rows(shared_with_coach, values, lambda v: build(v, shared_with_coach, None))

    answers: dict[str, dict[int, int]] = {}  # phase → circle → answers
    for counted in read(_ANSWER_COUNTS, _answer_counts):
        answers.setdefault(counted["phase"], {})[counted["circle"]] = counted["answers"]
    if not any(n >= MIN_GROUP_SIZE for by_circle in answers.values() for n in by_circle.values()):
        # Nothing the section could show: skip the framework and the self-ratings.
        return Growth360([], None, None)
    sums: dict[tuple[str, str], dict[int, tuple[int, int]]] = defaultdict(dict)
    for summed in read(_DOMAIN_SUMS, _domain_sums):
        sums[summed["whose"], summed["phase"]][summed["domain"]] = (summed["total"], summed["n"])
    domains, scale_max = framework_with_scale(cohort.framework_id)
    by_pk = {d.pk: d for d in domains}
    figures: dict[str, CohortFigures | None] = {}
    for phase in _GROWTH_PHASES:
        if phase not in answers:
            figures[phase] = None
            continue
        result = cohort_figures_of_sums(
            answers[phase],
            sums[_RATERS, phase],
            sums[_SELF, phase],
            domains=list(by_pk),
        )
        for row in result.rows:
            row.domain = by_pk[row.domain_id]
        figures[phase] = result
    return _growth(domains, figures, scale_max)


_GROWTH_PHASES = (AssessmentPhase.BASELINE, AssessmentPhase.FINAL)
_RATERS, _SELF = "raters", "self"
_ANSWER_COUNTS = CompiledQuery()
_DOMAIN_SUMS = CompiledQuery()


def _growth_circles(
    values: Mapping[str, Any], shared_with_coach: bool, enrollments: Any
) -> QuerySet[RaterCircle]:
    """The circles cohort_growth() counts: of fellows with cohort access, in the baseline and
    final windows once closed (one circle per fellow and window, one window per phase)."""
    today = values["today"]
    circles = RaterCircle.objects.filter(
        Q(window__closed_at__isnull=False) | Q(window__closes_on__lt=today),
        window__cohort_id=values["cohort_id"],
        window__phase__in=_GROWTH_PHASES,
        window__opens_on__lte=today,
        enrollment__status__in=EnrollmentStatus.with_cohort_access(),
    )
    if enrollments is not None:
        circles = circles.filter(enrollment__in=enrollments)
    if shared_with_coach:
        circles = circles.filter(shared_with_coach_at__isnull=False)
    return circles


def _answers_per_circle(circles: QuerySet[RaterCircle]) -> QuerySet:
    """How many raters answered (rated at least one competency) in each of `circles`."""
    return (
        RaterRating.objects.filter(response__circle__in=circles)
        .values("response__circle_id")
        .annotate(answers=Count("response_id", distinct=True))
        .order_by()
    )


def _answer_counts(
    values: Mapping[str, Any], shared_with_coach: bool, enrollments: Any
) -> QuerySet:
    circles = _growth_circles(values, shared_with_coach, enrollments)
    return _answers_per_circle(circles).values(
        "answers", circle=F("response__circle_id"), phase=F("response__circle__window__phase")
    )


def _domain_sums(values: Mapping[str, Any], shared_with_coach: bool, enrollments: Any) -> QuerySet:
    """(whose, phase, domain, total, n): the sum and count by domain of the rater ratings
    and of the self-ratings of the fellows whose circle has at least 3 answers."""
    circles = _growth_circles(values, shared_with_coach, enrollments)
    counted = (
        _answers_per_circle(circles)
        .filter(answers__gte=MIN_GROUP_SIZE)
        .values("response__circle_id")
    )
    raters = (
        RaterRating.objects.filter(response__circle__in=counted)
        .values(
            whose=Value(_RATERS),
            phase=F("response__circle__window__phase"),
            domain=F("competency__domain_id"),
        )
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
    )
    counted_fellows = RaterCircle.objects.filter(pk__in=counted)
    selves = (
        SelfRating.objects.filter(
            assessment__window__cohort_id=values["cohort_id"],
            assessment__window__phase__in=_GROWTH_PHASES,
        )
        .filter(
            Exists(
                counted_fellows.filter(
                    enrollment_id=OuterRef("assessment__enrollment_id"),
                    window__phase=OuterRef("assessment__window__phase"),
                )
            )
        )
        .values(
            whose=Value(_SELF),
            phase=F("assessment__window__phase"),
            domain=F("competency__domain_id"),
        )
        .annotate(total=Sum("level__value"), n=Count("pk"))
        .order_by()
    )
    return raters.union(selves, all=True)


def framework_with_scale(framework_id: int) -> tuple[list[CompetencyDomain], int]:
    """The framework's domains that have competencies, in order, and the scale's top value
    (5 without levels), in one query: the top rides along on each domain row."""
    rows = _FRAMEWORK.rows((), {"framework_id": framework_id}, _framework_domains)
    domains = [
        CompetencyDomain(pk=r["pk"], framework_id=framework_id, name=r["name"], order=r["order"])
        for r in rows
    ]
    return domains, (rows[-1]["scale_top"] if rows else None) or 5


_FRAMEWORK = CompiledQuery()


def _framework_domains(values: Mapping[str, Any]) -> QuerySet:
    framework_id = values["framework_id"]
    top = (
        ProficiencyLevel.objects.filter(framework_id=framework_id)
        .order_by("-value")
        .values("value")[:1]
    )
    return (
        CompetencyDomain.objects.filter(
            Exists(Competency.objects.filter(domain=OuterRef("pk"))), framework_id=framework_id
        )
        .annotate(scale_top=Subquery(top))
        .order_by("order", "name")
        .values("pk", "name", "order", "scale_top")
    )


def _growth(
    domains: Iterable[CompetencyDomain],
    figures: dict[str, CohortFigures | None],
    scale_max: int,
) -> Growth360:
    def by_domain(fig: CohortFigures | None) -> dict:
        return {r.domain_id: r.raters_avg for r in fig.rows} if fig else {}

    base, final = figures.get(AssessmentPhase.BASELINE), figures.get(AssessmentPhase.FINAL)
    b, f = by_domain(base), by_domain(final)
    rows = [GrowthRow(d, b.get(d.pk), f.get(d.pk)) for d in domains]
    return Growth360(rows, base, final, scale_max)


def fellow_growth(enrollment: Enrollment, *, shared_only: bool = False) -> Growth360:
    """The fellow's own raters (all of them) by domain, baseline vs final, closed windows only;
    a window with fewer than 3 answers shows nothing. `shared_only`: only reports the fellow
    shared with their coach."""
    from .aggregate import average

    cohort = enrollment.cohort
    framework = cohort.framework
    if framework is None:
        return Growth360([], None, None)
    domains, domain_of = framework_map(framework)
    windows = closed_windows(cohort)
    circles = RaterCircle.objects.filter(
        enrollment=enrollment, window__in=[w.pk for w in windows.values()]
    )
    if shared_only:
        circles = circles.filter(shared_with_coach_at__isnull=False)
    by_window = {c.window_id: c for c in circles}
    answers = answers_by_circle([c.pk for c in by_window.values()])
    values: dict[str, dict] = {}
    for phase in (AssessmentPhase.BASELINE, AssessmentPhase.FINAL):
        window = windows.get(phase)
        circle = by_window.get(window.pk) if window else None
        mine = answers.get(circle.pk, []) if circle else []
        if len(mine) < MIN_GROUP_SIZE:
            values[phase] = {}
            continue
        per_domain = defaultdict(list)
        for a in mine:
            for competency_id, value in a.ratings.items():
                per_domain[domain_of.get(competency_id)].append(value)
        values[phase] = {d: average(v) for d, v in per_domain.items()}
    rows = [
        GrowthRow(
            d,
            values[AssessmentPhase.BASELINE].get(d.pk),
            values[AssessmentPhase.FINAL].get(d.pk),
        )
        for d in domains
    ]
    return Growth360(rows, None, None, _scale_max(framework))


# --- The staff's CSV of cohort figures ---------------------------------------------------------

EXPORT_HEADER = [
    "Window",
    "Domain",
    "Fellows counted",
    "Rater answers",
    "Fellows' self-rating",
    "Raters' average",
]
NOT_ENOUGH = "Not enough answers for cohort figures"


def cohort_export_rows(cohort: Cohort) -> list[list]:
    """The cohort figures of each closed window, as the window's page shows them: domain
    averages over the fellows who each have 3 or more answers, and only with at least 3 such
    fellows (else one line saying so). Never a fellow, a rater or an answer. At most
    2 + 3 per window queries."""
    framework = cohort.framework
    if framework is None:
        return []
    windows = sorted(
        closed_windows(cohort).values(), key=lambda w: list(AssessmentPhase.values).index(w.phase)
    )
    if not windows:
        return []
    domains, domain_of = framework_map(framework)
    rows = []
    for window in windows:
        figures = window_figures(window, domains, domain_of)
        phase = window.get_phase_display()
        if figures.is_hidden:
            rows.append([phase, NOT_ENOUGH, figures.fellows, "", "", ""])
            continue
        for r in figures.rows:
            rows.append(
                [
                    phase,
                    r.domain.name if r.domain else "",
                    figures.fellows,
                    figures.answers,
                    r.self_avg,
                    r.raters_avg,
                ]
            )
    return rows


# --- A rater's link --------------------------------------------------------------------------


class LinkUnusable(Exception):
    """The link was found but cannot be used any more (answered, or the window closed)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def link_refusal(nomination: Nomination, now: datetime.datetime) -> LinkUnusable | None:
    window = nomination.circle.window
    if nomination.answered_at is not None:
        return LinkUnusable(
            "answered",
            "You have already answered: thank you. Answers cannot be changed once sent.",
        )
    if nomination.status != NominationStatus.INVITED:
        return LinkUnusable("withdrawn", "This invitation was withdrawn.")
    today = window.cohort.local_date(now)
    if window.closed_at is None and today < window.opens_on:
        return LinkUnusable(
            "not_open",
            f"The feedback window opens on {window.opens_on.day} {window.opens_on:%B %Y}: "
            "please come back then.",
        )
    if not window.is_open_on(today):
        last_day = window.closed_at or window.ends_at - datetime.timedelta(seconds=1)
        local = timezone.localtime(last_day, timezone=_zone(window))
        return LinkUnusable(
            "expired",
            f"This link expired when the feedback window closed on {local.day} {local:%B %Y}.",
        )
    return None


def _zone(window: FeedbackWindow) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(window.cohort.time_zone)
