"""The navigation's roles and unread count: asked once per request, in as few queries as
possible, and never stale (a role given or taken shows on the next page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.services import coach_profile_join_program
from cohorts.models import ProgramStaff, StaffRole
from cohorts.services import program_staff_add, program_staff_remove
from tests.queries import sql_sent

# The session, the user, the navigation's roles and unread count (one query).
SIGNED_IN_PAGE_QUERIES = 3


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sql_sent(ctx), response


@pytest.mark.parametrize("role", ["admin", "staff", "coach", "fellow", "peer", "alumnus"])
def test_a_simple_signed_in_page_costs_three_queries(client_for, role):
    sqls, _ = _queries_of(client_for(role), reverse("accounts:settings"))
    listing = "\n".join(f"  {sql}" for sql in sqls)
    assert len(sqls) <= SIGNED_IN_PAGE_QUERIES, f"{len(sqls)} queries:\n{listing}"
    role_queries = [sql for sql in sqls if "coaching_coachprofile" in sql]
    assert len(role_queries) == 1, f"the roles are asked {len(role_queries)} times:\n{listing}"
    for table in [
        "cohorts_programstaff",
        "cohorts_enrollment",
        "networks_peergroup",
        "notifications_notification",
    ]:
        assert table in role_queries[0], f"{table} is not in the roles query"


def test_the_unread_count_comes_with_the_roles_and_is_never_stale(cast, client_for):
    from notifications.models import Notification, State
    from tests.factories.notifications import NotificationFactory

    client = client_for("fellow")
    settings_url = reverse("accounts:settings")
    _, before = _queries_of(client, settings_url)
    assert "unread" not in _nav(before)

    NotificationFactory(recipient=cast.fellow, state=State.SENT, sent_at=timezone.now())
    NotificationFactory(recipient=cast.fellow, state=State.IN_APP, sent_at=timezone.now())
    NotificationFactory(recipient=cast.peer, state=State.SENT, sent_at=timezone.now())
    sqls, after = _queries_of(client, settings_url)
    assert "Notifications, 2 unread" in _nav(after)
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT(*)")]

    Notification.objects.filter(recipient=cast.fellow).update(read_at=timezone.now())
    _, read = _queries_of(client, settings_url)
    assert "unread" not in _nav(read)


def test_an_anonymous_page_asks_no_roles(db, client):
    sqls, _ = _queries_of(client, reverse("account_login"))
    assert not [sql for sql in sqls if "coaching_coachprofile" in sql]


def _nav(response) -> str:
    """The links of the navigation bar, as href="..." strings."""
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def _link(url_name) -> str:
    return f'href="{reverse(url_name)}"'


def test_a_new_role_shows_in_the_navigation_at_once(cast, client_for):
    client = client_for("classmate")
    settings_url = reverse("accounts:settings")
    _, before = _queries_of(client, settings_url)
    assert _link("coaching:coach_home") not in _nav(before)
    assert _link("cohorts:staff_home") not in _nav(before)

    coach_profile_join_program(program=cast.program, user=cast.classmate)
    program_staff_add(program=cast.other_program, user=cast.classmate, role=StaffRole.COORDINATOR)
    _, after = _queries_of(client, settings_url)
    assert _link("coaching:coach_home") in _nav(after)
    assert _link("cohorts:staff_home") in _nav(after)
    assert _link("cohorts:fellow_home") in _nav(after)


def test_a_role_taken_away_leaves_the_navigation_at_once(cast, client_for):
    client = client_for("staff")
    settings_url = reverse("accounts:settings")
    _, before = _queries_of(client, settings_url)
    assert _link("cohorts:staff_home") in _nav(before)

    program_staff_add(program=cast.program, user=cast.other_staff, role=StaffRole.DIRECTOR)
    program_staff_remove(
        membership=ProgramStaff.objects.get(program=cast.program, user=cast.staff), by=cast.staff
    )
    _, after = _queries_of(client, settings_url)
    assert _link("cohorts:staff_home") not in _nav(after)


def test_the_roles_asked_before_the_view_spare_the_access_checks_a_query(cast, client_for):
    """A fellow staffs no program: the navigation's query already says so, so the roster's
    access check does not ask which programs they staff."""
    sqls, _ = _queries_of(client_for("fellow"), reverse("cohorts:roster", args=[cast.cohort.code]))
    staffed = [sql for sql in sqls if 'JOIN "cohorts_programstaff"' in sql]
    assert not staffed, "\n".join(staffed)
