"""Reviewing a proposal before saving: add an empty group, remove a group (its fellows go to
other groups, or are listed as not placed), a meeting place and link per group; saving
refuses fellows without a group."""

from dataclasses import dataclass

from django.urls import reverse

from networks import review
from networks.models import PeerGroup
from tests.queries import assert_stable_queries

from .conftest import add_fellows


@dataclass
class E:
    code: str
    agency: str


def _posted(count, placement, **extra):
    data = {"count": str(count)}
    for i in range(count):
        data |= {f"name_{i}": f"G{i}", f"facilitator_{i}": "", f"location_{i}": f"Room {i}"}
        data[f"video_url_{i}"] = ""
    data |= {f"fellow_{code}": value for code, value in placement.items()}
    return data | extra


def test_add_appends_an_empty_group_and_keeps_everything_else():
    roster = [E("a", "X"), E("b", "Y")]
    initial, count = review.edit(_posted(2, {"a": "0", "b": "1"}), roster, 2, review.ADD)
    assert count == 3
    assert initial["name_2"] == "Group 3"
    assert (initial["name_1"], initial["location_1"]) == ("G1", "Room 1")
    assert (initial["fellow_a"], initial["fellow_b"]) == ("0", "1")


def test_remove_moves_fellows_to_the_smallest_group_without_their_agency():
    roster = [E("a", "X"), E("b", "Y"), E("c", "Z"), E("d", "X"), E("e", "Q")]
    # Group 0: a, b · group 1: c, e · group 2 (removed): d (agency X, like a).
    placement = {"a": "0", "b": "0", "c": "1", "e": "1", "d": "2"}
    initial, count = review.edit(_posted(3, placement), roster, 3, "remove_2")
    assert count == 2
    assert initial["fellow_d"] == "1"  # group 0 has someone of agency X


def test_remove_shifts_later_groups_and_leaves_misfits_unplaced():
    roster = [E("a", "X"), E("b", " x "), E("c", "X")]
    placement = {"a": "0", "b": "1", "c": "2"}
    initial, count = review.edit(_posted(3, placement), roster, 3, "remove_1")
    assert count == 2
    assert initial["name_1"] == "G2"  # the old group 3 moved up
    assert initial["location_1"] == "Room 2"
    assert initial["fellow_c"] == "1"
    assert initial["fellow_b"] == review.UNPLACED  # both groups left have someone of X


def test_bad_edit_values_change_nothing_harmful():
    roster = [E("a", "X")]
    initial, count = review.edit({"count": "1", "fellow_a": "7"}, roster, 1, "remove_9")
    assert count == 1
    assert initial["fellow_a"] == review.UNPLACED  # a group that does not exist
    assert review.posted_count({"count": "many"}, 3) == 3
    assert review.posted_count({"count": "-1"}, 3) == 3
    assert review.posted_count({"count": "999"}, 3) == 3


# --- Through the page ------------------------------------------------------------------------


def _url(cast):
    return reverse("networks:build_groups", kwargs={"code": cast.cohort.code})


def _roster(cast):
    return list(cast.cohort.enrollments.filter(status="active").order_by("user__full_name"))


def _data(cast, roster, assignment, count=2, **extra):
    data = {"size": 4, "seed": 1, "mode": "replace", "count": count}
    for i in range(count):
        data |= {f"name_{i}": f"Group {'ABCDEFG'[i]}", f"facilitator_{i}": ""}
        data |= {f"location_{i}": "", f"video_url_{i}": ""}
    for enrollment, index in zip(roster, assignment, strict=True):
        data[f"fellow_{enrollment.code}"] = "" if index is None else str(index)
    return data | extra


def test_staff_add_an_empty_group_without_saving(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    data = _data(cast, roster, [0] * 5 + [1] * 4, action="add")
    response = client_for("staff").post(_url(cast), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "9 fellows in 3 groups" in text
    assert 'name="name_2"' in text and 'value="Group A"' in text
    assert list(PeerGroup.objects.filter(cohort=cast.cohort)) == [cast.group]


def test_removing_a_group_lists_who_is_not_placed_and_saving_refuses_them(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    for enrollment in roster[5:]:  # group 1 all from the agency of someone in group 0
        enrollment.agency = roster[0].agency
        enrollment.save()
    data = _data(cast, roster, [0] * 5 + [1] * 4, action="remove_1")
    text = client_for("staff").post(_url(cast), data).content.decode()
    assert "9 fellows in 1 groups" in text
    assert "Not placed in a group (4)" in text

    # Saving as posted (one group, four fellows without one) is refused, field by field.
    data = _data(cast, roster, [0] * 5 + [None] * 4, count=1)
    response = client_for("staff").post(_url(cast), data)
    text = response.content.decode()
    assert "The groups were not saved" in text
    assert "4 fellows are not placed in a group" in text
    assert f"Choose a group for {roster[5].user}." in text
    assert list(PeerGroup.objects.filter(cohort=cast.cohort)) == [cast.group]


def test_each_group_gets_its_meeting_place_and_link(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    data = _data(cast, roster, [0] * 5 + [1] * 4)
    data |= {"location_0": "Room 4, State Capitol", "video_url_1": "meet.example.org/b"}
    response = client_for("staff").post(_url(cast), data)
    assert response.status_code == 302
    groups = {g.name: g for g in PeerGroup.objects.filter(cohort=cast.cohort)}
    assert groups["Group A"].location == "Room 4, State Capitol"
    assert groups["Group B"].video_url == "https://meet.example.org/b"


def test_a_bad_meeting_link_is_refused_next_to_the_field(client_for, cast):
    add_fellows(cast.cohort, 6)
    roster = _roster(cast)
    data = _data(cast, roster, [0] * 5 + [1] * 4) | {"video_url_0": "not a link at all"}
    text = client_for("staff").post(_url(cast), data).content.decode()
    assert 'id="error_1_id_video_url_0"' in text  # crispy's error, under the field
    assert "Enter a valid URL" in text
    assert list(PeerGroup.objects.filter(cohort=cast.cohort)) == [cast.group]


def test_editing_a_proposal_costs_the_same_queries_for_more_fellows(client_for, cast):
    add_fellows(cast.cohort, 6)
    client = client_for("staff")

    def fetch():
        roster = _roster(cast)
        half = len(roster) // 2
        data = _data(cast, roster, [0] * half + [1] * (len(roster) - half), action="add")
        return client.post(_url(cast), data)

    assert_stable_queries(fetch, lambda times: add_fellows(cast.cohort, 6 * times, start=100))
