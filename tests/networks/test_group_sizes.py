"""Group sizes per program (2–8): the builder makes peer-coaching pairs and trios and keeps
its rules (every fellow once, never two of one agency, sizes within one of each other)."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.builder import (
    BuilderError,
    Fellow,
    group_count,
    normalize_agency,
    propose_groups,
)

from .conftest import add_fellows
from .test_builder import _max_agency, rosters


@settings(max_examples=200, deadline=None)
@given(
    roster=rosters(),
    sizes=st.tuples(st.integers(2, 8), st.integers(2, 8)).map(sorted),
    seed=st.integers(0, 10**6),
)
def test_the_builder_keeps_its_rules_at_every_program_size(roster, sizes, seed):
    low, high = sizes
    size = (low + high) // 2
    count = group_count(len(roster), size, min_size=low, max_size=high)
    if _max_agency(roster) > count:
        with pytest.raises(BuilderError, match="would have to share a group"):
            propose_groups(roster, size, seed, min_size=low, max_size=high)
        return
    proposal = propose_groups(roster, size, seed, min_size=low, max_size=high)
    assert sorted(f.key for g in proposal.groups for f in g) == sorted(f.key for f in roster)
    for group in proposal.groups:
        agencies = [normalize_agency(f.agency) for f in group]
        assert len(agencies) == len(set(agencies))
    assert max(proposal.sizes) - min(proposal.sizes) <= 1
    if len(roster) >= 2 * high and not proposal.notes:
        assert low <= min(proposal.sizes) and max(proposal.sizes) <= high


def test_ten_scholars_make_five_pairs():
    roster = _fellows(10)
    proposal = propose_groups(roster, 2, seed=1, min_size=2, max_size=2)
    assert proposal.sizes == [2, 2, 2, 2, 2]


def test_eleven_scholars_in_pairs_or_trios_leave_nobody_alone():
    proposal = propose_groups(_fellows(11), 2, seed=4, min_size=2, max_size=3)
    assert sorted(proposal.sizes) == [2, 2, 2, 2, 3]


@pytest.mark.parametrize(("low", "high"), [(1, 3), (2, 9), (5, 4)])
def test_sizes_outside_two_to_eight_are_refused(low, high):
    with pytest.raises(BuilderError, match="from 2 to 8"):
        propose_groups(_fellows(6), 3, min_size=low, max_size=high)


def _fellows(n):
    return [Fellow(key=i, state="HI", sector="Medicaid", agency=f"Agency {i}") for i in range(n)]


def _build(client, cast, **params):
    url = reverse("networks:build_groups", kwargs={"code": cast.cohort.code})
    return client.get(url, {"seed": 3, "mode": "replace", **params})


def test_the_builder_offers_the_programs_sizes_and_proposes_pairs(cast, client_for):
    cast.program.group_size_min = cast.program.group_size_max = 2
    cast.program.save()
    add_fellows(cast.cohort, 9)  # 12 active with the fellow, peer and classmate
    client = client_for("staff")
    form = _build(client, cast).context["settings_form"]
    assert [value for value, _ in form.fields["size"].choices] == [2]
    response = _build(client, cast, size=2)
    assert response.context["proposal"].sizes == [2] * 6


def test_a_size_the_program_does_not_allow_is_refused_next_to_the_field(cast, client_for):
    cast.program.group_size_min, cast.program.group_size_max = 2, 3
    cast.program.save()
    response = _build(client_for("staff"), cast, size=5)
    assert "size" in response.context["settings_form"].errors
    assert response.context.get("proposal") is None
