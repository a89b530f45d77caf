"""The small-cell rule (reports/suppression.py) on tables worked out by hand: every hidden
cell below is hidden for a reason written next to it."""

from reports.suppression import MASK, NOTE, Cell, Table, cell, counts_table, suppress


def shown(table: Table) -> list[list[str]]:
    """The table as a reader sees it: every cell, then the row total if any."""
    rows = []
    for _label, cells, total in table.rows:
        rows.append([c.display for c in cells] + ([total.display] if total else []))
    footer = [c.display for c in table.column_totals or []]
    if table.grand_total is not None:
        footer.append(table.grand_total.display)
    return rows + [footer]


def test_one_small_group_takes_the_next_smallest_with_it():
    # B (3) is under 5. Alone, it would be 31 - 12 - 7 - 9 = 3: C (7), the smallest other
    # group, is hidden too.
    table = counts_table(
        [("A", 12), ("B", 3), ("C", 7), ("D", 9)], column="Fellows", row_header="Group"
    )
    assert shown(table) == [["12"], [MASK], [MASK], ["9"], ["31"]]
    assert [c[0].reason for c in table.cells] == ["", "small", "complement", ""]
    assert table.notes == [NOTE]


def test_nothing_small_hides_nothing():
    table = counts_table([("A", 12), ("B", 5), ("C", 7)], column="Fellows", row_header="Group")
    assert shown(table) == [["12"], ["5"], ["7"], ["24"]]
    assert not table.any_hidden
    assert table.notes == []


def test_two_small_groups_protect_each_other():
    # 24 - 10 - 8 = 6 is all one learns about B and C together.
    table = counts_table(
        [("A", 10), ("B", 2), ("C", 4), ("D", 8)], column="Fellows", row_header="Group"
    )
    assert shown(table) == [["10"], [MASK], [MASK], ["8"], ["24"]]
    assert [c[0].reason for c in table.cells] == ["", "small", "small", ""]


def test_zero_is_under_five():
    # "Nobody in this group" is hidden like any small number; then C hides it from the total.
    table = counts_table([("A", 10), ("B", 0), ("C", 6)], column="Fellows", row_header="Group")
    assert shown(table) == [["10"], [MASK], [MASK], ["16"]]


def test_a_total_about_fewer_than_five_people_is_hidden_too():
    table = counts_table([("A", 2), ("B", 1)], column="Fellows", row_header="Group")
    assert shown(table) == [[MASK], [MASK], [MASK]]


def test_the_complement_is_a_cell_rather_than_the_total():
    # Row [3, 10 | 13]: hiding the total would leave 3 = 13 - 10 open; 10 is hidden instead.
    table = suppress(
        Table(
            row_labels=["A"],
            column_labels=["x", "y"],
            cells=[[cell(3), cell(10)]],
            row_totals=[cell(13)],
            rows_add_up=True,
        )
    )
    assert shown(table) == [[MASK, MASK, "13"], []]


def test_small_means_people_not_the_number_shown():
    # Nine results by two fellows are about two people: hidden. Twelve results by six
    # fellows are shown, and the total (21 by 8) stays. Then 21 - 12 gives the nine back, so
    # the twelve are hidden as well.
    table = suppress(
        Table(
            row_labels=["A", "B"],
            column_labels=["Results"],
            cells=[[Cell(9, people=2)], [Cell(12, people=6)]],
            column_totals=[Cell(21, people=8)],
            columns_add_up=True,
        )
    )
    assert shown(table) == [[MASK], [MASK], ["21"]]
    assert table.cells[1][0].reason == "complement"


def test_groups_that_overlap_get_no_complement():
    # A person may be in both rows: the rows do not add up to the total, so subtracting
    # gives nothing away and only the small row is hidden.
    table = suppress(
        Table(
            row_labels=["Rural", "Disability"],
            column_labels=["Fellows"],
            cells=[[cell(12)], [cell(3)]],
            column_totals=[cell(14)],
            columns_add_up=False,
        )
    )
    assert shown(table) == [["12"], [MASK], ["14"]]


def test_a_two_way_table_with_totals_hides_until_no_line_gives_a_cell_away():
    # Worked by hand (rows are added up left to right, columns top to bottom):
    #
    #          k1  k2  k3 | total
    #     g1   10   6   8 |  24
    #     g2    3   7   9 |  19      g2·k1 = 3 is under 5 (small)
    #     g3    5  12   6 |  23
    #    total 18  25  23 |  66
    #
    # First pass, lines in order: row g2 hides its smallest other cell, 7 (g2·k2);
    # column k1 then has only 3 hidden: it hides 5 (g3·k1); column k2 has only 7 hidden:
    # it hides 6 (g1·k2). Second pass: row g1 (6 hidden) hides 8 (g1·k3); row g3 (5
    # hidden) hides 6 (g3·k3). Now every row and column hides none or two: six unknowns,
    # six sums, but the sums of rows and of columns are the same 66, so no cell can be
    # solved for.
    values = [[10, 6, 8], [3, 7, 9], [5, 12, 6]]
    table = suppress(
        Table(
            row_labels=["g1", "g2", "g3"],
            column_labels=["k1", "k2", "k3"],
            cells=[[cell(v) for v in row] for row in values],
            row_totals=[cell(sum(row)) for row in values],
            column_totals=[cell(sum(col)) for col in zip(*values, strict=True)],
            grand_total=cell(66),
            rows_add_up=True,
            columns_add_up=True,
        )
    )
    assert shown(table) == [
        ["10", MASK, MASK, "24"],
        [MASK, MASK, "9", "19"],
        [MASK, "12", MASK, "23"],
        ["18", "25", "23", "66"],
    ]
    reasons = [[c.reason for c in row] for row in table.cells]
    assert reasons == [
        ["", "complement", "complement"],
        ["small", "complement", ""],
        ["complement", "", "complement"],
    ]


def test_every_line_hides_none_or_at_least_two():
    """The property behind the rule, on a bigger table with many small cells."""
    values = [[1, 8, 9, 30], [6, 2, 7, 5], [11, 13, 4, 6], [0, 9, 9, 20], [7, 7, 7, 7]]
    table = suppress(
        Table(
            row_labels=[f"g{i}" for i in range(5)],
            column_labels=[f"k{j}" for j in range(4)],
            cells=[[cell(v) for v in row] for row in values],
            row_totals=[cell(sum(row)) for row in values],
            column_totals=[cell(sum(col)) for col in zip(*values, strict=True)],
            grand_total=cell(sum(map(sum, values))),
            rows_add_up=True,
            columns_add_up=True,
        )
    )
    lines = [row + [total] for _l, row, total in table.rows]
    lines += [[row[j] for row in table.cells] + [table.column_totals[j]] for j in range(4)]
    for line in lines:
        assert sum(c.hidden for c in line) != 1
    assert all(c.hidden for row in table.cells for c in row if c.people < 5)
