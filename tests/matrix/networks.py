"""Peer groups (PRODUCT.md: peer group meetings, check-ins — staff manage, the fellow and the
same peer group see their own group, coaches nothing). In every case the alumnus facilitates
the cast's group (an alumnus of the program may), so the facilitator column is covered."""

from . import LOGIN, Case, all_roles


def _with_facilitator_and_meeting(cast):
    from tests.factories.networks import GroupMeetingFactory

    cast.group.facilitator = cast.alumnus
    cast.group.save()
    cast.meeting = GroupMeetingFactory(group=cast.group)


def _group(cast):
    return {"code": cast.group.code}


def _meeting(cast):
    return {"code": cast.meeting.code}


def _cohort(cast):
    return {"code": cast.cohort.code}


SETUP = _with_facilitator_and_meeting
# Read the group and its meetings: staff, the members, the facilitator.
READERS = {"admin": 200, "staff": 200, "fellow": 200, "peer": 200, "alumnus": 200}
# Run meetings (schedule, move, cancel, attendance): staff and the facilitator; members 403.
RUNNERS_GET = {"admin": 200, "staff": 200, "alumnus": 200, "fellow": 403, "peer": 403}
RUNNERS_POST = {"admin": 302, "staff": 302, "alumnus": 302, "fellow": 403, "peer": 403}
# Staff-only pages of the cohort: other readers of the cohort get 403.
COHORT_STAFF = {
    "admin": 200,
    "staff": 200,
    "coach": 403,
    "other_coach": 403,
    "fellow": 403,
    "peer": 403,
    "classmate": 403,
    "alumnus": 403,  # facilitates a group of the cohort, so may read the cohort
}

# Change a group (its settings, its members): staff only; members and facilitator 403.
STAFF_ONLY = {"admin": 200, "staff": 200, "fellow": 403, "peer": 403, "alumnus": 403}

CASES = [
    Case("networks:my_groups", all_roles(200, anonymous=LOGIN)),
    Case("networks:cohort_groups", COHORT_STAFF, kwargs=_cohort, setup=SETUP),
    Case("networks:build_groups", COHORT_STAFF, kwargs=_cohort, setup=SETUP),
    Case(
        "networks:build_groups",
        COHORT_STAFF,
        kwargs=_cohort,
        setup=SETUP,
        method="post",
        data=lambda cast: {"size": "5", "seed": "1", "mode": "replace", "count": "1"},
        label="incomplete",
    ),
    Case(
        "networks:build_groups",
        COHORT_STAFF,
        kwargs=_cohort,
        setup=SETUP,
        method="post",
        data=lambda cast: (
            {"size": "5", "seed": "1", "mode": "replace", "count": "1"}
            | {"action": "add", "name_0": "Kōkua"}
        ),
        label="add_group",
    ),
    Case(
        "networks:build_groups",
        COHORT_STAFF,
        kwargs=_cohort,
        setup=SETUP,
        method="post",
        data=lambda cast: (
            {"size": "5", "seed": "1", "mode": "replace", "count": "2"} | {"action": "remove_0"}
        ),
        label="remove_group",
    ),
    Case("networks:group_detail", READERS, kwargs=_group, setup=SETUP),
    Case(
        "networks:group_edit",
        {"admin": 200, "staff": 200, "fellow": 403, "peer": 403, "alumnus": 403},
        kwargs=_group,
        setup=SETUP,
    ),
    Case(
        "networks:group_edit",
        {"admin": 200, "staff": 200, "fellow": 403, "peer": 403, "alumnus": 403},
        kwargs=_group,
        setup=SETUP,
        method="post",
        data=lambda cast: {"name": "", "turn_minutes": "0"},
        label="invalid",
    ),
    Case("networks:member_add", STAFF_ONLY, kwargs=_group, setup=SETUP),
    Case(
        "networks:member_add",
        STAFF_ONLY,
        kwargs=_group,
        setup=SETUP,
        method="post",
        data=lambda cast: {"enrollment": cast.enrollments["withdrawn"].pk},
        label="invalid",
    ),
    Case(
        "networks:member_add",
        {"admin": 302, "staff": 302, "fellow": 403, "peer": 403, "alumnus": 403},
        kwargs=_group,
        setup=SETUP,
        method="post",
        data=lambda cast: {"enrollment": cast.enrollments["classmate"].pk},
        label="add_classmate",
    ),
    Case("networks:meeting_schedule", RUNNERS_GET, kwargs=_group, setup=SETUP),
    Case(
        "networks:meeting_schedule",
        RUNNERS_GET,
        kwargs=_group,
        setup=SETUP,
        method="post",
        data=lambda cast: {"first_date": "not a date", "count": "0"},
        label="invalid",
    ),
    Case("networks:meeting_detail", READERS, kwargs=_meeting, setup=SETUP),
    Case("networks:meeting_edit", RUNNERS_GET, kwargs=_meeting, setup=SETUP),
    Case(
        "networks:meeting_edit",
        RUNNERS_GET,
        kwargs=_meeting,
        setup=SETUP,
        method="post",
        data=lambda cast: {"date": "2026-10-20", "start_time": "13:00", "end_time": "12:00"},
        label="invalid",
    ),
    Case("networks:meeting_cancel", RUNNERS_POST, kwargs=_meeting, setup=SETUP, method="post"),
    Case(
        "networks:meeting_attendance",
        RUNNERS_POST,
        kwargs=_meeting,
        setup=SETUP,
        method="post",
        data=lambda cast: {},
    ),
    Case(
        "networks:check_in",
        {"admin": 403, "staff": 403, "alumnus": 403, "fellow": 200, "peer": 200},
        kwargs=_meeting,
        setup=SETUP,
    ),
    Case(
        "networks:check_in",
        {"admin": 403, "staff": 403, "alumnus": 403, "fellow": 200, "peer": 200},
        kwargs=_meeting,
        setup=SETUP,
        method="post",
        data=lambda cast: {"done": "", "next_commitment": ""},
        label="invalid",
    ),
    Case("networks:peer_coaching", READERS, kwargs=_meeting, setup=SETUP),
    Case(
        "networks:peer_coaching",
        {"admin": 403, "staff": 403, "alumnus": 403, "fellow": 200, "peer": 200},
        kwargs=_meeting,
        setup=SETUP,
        method="post",
        data=lambda cast: {"coach": "", "coachee": ""},
        label="invalid",
    ),
]
