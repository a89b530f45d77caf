"""The group builder's rules, on hand-made rosters and on many random ones (hypothesis)."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.builder import (
    BuilderError,
    Fellow,
    agency_clashes,
    clash_score,
    group_count,
    normalize_agency,
    propose_groups,
)

STATES = ["HI", "PR", "GU", "TX", "NY", "CA", "NM", "AK"]
SECTORS = ["Medicaid", "Public health", "Child welfare", "Legislature"]
AGENCY_SPELLINGS = st.sampled_from(
    ["Ohio Medicaid", "  ohio   MEDICAID ", "Guam Public Health", "guam public health", "DOH"]
    + [f"Agency {n}" for n in range(40)]
)


@st.composite
def rosters(draw):
    n = draw(st.integers(min_value=2, max_value=48))
    return [
        Fellow(
            key=i,
            state=draw(st.sampled_from(STATES)),
            sector=draw(st.sampled_from(SECTORS)),
            agency=draw(AGENCY_SPELLINGS),
        )
        for i in range(n)
    ]


def _max_agency(roster):
    counts = Counter(normalize_agency(f.agency) for f in roster)
    return max(counts.values())


@settings(max_examples=300, deadline=None)
@given(roster=rosters(), size=st.integers(min_value=4, max_value=6), seed=st.integers(0, 10**6))
def test_builder_keeps_its_rules_on_random_rosters(roster, size, seed):
    count = group_count(len(roster), size)
    if _max_agency(roster) > count:
        with pytest.raises(BuilderError, match="would have to share a group"):
            propose_groups(roster, size, seed)
        return
    proposal = propose_groups(roster, size, seed)
    placed = [f.key for group in proposal.groups for f in group]
    # Every fellow exactly once.
    assert sorted(placed) == sorted(f.key for f in roster)
    # Never two of one agency (after normalising the spelling).
    for group in proposal.groups:
        agencies = [normalize_agency(f.agency) for f in group]
        assert len(agencies) == len(set(agencies))
    assert agency_clashes(proposal.groups) == []
    # Sizes within one of each other, as many groups as documented.
    assert len(proposal.groups) == count
    assert max(proposal.sizes) - min(proposal.sizes) <= 1


@settings(max_examples=100, deadline=None)
@given(roster=rosters(), seed=st.integers(0, 10**6), order_seed=st.randoms())
def test_same_roster_and_seed_give_the_same_groups_whatever_the_order(roster, seed, order_seed):
    if _max_agency(roster) > group_count(len(roster), 5):
        return
    shuffled = list(roster)
    order_seed.shuffle(shuffled)
    first = propose_groups(roster, 5, seed)
    again = propose_groups(shuffled, 5, seed)
    assert [[f.key for f in g] for g in first.groups] == [[f.key for f in g] for g in again.groups]


@settings(max_examples=100, deadline=None)
@given(roster=rosters(), seed=st.integers(0, 10**6))
def test_no_single_swap_would_mix_the_groups_better(roster, seed):
    """The swap phase runs until no swap helps: the proposal is a local optimum. (It is not
    always better than any other deal — e.g. a plain round-robin of the roster's order.)"""
    if _max_agency(roster) > group_count(len(roster), 5):
        return
    groups = [list(g) for g in propose_groups(roster, 5, seed).groups]
    total = sum(clash_score(g) for g in groups)
    for gi, gj in itertools.combinations(range(len(groups)), 2):
        for ai, a in enumerate(groups[gi]):
            for bj, b in enumerate(groups[gj]):
                first = groups[gi][:ai] + [b] + groups[gi][ai + 1 :]
                second = groups[gj][:bj] + [a] + groups[gj][bj + 1 :]
                if agency_clashes([first, second]):
                    continue
                swapped = total - clash_score(groups[gi]) - clash_score(groups[gj])
                swapped += clash_score(first) + clash_score(second)
                assert swapped >= total, f"swapping {a.key} and {b.key} would mix better"


def test_builder_spreads_states_and_sectors_when_it_can():
    roster = [
        Fellow(key=i, state=STATES[i % 4], sector=SECTORS[(i // 4) % 4], agency=f"Agency {i}")
        for i in range(16)
    ]
    proposal = propose_groups(roster, 4, seed=7)
    for group in proposal.groups:
        assert len({f.state for f in group}) == 4
        assert len({f.sector for f in group}) == 4
    assert proposal.notes == []


def test_two_spellings_of_one_agency_never_share_a_group():
    roster = [
        Fellow(1, "HI", "Medicaid", "Hawaii Med-QUEST"),
        Fellow(2, "HI", "Medicaid", "  hawaii   med-quest"),
        Fellow(3, "PR", "Public health", "PR Health"),
        Fellow(4, "GU", "Legislature", "Guam Legislature"),
        Fellow(5, "TX", "Medicaid", "Texas HHSC"),
        Fellow(6, "NY", "Child welfare", "NY OCFS"),
        Fellow(7, "CA", "Public health", "CDPH"),
        Fellow(8, "AK", "Medicaid", "Alaska DOH"),
    ]
    for seed in range(20):
        proposal = propose_groups(roster, 4, seed)
        for group in proposal.groups:
            assert {1, 2} - {f.key for f in group}


def test_an_agency_larger_than_the_number_of_groups_is_explained():
    roster = [Fellow(i, "NY", "Medicaid", "NY Medicaid" if i < 3 else f"A{i}") for i in range(8)]
    with pytest.raises(BuilderError) as error:
        propose_groups(roster, 4, seed=1)
    assert "3 fellows come from NY Medicaid" in str(error.value)
    assert "only 2 groups" in str(error.value)


def test_remaining_clashes_are_reported_as_notes():
    roster = [Fellow(i, "TX" if i < 6 else "HI", "Medicaid", f"A{i}") for i in range(8)]
    proposal = propose_groups(roster, 4, seed=1)
    assert proposal.sizes == [4, 4]
    assert not any("from TX" in note for note in proposal.notes)  # 3 and 3 is the fair share
    assert any("Medicaid sector" in note for note in proposal.notes) is False


def test_group_count_aims_at_the_chosen_size():
    assert group_count(30, 5) == 6
    assert group_count(30, 4) == 7  # 8 groups would leave two of only 3
    assert group_count(30, 6) == 5
    assert group_count(14, 6) == 3  # two groups of 7 would be too large
    assert group_count(3, 4) == 1


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=8, max_value=200), size=st.integers(min_value=4, max_value=6))
def test_sizes_stay_within_four_to_six_from_eight_fellows_up(n, size):
    count = group_count(n, size)
    assert n // count >= 4 and -(-n // count) <= 6


def test_a_roster_too_small_for_proper_groups_is_flagged():
    roster = [Fellow(i, STATES[i], "x", f"A{i}") for i in range(7)]
    proposal = propose_groups(roster, 4, seed=1)
    assert "cannot all have 4–6 members" in proposal.notes[0]


def test_tiny_rosters_are_refused_clearly():
    with pytest.raises(BuilderError, match="At least two"):
        propose_groups([Fellow(1, "HI", "x", "a")], 4)
