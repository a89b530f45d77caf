"""Editing a proposal under review, before anything is saved: add an empty group, or remove
a group and re-home its fellows. Plain functions on the posted values, no database.

A removed group's fellows go, one by one in roster order, to the smallest remaining group
that has nobody of their agency (on a tie, the first such group); a fellow who fits no
group is left *unplaced*, listed as such on the page, and saving is refused until staff
place them. Groups after the removed one move up by one, with their names, facilitators
and meeting places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .builder import normalize_agency

ADD = "add"
REMOVE = "remove_"
UNPLACED = ""
GROUP_FIELDS = ("name", "facilitator", "location", "video_url")
MAX_GROUPS = 200


def is_edit(action: str) -> bool:
    return action == ADD or action.startswith(REMOVE)


def posted_count(data: Mapping, fallback: int) -> int:
    try:
        count = int(data.get("count", fallback))
    except (TypeError, ValueError):
        return fallback
    return count if 0 <= count <= MAX_GROUPS else fallback


def edit(data: Mapping, roster: Sequence, count: int, action: str) -> tuple[dict, int]:
    """(initial values for the review form, number of groups) after `action` on the posted
    `data`. `roster` holds enrollments (`code`, `agency`); unknown actions change nothing."""
    groups = [{name: data.get(f"{name}_{i}", "") for name in GROUP_FIELDS} for i in range(count)]
    placement = {e.code: _group_index(data.get(f"fellow_{e.code}"), count) for e in roster}
    if action == ADD and count < MAX_GROUPS:
        groups.append({"name": f"Group {count + 1}", "facilitator": "", "location": ""})
        groups[-1]["video_url"] = ""
    elif action.startswith(REMOVE):
        removed = _group_index(action.removeprefix(REMOVE), count)
        if removed is not None:
            groups.pop(removed)
            placement = _without_group(roster, placement, removed, len(groups))
    initial = {
        f"{name}_{i}": value for i, group in enumerate(groups) for name, value in group.items()
    }
    for enrollment in roster:
        index = placement[enrollment.code]
        initial[f"fellow_{enrollment.code}"] = UNPLACED if index is None else str(index)
    return initial, len(groups)


def _group_index(value, count: int) -> int | None:
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index < count else None


def _without_group(roster, placement: dict, removed: int, remaining: int) -> dict:
    def shifted(index):
        if index is None or index == removed:
            return None
        return index - 1 if index > removed else index

    homeless = [e for e in roster if placement[e.code] == removed]
    moved = {code: shifted(index) for code, index in placement.items()}
    members: list[list] = [[] for _ in range(remaining)]
    for enrollment in roster:
        if moved[enrollment.code] is not None:
            members[moved[enrollment.code]].append(enrollment)
    for enrollment in homeless:
        agency = normalize_agency(enrollment.agency)
        fits = [
            i
            for i in range(remaining)
            if not agency or all(normalize_agency(m.agency) != agency for m in members[i])
        ]
        if fits:
            target = min(fits, key=lambda i: (len(members[i]), i))
            members[target].append(enrollment)
            moved[enrollment.code] = target
    return moved
