"""The thresholds and merging of 360° groups, against tables worked out by hand
(feedback360/aggregate.py states the rules)."""

from decimal import Decimal

import pytest

from feedback360.aggregate import (
    Answer,
    average,
    build_report,
    cohort_figures,
    plan_groups,
)

SUP, PEER, DR, CP, OTHER = "supervisor", "peer", "direct_report", "community_partner", "other"


def groups(counts, supervisor_alone=False):
    return [
        (g.label, g.relationships, g.count)
        for g in plan_groups(counts, supervisor_alone=supervisor_alone)
    ]


@pytest.mark.parametrize(
    "counts, supervisor_alone, expected",
    [
        # Every group of 3 or more stands alone.
        ({PEER: 3, DR: 4}, False, [("Peers", (PEER,), 3), ("Direct reports", (DR,), 4)]),
        # Under 3 in all: nothing at all is shown.
        ({PEER: 2}, False, []),
        ({SUP: 1, DR: 1}, True, []),
        # Two small groups make an "others" group of 3.
        ({SUP: 1, PEER: 2}, False, [("Others combined", (SUP, PEER), 3)]),
        # A lone supervisor under 3 is merged; the others are still 3+ without it, so the
        # merged group would be 1 alone: the smallest group shown alone (direct reports, 3)
        # is folded in.
        (
            {SUP: 1, PEER: 4, DR: 3},
            False,
            [("Peers", (PEER,), 4), ("Others combined", (SUP, DR), 4)],
        ),
        # The program shows supervisors alone (and they were told): no merging needed.
        (
            {SUP: 1, PEER: 4, DR: 3},
            True,
            [("Supervisor", (SUP,), 1), ("Peers", (PEER,), 4), ("Direct reports", (DR,), 3)],
        ),
        # Merged further: peers 3 alone would leave supervisor + direct report = 2, so the
        # peers join them and one group of 5 is shown.
        ({SUP: 1, PEER: 3, DR: 1}, False, [("Others combined", (SUP, PEER, DR), 5)]),
        # A supervisor allowed alone is still folded in when the rest would be under 3.
        ({SUP: 1, PEER: 2}, True, [("Others combined", (SUP, PEER), 3)]),
        # Small groups merge into "other" when it stands alone.
        (
            {PEER: 3, CP: 1, OTHER: 3},
            False,
            [("Peers", (PEER,), 3), ("Others combined", (CP, OTHER), 4)],
        ),
        # "Other" with 3+ and nothing to merge keeps its own name.
        ({PEER: 5, OTHER: 4}, False, [("Peers", (PEER,), 5), ("Others", (OTHER,), 4)]),
        # A tie for the smallest group: the later in the list (direct reports) is folded.
        (
            {PEER: 3, DR: 3, CP: 1},
            False,
            [("Peers", (PEER,), 3), ("Others combined", (DR, CP), 4)],
        ),
    ],
)
def test_groups_shown(counts, supervisor_alone, expected):
    assert groups(counts, supervisor_alone) == expected


def test_groups_shown_never_overlap_and_hold_every_answer():
    import itertools

    for counts in itertools.product(range(0, 5), repeat=5):
        table = dict(zip([SUP, PEER, DR, CP, OTHER], counts, strict=True))
        for alone in (False, True):
            plans = plan_groups(table, supervisor_alone=alone)
            total = sum(counts)
            if total < 3:
                assert plans == []
                continue
            members = [r for p in plans for r in p.relationships]
            assert len(members) == len(set(members))
            assert sum(p.count for p in plans) == total
            for p in plans:
                assert p.count >= 3 or (p.relationships == (SUP,) and alone)


def test_averages_round_half_up_to_one_decimal():
    assert average([3, 3, 4]) == Decimal("3.3")
    assert average([2, 2, 3, 3, 3, 3, 3, 3]) == Decimal("2.8")  # 2.75
    assert average([1, 2]) == Decimal("1.5")
    assert average([]) is None


# Two domains (D1: c11, c12; D2: c21, c22) and four raters.
DOMAIN_OF = {"c11": "D1", "c12": "D1", "c21": "D2", "c22": "D2"}
PEER_A = {"c11": 4, "c12": 3, "c21": 5, "c22": 2}
PEER_B = {"c11": 3, "c12": 3, "c21": 4, "c22": 2}
PEER_C = {"c11": 5, "c12": 4, "c21": 4, "c22": 3}
SUPERVISOR = {"c11": 2, "c12": 2, "c21": 3, "c22": 3}
SELF = {"c11": 3, "c12": 4, "c21": 3, "c22": 3}


def _answers(told=True):
    return [
        Answer(PEER, False, PEER_A, strengths="zeal", to_develop="Delegate more"),
        Answer(PEER, False, PEER_B, strengths="Asks good questions", to_develop=""),
        Answer(PEER, False, PEER_C, strengths="", to_develop="  say no sooner "),
        Answer(SUP, told, SUPERVISOR, strengths="  builds trust ", to_develop="Budgeting"),
    ]


def _table(report):
    """{column label: (count, {competency or domain: value as text})}."""
    table = {}
    for col in report.columns:
        values = {k: str(v) for k, v in {**col.by_competency, **col.by_domain}.items()}
        table[col.label] = (col.count, values)
    return table


def test_report_with_the_supervisor_shown_alone():
    report = build_report(
        _answers(told=True), domain_of=DOMAIN_OF, self_ratings=SELF, supervisor_alone_allowed=True
    )
    # Worked by hand: peers c11 (4+3+5)/3 = 4.0, c12 10/3 = 3.3, c21 13/3 = 4.3,
    # c22 7/3 = 2.3, D1 22/6 = 3.7, D2 20/6 = 3.3; all raters c11 14/4 = 3.5, c12 12/4 = 3.0,
    # c21 16/4 = 4.0, c22 10/4 = 2.5, D1 26/8 = 3.25 → 3.3, D2 26/8 → 3.3.
    assert _table(report) == {
        "Self": (
            None,
            {"c11": "3.0", "c12": "4.0", "c21": "3.0", "c22": "3.0", "D1": "3.5", "D2": "3.0"},
        ),
        "Supervisor": (
            1,
            {"c11": "2.0", "c12": "2.0", "c21": "3.0", "c22": "3.0", "D1": "2.0", "D2": "3.0"},
        ),
        "Peers": (
            3,
            {"c11": "4.0", "c12": "3.3", "c21": "4.3", "c22": "2.3", "D1": "3.7", "D2": "3.3"},
        ),
        "All raters": (
            4,
            {"c11": "3.5", "c12": "3.0", "c21": "4.0", "c22": "2.5", "D1": "3.3", "D2": "3.3"},
        ),
    }


@pytest.mark.parametrize("allowed, told", [(False, True), (True, False), (False, False)])
def test_report_merges_the_supervisor_unless_allowed_and_told(allowed, told):
    report = build_report(
        _answers(told=told),
        domain_of=DOMAIN_OF,
        self_ratings=SELF,
        supervisor_alone_allowed=allowed,
    )
    # One group of all four: no "all raters" column beside it, no supervisor column.
    assert [c.label for c in report.columns] == ["Self", "Others combined"]
    merged = report.columns[1]
    assert merged.count == 4
    assert {k: str(v) for k, v in merged.by_domain.items()} == {"D1": "3.3", "D2": "3.3"}
    assert (
        merged.description
        == "Answers of supervisor and peer, merged so that no group has fewer than 3."
    )


def test_open_answers_are_sorted_by_text_without_blanks():
    report = build_report(
        _answers(), domain_of=DOMAIN_OF, self_ratings=None, supervisor_alone_allowed=False
    )
    # Not in the order the raters answered (A, B, C, supervisor), and each list on its own.
    assert report.strengths == ["Asks good questions", "builds trust", "zeal"]
    assert report.to_develop == ["Budgeting", "Delegate more", "say no sooner"]


def test_under_three_answers_nothing_from_raters_is_shown():
    report = build_report(
        _answers()[:2], domain_of=DOMAIN_OF, self_ratings=SELF, supervisor_alone_allowed=True
    )
    assert report.is_hidden
    assert [c.label for c in report.columns] == ["Self"]
    assert report.strengths == [] and report.to_develop == []


def test_without_a_self_assessment_the_self_column_is_empty():
    report = build_report(
        _answers(), domain_of=DOMAIN_OF, self_ratings=None, supervisor_alone_allowed=False
    )
    assert set(report.columns[0].by_domain.values()) == {None}


def test_cohort_figures_count_fellows_with_three_answers_and_need_three_of_them():
    domain_of = {"c1": "D", "c2": "D"}

    def answers(n, value):
        return [Answer(PEER, False, {"c1": value, "c2": value}) for _ in range(n)]

    by_fellow = {"f1": answers(3, 3), "f2": answers(3, 4), "f3": answers(2, 5)}
    selves = {"f1": {"c1": 2, "c2": 3}, "f2": {"c1": 4, "c2": 4}, "f3": {"c1": 5, "c2": 5}}
    hidden = cohort_figures(by_fellow, selves, domain_of=domain_of)
    assert hidden.is_hidden and hidden.fellows == 2 and hidden.rows == []

    by_fellow["f4"] = answers(4, 2)
    shown = cohort_figures(by_fellow, selves, domain_of=domain_of)
    # f3 (2 answers) is left out. Raters: (6×3 + 6×4 + 8×2) / 20 = 58/20 = 2.9. Self (f4
    # has none): (2 + 3 + 4 + 4) / 4 = 3.25 → 3.3.
    assert (shown.fellows, shown.answers) == (3, 10)
    assert [(r.domain_id, str(r.self_avg), str(r.raters_avg)) for r in shown.rows] == [
        ("D", "3.3", "2.9")
    ]
