"""Results of evaluations and surveys: response rates, distributions, means with counts, free
text, start-vs-end comparisons. Whatever a group of answers is, it is shown only when at
least `MIN_ANSWERS` people answered; otherwise "too few answers to show".

Each scope (a session, a kind of session in a cohort, a coach, a cohort, a program) is a
filter on `Response`; everything below reads the scope's answers in a fixed number of
queries, whatever the number of answers, forms or questions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, OuterRef, Q, Subquery

from notifications.models import Notification
from reports.charts import bar_chart

from .models import (
    DEFAULT_RATING_LABELS,
    MIN_ANSWERS,
    Answer,
    Form,
    FormQuestion,
    Question,
    QuestionKind,
    Response,
    SurveyPhase,
)
from .reminders import ASK_KIND

TOO_FEW = "too few answers to show"


@dataclass
class QuestionResult:
    question: Question
    required: bool
    count: int
    mean: float | None = None
    rows: list[tuple[str, int, int]] = field(default_factory=list)  # label, count, percent
    texts: list[tuple[str, str]] = field(default_factory=list)  # text, name ("" anonymous)
    chart: object = None
    hidden: bool = False

    @property
    def mean_text(self) -> str:
        return "" if self.mean is None else f"{self.mean:.1f}"


@dataclass
class FormResult:
    form: object
    responses: int
    asked: int | None
    questions: list[QuestionResult]
    phase: str = ""  # a survey's window: Start, Midpoint, End

    @property
    def hidden(self) -> bool:
        return self.responses < MIN_ANSWERS

    @property
    def rate(self) -> int | None:
        if not self.asked:
            return None
        return min(100, round(100 * self.responses / self.asked))


def _question_result(item, answers, *, names: bool, chart_id: str) -> QuestionResult:
    question = item.question
    result = QuestionResult(question=question, required=item.required, count=len(answers))
    if len(answers) < MIN_ANSWERS:
        result.hidden = True
        return result
    if question.is_numeric:
        numbers = [a["number"] for a in answers if a["number"] is not None]
        result.mean = sum(numbers) / len(numbers) if numbers else None
        counts = Counter(numbers)
        labels = question.scale
    elif question.kind in QuestionKind.with_choices():
        counts = Counter(pick for a in answers for pick in a["picked"])
        labels = [(option, option) for option in question.options]
    else:
        result.texts = [
            (a["text"], a["response__respondent__full_name"] or "" if names else "")
            for a in answers
            if a["text"]
        ]
        return result
    total = len(answers)
    for value, label in labels:
        shown = label if str(value) == label else f"{value} · {label}"
        n = counts.get(value, 0)
        result.rows.append((shown, n, round(100 * n / total)))
    highest = max([n for _l, n, _p in result.rows] + [1])
    result.chart = bar_chart(
        id=chart_id,
        title=question.text,
        description=f"How many of the {total} people who answered chose each answer.",
        row_header="Answer",
        series=["Answers"],
        rows=[(label, [(n, f"{n} ({pct} %)")]) for label, n, pct in result.rows],
        max_value=highest,
        ticks=list(range(0, highest + 1, max(1, -(-highest // 5)))),  # whole numbers
    )
    return result


def form_results(responses, *, asked: dict[int, int] | None = None, names=False) -> list:
    """One FormResult per form (and survey window) answered in `responses` (a Response
    queryset): three queries, whatever the number of forms, questions and answers."""
    per_group, phases = {}, {}
    for row in (
        responses.order_by().values("form_id", "survey_id", "survey__phase").annotate(n=Count("pk"))
    ):
        per_group[(row["form_id"], row["survey_id"])] = row["n"]
        phases[row["survey_id"]] = row["survey__phase"]
    if not per_group:
        return []
    form_ids = {form_id for form_id, _s in per_group}
    items, forms = defaultdict(list), {}
    for item in (
        FormQuestion.objects.filter(form_id__in=form_ids)
        .select_related("question", "form")
        .order_by("form_id", "position", "pk")
    ):
        items[item.form_id].append(item)
        forms[item.form_id] = item.form
    answers = defaultdict(list)
    for a in Answer.objects.filter(response__in=responses.order_by().values("pk")).values(
        "question_id",
        "response__form_id",
        "response__survey_id",
        "number",
        "picked",
        "text",
        "response__respondent__full_name",
    ):
        answers[(a["response__form_id"], a["response__survey_id"], a["question_id"])].append(a)
    results = []
    for (form_id, survey_id), count in per_group.items():
        form = forms.get(form_id)
        if form is None:  # a form without questions: nothing to show
            continue
        show_names = names and not form.anonymous
        phase = phases.get(survey_id)
        results.append(
            FormResult(
                form=form,
                responses=count,
                asked=(asked or {}).get(form_id),
                phase=SurveyPhase(phase).label if phase else "",
                questions=[
                    _question_result(
                        item,
                        answers[(form_id, survey_id, item.question_id)],
                        names=show_names,
                        chart_id=f"q-{form.pk}-{survey_id or 0}-{item.question_id}",
                    )
                    for item in items[form_id]
                ],
            )
        )
    return sorted(results, key=lambda r: (r.form.purpose, r.form.title, r.phase))


def asked_through_ledger(form_ids, occasions) -> dict[int, int]:
    """How many people each evaluation was sent to, from the ledger (one query)."""
    rows = (
        Notification.objects.filter(
            kind=ASK_KIND, subject_type="feedback.form", subject_id__in=form_ids
        )
        .filter(occurrence__in=list(occasions))
        .values("subject_id")
        .annotate(n=Count("pk"))
        .values_list("subject_id", "n")
    )
    return dict(rows)


@dataclass
class Comparison:
    question: str
    start_n: int
    end_n: int
    start: float | None
    end: float | None

    @property
    def hidden(self) -> bool:
        return self.start_n < MIN_ANSWERS or self.end_n < MIN_ANSWERS

    @property
    def change(self) -> str:
        if self.hidden or self.start is None or self.end is None:
            return ""
        return f"{self.end - self.start:+.1f}"


def start_vs_end(blocks: list[FormResult]) -> list[Comparison]:
    """Numeric questions asked in both the start and the end survey, from the cohort's
    results already read (no query)."""
    by_phase: dict[str, dict[int, QuestionResult]] = {
        SurveyPhase.START.label: {},
        SurveyPhase.END.label: {},
    }
    for block in blocks:
        if block.phase in by_phase:
            for q in block.questions:
                if q.question.is_numeric:
                    by_phase[block.phase][q.question.pk] = q
    start, end = by_phase[SurveyPhase.START.label], by_phase[SurveyPhase.END.label]
    return [
        Comparison(
            question=start[pk].question.text,
            start_n=start[pk].count,
            end_n=end[pk].count,
            start=start[pk].mean,
            end=end[pk].mean,
        )
        for pk in sorted(set(start) & set(end), key=lambda pk: start[pk].question.text)
    ]


@dataclass
class YearRow:
    cohort: object
    n: int
    mean: float | None

    @property
    def hidden(self) -> bool:
        return self.n < MIN_ANSWERS


def year_over_year(program, cohorts) -> list[tuple[object, list[YearRow]]]:
    """For each numeric question of the program's bank: its mean and count per cohort (two
    queries)."""
    figures = {
        (row["question_id"], row["response__cohort_id"]): row
        for row in Answer.objects.filter(
            question__program=program,
            question__kind__in=QuestionKind.numeric(),
            response__cohort__in=cohorts,
        )
        .values("question_id", "response__cohort_id")
        .annotate(n=Count("pk"), mean=Avg("number"))
    }
    asked = {question_id for question_id, _c in figures}
    result = []
    for question in program.feedback_questions.filter(pk__in=asked).order_by("text"):
        rows = []
        for cohort in cohorts:
            row = figures.get((question.pk, cohort.pk))
            rows.append(YearRow(cohort, row["n"] if row else 0, row["mean"] if row else None))
        result.append((question, rows))
    return result


@dataclass
class CoachRow:
    coach: str
    responses: int
    means: list[tuple[str, float | None, int]]  # question, mean, count

    @property
    def hidden(self) -> bool:
        return self.responses < MIN_ANSWERS


def coach_figures(responses) -> list[CoachRow]:
    """Per coach: how many rated them, and the mean of each numeric question (two queries).
    A coach with fewer than MIN_ANSWERS answers shows nothing but that."""
    per_coach = dict(
        responses.exclude(coach=None)
        .order_by()
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "n")
    )
    means = defaultdict(list)
    names = {}
    for row in (
        Answer.objects.filter(
            response__in=responses.exclude(coach=None).order_by().values("pk"),
            question__kind__in=QuestionKind.numeric(),
        )
        .values("response__coach_id", "response__coach__full_name", "question__text")
        .annotate(n=Count("pk"), mean=Avg("number"))
        .order_by("response__coach__full_name", "question__text")
    ):
        names[row["response__coach_id"]] = row["response__coach__full_name"]
        means[row["response__coach_id"]].append((row["question__text"], row["mean"], row["n"]))
    rows = [
        CoachRow(coach=names.get(coach_id, ""), responses=n, means=means[coach_id])
        for coach_id, n in per_coach.items()
    ]
    return sorted(rows, key=lambda r: r.coach)


def responses_of_cohort(cohort):
    return Response.objects.filter(cohort=cohort)


def responses_of_session(session):
    return Response.objects.filter(session=session)


def responses_of_kind(cohort, kind: str):
    return Response.objects.filter(cohort=cohort, session__kind=kind)


def evaluation_responses(cohort):
    return Response.objects.filter(cohort=cohort).filter(~Q(session=None))


# --- Named answers, ready to be broken down by who gave them -------------------------------

NPS_GROUPS = [
    ("detractor", "Detractors (0–6)"),
    ("passive", "Passives (7–8)"),
    ("promoter", "Promoters (9–10)"),
]


@dataclass
class Breakdown:
    """One question's named answers: `items` are (respondent id, column key, 1), one per
    answer (per option picked, for multiple choice). What groups people are in is not this
    app's to know: the outcomes app's demographics turn these into suppressed tables."""

    title: str
    columns: list[tuple[str, str]]
    items: list[tuple[int, str, int]] = field(default_factory=list)
    note: str = ""


def _columns(kind, choices, labels) -> list[tuple[str, str]]:
    if kind == QuestionKind.RATING:
        labels = labels or DEFAULT_RATING_LABELS
        return [(str(i + 1), f"{i + 1} · {label}") for i, label in enumerate(labels)]
    if kind == QuestionKind.NPS:
        return list(NPS_GROUPS)
    return [(option, option) for option in choices or []]


def _keys(row) -> list[str]:
    if row["question__kind"] == QuestionKind.RATING:
        return [str(row["number"])] if row["number"] is not None else []
    if row["question__kind"] == QuestionKind.NPS:
        n = row["number"]
        if n is None:
            return []
        return ["detractor" if n <= 6 else "passive" if n <= 8 else "promoter"]
    return list(row["picked"] or [])


def named_breakdowns(responses) -> list[Breakdown]:
    """Every rating, likelihood-to-recommend and choice question answered in `responses` on
    a form that keeps names (one query). Anonymous answers are left out: they hold no link
    to a person, so nothing about who gave them can be known. Free text is left out too:
    a comment within a small group would name its author."""
    named = responses.filter(form__anonymous=False, respondent__isnull=False)
    position = FormQuestion.objects.filter(
        form_id=OuterRef("response__form_id"), question_id=OuterRef("question_id")
    ).values("position")[:1]
    rows = (
        Answer.objects.filter(response__in=named.order_by().values("pk"))
        .exclude(question__kind__in=QuestionKind.textual())
        .annotate(position=Subquery(position))
        .values(
            "response__respondent_id",
            "response__form_id",
            "response__form__title",
            "response__survey__phase",
            "position",
            "question_id",
            "question__text",
            "question__kind",
            "question__choices",
            "question__labels",
            "number",
            "picked",
        )
    )
    phase_order = {phase: i for i, phase in enumerate(SurveyPhase.values)}
    blocks: dict[tuple, Breakdown] = {}
    for row in rows:
        phase = row["response__survey__phase"]
        key = (
            row["response__form__title"],
            row["response__form_id"],
            phase_order.get(phase, -1),
            row["position"] or 0,
            row["question_id"],
        )
        block = blocks.get(key)
        if block is None:
            form = row["response__form__title"]
            if phase:
                form = f"{form} ({SurveyPhase(phase).label.lower()} survey)"
            kind = row["question__kind"]
            block = blocks[key] = Breakdown(
                title=f"{form}: {row['question__text']}",
                columns=_columns(kind, row["question__choices"], row["question__labels"]),
                note=(
                    "A person may pick several answers: the figures count answers picked."
                    if kind == QuestionKind.MULTIPLE
                    else ""
                ),
            )
        known = {k for k, _label in block.columns}
        for column in _keys(row):
            if column in known:
                block.items.append((row["response__respondent_id"], column, 1))
    return [blocks[key] for key in sorted(blocks)]


def anonymous_forms(responses) -> list[str]:
    """Titles of the anonymous forms answered in `responses` (one query)."""
    return list(
        Form.objects.filter(anonymous=True, pk__in=responses.order_by().values("form_id"))
        .order_by("title")
        .values_list("title", flat=True)
    )
