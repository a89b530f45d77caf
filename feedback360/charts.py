"""The 360° report's chart: drawn by reports/charts.py (patterns, values in words, a table
behind it), one bar per column (self, each group shown, all raters) for each domain."""

from __future__ import annotations

from reports.charts import Chart, bar_chart


def _text(value, label: str) -> str:
    return f"none ({label.lower()})" if value is None else f"{value} {label.lower()}"


def report_chart(page, chart_id: str = "feedback360-chart") -> Chart:
    columns = page.report.columns
    rows = []
    for domain, values, _competencies in page.domain_rows():
        rows.append(
            (
                domain.name,
                [
                    (None if v is None else float(v), _text(v, col.label))
                    for v, col in zip(values, columns, strict=True)
                ],
            )
        )
    return bar_chart(
        id=chart_id,
        title="Ratings by domain",
        description=(
            f"For each domain, average ratings on a scale of 1 to {page.scale_max}: your own "
            "self-rating first, then each group of raters"
            + (", then all raters together." if len(columns) > 2 else ".")
        ),
        row_header="Domain",
        series=[c.label for c in columns],
        rows=rows,
        max_value=page.scale_max,
        ticks=list(range(0, page.scale_max + 1)),
    )


def growth_chart(growth, chart_id: str, title: str) -> Chart:
    """Baseline vs final raters' averages by domain."""
    rows = [
        (
            r.domain.name,
            [
                (None if r.baseline is None else float(r.baseline), _text(r.baseline, "baseline")),
                (None if r.final is None else float(r.final), _text(r.final, "final")),
            ],
        )
        for r in growth.rows
    ]
    return bar_chart(
        id=chart_id,
        title=title,
        description=(
            f"Raters' average by domain on a scale of 1 to {growth.scale_max}: solid bars are "
            "the baseline 360° feedback, hatched bars the final one."
        ),
        row_header="Domain",
        series=["Baseline", "Final"],
        rows=rows,
        max_value=growth.scale_max,
        ticks=list(range(0, growth.scale_max + 1)),
    )
