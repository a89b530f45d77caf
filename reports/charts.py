"""Server-drawn horizontal bar charts: plain geometry here, SVG written by
`{% bar_chart %}` (reports/templatetags/report_charts.py, included as
templates/reports/partials/bar_chart.html). No colour is the only cue: every series has its
own fill pattern (solid, hatched, dotted, outlined), every bar carries its value in words,
and every chart has a data table behind it for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PATTERNS = ["solid", "hatch", "dots", "outline"]

LABEL_WIDTH = 220
BAR_AREA = 400
VALUE_ROOM = 150
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
TOP = 8
AXIS_ROOM = 28


@dataclass
class Bar:
    y: int
    width: int
    value: float | None
    text: str
    series: str
    pattern: str
    fill: str = ""

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class Group:
    label: str
    y: int
    label_y: int
    bars: list[Bar]


@dataclass
class Series:
    name: str
    pattern: str
    fill: str = ""


@dataclass
class Chart:
    id: str
    title: str
    description: str
    row_header: str
    groups: list[Group]
    series: list[Series]
    ticks: list[dict]
    width: int
    height: int
    axis_y: int
    left: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    table_rows: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    row_header: str,
    series: list[str],
    rows: list[tuple[str, list[tuple[float | None, str]]]],
    max_value: float,
    ticks: Sequence[float] | None = None,
    tick_suffix: str = "",
) -> Chart:
    """rows: (group label, [(value, text shown next to the bar) per series]). A value of None
    draws no bar and shows the text alone (e.g. "no data")."""
    max_value = max_value or 1
    named = []
    for i, name in enumerate(series):
        pattern = PATTERNS[i % len(PATTERNS)]
        named.append(Series(name, pattern, fill_of(id, pattern)))
    per_group = len(named) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    groups = []
    y = TOP
    for label, values in rows:
        bars = []
        for i, (value, text) in enumerate(values):
            width = 0 if value is None else round(min(value, max_value) / max_value * BAR_AREA)
            bars.append(
                Bar(
                    y=y + i * (BAR_HEIGHT + BAR_GAP),
                    width=width,
                    value=value,
                    text=text,
                    series=named[i].name,
                    pattern=named[i].pattern,
                    fill=named[i].fill,
                )
            )
        groups.append(Group(label=label, y=y, label_y=y + per_group // 2 + 5, bars=bars))
        y += per_group + GROUP_GAP
    axis_y = y
    tick_values = ticks if ticks is not None else _ticks(max_value)
    tick_marks = [
        {
            "x": LABEL_WIDTH + round(v / max_value * BAR_AREA),
            "label": f"{_number(v)}{tick_suffix}",
        }
        for v in tick_values
    ]
    return Chart(
        id=id,
        title=title,
        description=description,
        row_header=row_header,
        groups=groups,
        series=named,
        ticks=tick_marks,
        width=LABEL_WIDTH + BAR_AREA + VALUE_ROOM,
        height=axis_y + AXIS_ROOM,
        axis_y=axis_y,
        table_rows=[[label] + [text for _value, text in values] for label, values in rows],
    )


def fill_of(chart_id: str, pattern: str) -> str:
    """The SVG fill of a pattern; the patterns are defined in the chart's own <defs>."""
    return {"solid": "#1f4e5f", "outline": "#ffffff"}.get(pattern, f"url(#{chart_id}-{pattern})")


def _ticks(max_value: float) -> list[float]:
    step = max_value / 4
    return [round(step * i, 1) for i in range(5)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def percent_ticks() -> list[int]:
    return [0, 25, 50, 75, 100]


# --- The charts of the reports pages ----------------------------------------------------------


def _pct(value) -> str:
    return "no data" if value is None else f"{value}%"


def attendance_by_session_chart(figures, chart_id="attendance-chart") -> Chart:
    rows = []
    for row in figures.by_session:
        text = (
            "not taken"
            if row.rate is None
            else f"{row.rate}% ({row.present + row.late} of {row.present + row.late + row.absent})"
        )
        label = f"{row.subject.starts_at:%d %b} · {row.subject.title}"
        rows.append((label, [(row.rate, text)]))
    return bar_chart(
        id=chart_id,
        title="Attendance by session",
        description=(
            "One bar per session held: the share of expected fellows who came (present or "
            "late; excused absences not counted). Each bar is labelled with its percentage."
        ),
        row_header="Session",
        series=["Attendance"],
        rows=rows,
        max_value=100,
        ticks=percent_ticks(),
        tick_suffix="%",
    )


def growth_chart(figures, chart_id="growth-chart") -> Chart:
    latest = figures.latest_label
    rows = [
        (
            r.domain.name,
            [
                (r.baseline, "—" if r.baseline is None else f"{r.baseline} baseline"),
                (r.latest, "—" if r.latest is None else f"{r.latest} {latest.lower()}"),
            ],
        )
        for r in figures.rows
    ]
    return bar_chart(
        id=chart_id,
        title="Competency growth by domain",
        description=(
            f"Average self-rating by domain on a scale of 1 to {figures.scale_max}: solid "
            f"bars are the baseline, hatched bars the {latest.lower()} self-assessment."
        ),
        row_header="Domain",
        series=["Baseline", latest],
        rows=rows,
        max_value=figures.scale_max,
        ticks=list(range(0, figures.scale_max + 1)),
    )


def count_chart(*, chart_id, title, description, row_header, counts, series="Fellows") -> Chart:
    """counts: [(label, n)]."""
    top = max((n for _label, n in counts), default=0)
    ceiling = max(top, 1)
    return bar_chart(
        id=chart_id,
        title=title,
        description=description,
        row_header=row_header,
        series=[series],
        rows=[(label, [(n, str(n))]) for label, n in counts],
        max_value=ceiling,
        ticks=sorted({0, ceiling // 2, ceiling}) if ceiling > 1 else [0, 1],
    )


def program_chart(headlines, chart_id="program-chart") -> Chart:
    from .metrics import rate_percent

    rows = []
    for h in headlines:
        attendance = rate_percent(h.attendance)
        rows.append(
            (
                h.cohort.name,
                [
                    (attendance, f"{_pct(attendance)} attendance"),
                    (h.percent_used, f"{_pct(h.percent_used)} coaching used"),
                    (h.percent_done, f"{_pct(h.percent_done)} milestones done"),
                ],
            )
        )
    return bar_chart(
        id=chart_id,
        title="Cohorts year over year",
        description=(
            "Three bars per cohort, oldest first: attendance rate (solid), share of the "
            "coaching entitlement used (hatched) and share of milestones done (dotted)."
        ),
        row_header="Cohort",
        series=["Attendance", "Coaching used", "Milestones done"],
        rows=rows,
        max_value=100,
        ticks=percent_ticks(),
        tick_suffix="%",
    )


def funder_report_charts(*, people, attendance, plans, growth) -> dict[str, Chart]:
    """The charts of the printable cohort report, by their name in its template."""
    return {
        "sector_chart": count_chart(
            chart_id="sector-chart",
            title="Participants by sector",
            description="Number of fellows (active and alumni) from each sector.",
            row_header="Sector",
            counts=people.by_sector,
        ),
        "attendance_chart": attendance_by_session_chart(attendance),
        "focus_chart": count_chart(
            chart_id="focus-chart",
            title="Action plans by focus level",
            description="Number of plans working at each level (a plan may name several).",
            row_header="Focus level",
            counts=[(s.label, s.count) for s in plans.by_focus_level],
            series="Plans",
        ),
        "growth_chart": growth_chart(growth),
    }
