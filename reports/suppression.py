"""Small-cell suppression for every table that breaks figures down by who people are
(self-identified demographics, evaluation answers): one rule, written and tested once.

The rule:

1. **Primary.** A cell, or a total, that describes fewer than `threshold` (5) people is
   hidden, whatever number it shows. Zero is under five too: "nobody in this group" is as
   telling as "one person".
2. **Secondary.** A table may say that its rows, or its columns, add up to a total that is
   shown. Each such *line* (a row with its row total, a column with its column total, and
   the totals row and column with the grand total) must then hide either nothing or at
   least two of its entries, or the hidden one could be worked out by subtraction. While
   some line hides exactly one entry, one more entry of that line is hidden: the cell
   (not a total, while one is left) describing the fewest people, then with the smallest
   value, then the first. Hiding can make another line hide exactly one, so this repeats
   until no line does.

Primary and secondary hiding look the same on the page (`MASK`), so a reader cannot tell
which hidden cells are the small ones.

A cell shows `value` (a count of people, of results, a sum…) and knows how many distinct
`people` it describes; for a count of people the two are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 5
MASK = "—"
NOTE = (
    "— hidden to protect privacy: groups of fewer than 5 people, and a few more cells so "
    "the hidden ones cannot be worked out from the totals."
)


@dataclass
class Cell:
    value: int | float
    people: int
    hidden: bool = False
    reason: str = ""  # "small" (primary) or "complement" (secondary); never shown

    @property
    def display(self) -> str:
        if self.hidden:
            return MASK
        if isinstance(self.value, float) and not self.value.is_integer():
            return f"{self.value:,.1f}"
        return f"{int(self.value):,}"


def cell(value, people: int | None = None) -> Cell:
    """A cell of `value`; `people` defaults to the value (a count of people)."""
    return Cell(value=value, people=int(value) if people is None else people)


@dataclass
class Table:
    """Rows × columns of cells, with the totals that are shown. `row_totals[i]` is the sum
    of row i's cells when `rows_add_up`; `column_totals[j]` the sum of column j's cells when
    `columns_add_up` (the rows are groups that do not overlap); `grand_total` the sum of
    both when both add up."""

    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None
    column_totals: list[Cell] | None = None
    grand_total: Cell | None = None
    rows_add_up: bool = False
    columns_add_up: bool = False
    title: str = ""
    row_header: str = ""
    total_label: str = "Total"
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, list[Cell], Cell | None]]:
        totals: list[Cell | None] = (
            list(self.row_totals) if self.row_totals else [None] * len(self.cells)
        )
        return list(zip(self.row_labels, self.cells, totals, strict=True))

    @property
    def any_hidden(self) -> bool:
        entries = [c for row in self.cells for c in row]
        entries += (self.row_totals or []) + (self.column_totals or [])
        entries += [self.grand_total] if self.grand_total else []
        return any(c.hidden for c in entries)


def _lines(table: Table) -> list[list[tuple[Cell, bool]]]:
    """Every line whose entries add up to a total shown in it: [(entry, is_total), …]."""
    lines = []
    if table.rows_add_up and table.row_totals is not None:
        for row, total in zip(table.cells, table.row_totals, strict=True):
            lines.append([(c, False) for c in row] + [(total, True)])
        if table.column_totals is not None and table.grand_total is not None:
            lines.append([(c, False) for c in table.column_totals] + [(table.grand_total, True)])
    if table.columns_add_up and table.column_totals is not None:
        for j, total in enumerate(table.column_totals):
            lines.append([(row[j], False) for row in table.cells] + [(total, True)])
        if table.row_totals is not None and table.grand_total is not None:
            lines.append([(c, False) for c in table.row_totals] + [(table.grand_total, True)])
    return lines


def suppress(table: Table, threshold: int = THRESHOLD) -> Table:
    """Hides the cells the rule above hides (in place) and returns the table."""
    entries = [c for row in table.cells for c in row]
    entries += (table.row_totals or []) + (table.column_totals or [])
    entries += [table.grand_total] if table.grand_total is not None else []
    for entry in entries:
        if entry.people < threshold:
            entry.hidden, entry.reason = True, "small"
    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [entry for entry, _ in line if entry.hidden]
            if len(hidden) != 1:
                continue
            shown = [
                (is_total, entry.people, entry.value, i)
                for i, (entry, is_total) in enumerate(line)
                if not entry.hidden
            ]
            if not shown:
                continue
            *_, index = min(shown)
            line[index][0].hidden, line[index][0].reason = True, "complement"
            changed = True
    if table.any_hidden and NOTE not in table.notes:
        table.notes.append(NOTE)
    return table


def counts_table(
    rows: list[tuple[str, int]], *, column: str, row_header: str, title: str = ""
) -> Table:
    """One column of head counts of groups that do not overlap, with their total, suppressed."""
    cells = [[cell(n)] for _label, n in rows]
    table = Table(
        row_labels=[label for label, _n in rows],
        column_labels=[column],
        cells=cells,
        column_totals=[cell(sum(n for _label, n in rows))],
        columns_add_up=True,
        title=title,
        row_header=row_header,
    )
    return suppress(table)
