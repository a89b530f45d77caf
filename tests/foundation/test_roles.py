"""Role questions: each app answers about its own data (cohorts, coaching, networks), apps
below coaching and networks ask through the hooks in cohorts.roles, and the navigation's
roles come from accounts.roles.viewer_roles."""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import DateTimeField, DurationField, Value
from django.db.models.functions import Length, TruncDate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.models import User
from accounts.roles import viewer_roles
from coaching import roles as coaching_roles
from coaching.models import CoachAssignment
from cohorts import roles
from cohorts.models import Enrollment
from networks import roles as networks_roles
from tests.cohorts.test_terms_everywhere import use_scholars_words
from tests.factories.accounts import UserFactory


def test_program_staff(cast):
    assert roles.is_program_staff(cast.staff, cast.program)
    assert not roles.is_program_staff(cast.other_staff, cast.program)
    assert roles.is_program_staff(cast.admin, cast.other_program)


@pytest.mark.parametrize("ask", [coaching_roles.is_active_coach_of, roles.is_active_coach_of])
def test_active_coach_only_while_assigned(cast, ask):
    enrollment = cast.enrollments["fellow"]
    assert ask(cast.coach, enrollment)
    assert not ask(cast.other_coach, enrollment)
    CoachAssignment.objects.filter(enrollment=enrollment).update(ended_at=timezone.now())
    assert not ask(cast.coach, enrollment)


@pytest.mark.parametrize("ask", [coaching_roles.coaches_in_cohort, roles.coaches_in_cohort])
def test_coaches_in_cohort(cast, ask):
    assert ask(cast.coach, cast.cohort)
    assert ask(cast.other_coach, cast.cohort)
    assert not ask(cast.coach, cast.other_cohort)
    assert not ask(cast.staff, cast.cohort)


@pytest.mark.parametrize("ask", [networks_roles.shares_peer_group, roles.shares_peer_group])
def test_peer_group(cast, ask):
    fellow = cast.enrollments["fellow"]
    assert ask(cast.peer, fellow)
    assert not ask(cast.classmate, fellow)
    assert not ask(cast.fellow, fellow)  # not one's own peer


def test_who_reads_the_cohort(cast):
    readers = {
        role
        for role in ["admin", "staff", "coach", "other_coach", "fellow", "peer", "classmate"]
        if roles.can_read_cohort(cast.user(role), cast.cohort)
    }
    assert len(readers) == 7
    for role in ["other_staff", "other_cohort_fellow", "alumnus", "withdrawn"]:
        assert not roles.can_read_cohort(cast.user(role), cast.cohort), role
    assert roles.can_read_cohort(cast.alumnus, cast.past_cohort)
    assert not roles.can_read_cohort(UserFactory(), cast.cohort)


def test_facilitators_read_the_cohort_of_their_group(cast):
    facilitator = UserFactory()
    assert not roles.can_read_cohort(facilitator, cast.cohort)
    cast.group.facilitator = facilitator
    cast.group.save(update_fields=["facilitator"])
    assert networks_roles.facilitates_in_cohort(facilitator, cast.cohort)
    assert roles.can_read_cohort(facilitator, cast.cohort)
    assert roles.works_in_program(facilitator, cast.program)
    assert not roles.works_in_program(facilitator, cast.other_program)


def test_cohorts_alone_knows_no_coach(cast, monkeypatch):
    """Without the answers coaching registers, cohorts' questions about coaches say no:
    the coach's access comes from coaching, not from cohorts reaching into its tables."""
    monkeypatch.setattr(roles.coach_of_enrollment, "_functions", [])
    monkeypatch.setattr(roles.reads_cohort, "_functions", [])
    assert not roles.is_active_coach_of(cast.coach, cast.enrollments["fellow"])
    assert not roles.can_read_cohort(cast.coach, cast.cohort)
    assert roles.can_read_cohort(cast.fellow, cast.cohort)


def test_viewer_roles(cast):
    assert viewer_roles(cast.staff).staff
    assert viewer_roles(cast.coach).coach
    assert viewer_roles(cast.fellow).fellow
    assert viewer_roles(cast.alumnus).fellow
    assert not viewer_roles(cast.withdrawn).any
    assert viewer_roles(cast.admin).admin


def test_the_navigation_query_answers_each_request_with_its_own_values(cast, client_for):
    """The navigation's query is compiled once and run again with each request's values:
    the rosters of two programs, opened by their own staff one after the other, each read in
    their own program's words, let in their own staff only and show their own links."""
    use_scholars_words(cast.other_program)
    ours = reverse("cohorts:roster", args=[cast.cohort.code])
    theirs = reverse("cohorts:roster", args=[cast.other_cohort.code])
    staff, other_staff = client_for("staff"), client_for("other_staff")
    for _ in range(2):
        first, second = staff.get(ours), other_staff.get(theirs)
        assert first.status_code == second.status_code == 200
        assert b"scholar" not in first.content
        assert b"scholars" in second.content
    assert staff.get(theirs).status_code == 404
    coach_home = reverse("coaching:coach_home")
    assert b"My fellows" in client_for("coach").get(coach_home).content
    assert b"My fellows" not in staff.get(ours).content


def test_a_compiled_query_runs_again_with_other_values(cast):
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(pk=values["id"]).values("email")

    for user in (cast.fellow, cast.coach, cast.fellow):
        assert query.first("by id", {"id": user.pk}, build)["email"] == user.email
    assert query.is_reused("by id")
    assert query.first("by id", {"id": 0}, build) == {}


def test_compiled_instances_come_with_their_joined_objects_and_annotations(cast):
    """Model instances from the kept SQL are those the queryset gives: their fields, the
    objects `select_related` joins and the annotations, for each request's values."""
    query = CompiledQuery()

    def build(values):
        return (
            Enrollment.objects.filter(user_id=values["user_id"])
            .select_related("user", "cohort__program")
            .annotate(name_length=Length("user__full_name"))
            .order_by("pk")
        )

    for user in (cast.fellow, cast.peer, cast.fellow):
        found = query.instances("of user", {"user_id": user.pk}, build)
        expected = list(build({"user_id": user.pk}))
        assert [(e.pk, e.status, e.user.email, e.cohort.program.name) for e in found] == [
            (e.pk, e.status, e.user.email, e.cohort.program.name) for e in expected
        ]
        assert [e.name_length for e in found] == [len(user.full_name)] * len(expected)
    assert found and query.is_reused("of user")
    assert query.instances("of user", {"user_id": 0}, build) == []


def test_a_value_folded_into_a_pattern_is_not_frozen_into_the_query(cast):
    """`startswith` sends "value%": the value is not a parameter of its own, so the query is
    built again each time rather than run with the first value."""
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(email__startswith=values["start"]).values("email")

    assert query.first("start", {"start": "fellow@"}, build)["email"] == cast.fellow.email
    assert query.first("start", {"start": "coach@"}, build)["email"] == cast.coach.email
    assert not query.is_reused("start")


def test_a_compiled_query_takes_times_and_dates_and_converts_its_answers(cast):
    """Times and days change with every request: they are values of the kept SQL, and what
    comes back is Python's (a time, a date), not the database's raw text."""
    query = CompiledQuery()
    joined = cast.fellow.date_joined

    def build(values):
        return User.objects.filter(
            pk=values["id"], date_joined__lte=values["now"], date_joined__date__lte=values["day"]
        ).values("date_joined", day=TruncDate("date_joined"))

    later = joined + datetime.timedelta(days=1)
    row = query.first("joined", {"id": cast.fellow.pk, "now": later, "day": later.date()}, build)
    # TruncDate takes the day in the current time zone, as Django does without the kept SQL.
    assert row == {"date_joined": joined, "day": timezone.localtime(joined).date()}
    assert query.is_reused("joined")
    earlier = joined - datetime.timedelta(days=2)
    assert (
        query.first("joined", {"id": cast.fellow.pk, "now": earlier, "day": earlier.date()}, build)
        == {}
    )


def test_a_value_the_query_derives_another_from_is_not_frozen(cast):
    """A build that computes `now - 1 day` itself would keep the first request's day in the
    SQL: such a query is built afresh each time."""
    query = CompiledQuery()
    joined = cast.fellow.date_joined

    def build(values):
        return User.objects.filter(
            pk=values["id"], date_joined__lte=values["now"] - datetime.timedelta(days=1)
        ).values("email")

    two_days_on = joined + datetime.timedelta(days=2)
    assert query.first("derived", {"id": cast.fellow.pk, "now": two_days_on}, build)
    assert not query.is_reused("derived")
    assert query.first("derived", {"id": cast.fellow.pk, "now": joined}, build) == {}


def test_a_query_compiled_on_another_thread_runs_on_this_threads_connection(cast):
    """A server thread (or a threaded worker) may compile a query first: later calls still run
    on their own thread's connection, inside its transaction, and see what it wrote."""
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(pk=values["id"]).values("email")

    def compile_elsewhere():
        try:
            query.first("by id", {"id": cast.coach.pk}, build)
        finally:
            connection.close()

    thread = threading.Thread(target=compile_elsewhere)
    thread.start()
    thread.join()
    written_here = UserFactory(email="only-in-this-transaction@example.org")
    assert query.is_reused("by id")
    row = query.first("by id", {"id": written_here.pk}, build)
    assert row == {"email": "only-in-this-transaction@example.org"}


def _prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_on_postgresql_the_server_plans_a_compiled_query_once_per_connection(cast):
    """Each later call runs the prepared statement with its own values (one query each, the
    PREPARE never counted); other databases are sent the SQL itself."""
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(pk=values["id"]).values("email")

    with CaptureQueriesContext(connection) as captured:
        for user in (cast.fellow, cast.coach, cast.fellow):
            assert query.first("by id", {"id": user.pk}, build)["email"] == user.email
    assert len(captured) == 3
    sent = [entry["sql"] for entry in captured]
    if connection.vendor == "postgresql":
        assert all(sql.startswith("EXECUTE cw_compiled_") for sql in sent), sent
        assert sent[0].split()[1] in _prepared_statements()
    else:
        assert not any("EXECUTE" in sql for sql in sent), sent


def test_times_and_spans_are_prepared_with_their_types(cast, caplog):
    """A time less a span, both values of the query: the driver writes them with their types
    ('...'::timestamptz - '...'::interval), and the prepared statement declares the same, so
    the server can tell which subtraction is meant and prepares it."""
    query = CompiledQuery()
    joined = cast.fellow.date_joined

    def build(values):
        since = Value(values["now"], output_field=DateTimeField()) - Value(
            datetime.timedelta(days=7), output_field=DurationField()
        )
        return User.objects.filter(pk=values["id"], date_joined__gt=since).values("email")

    week_after = joined + datetime.timedelta(days=6)
    with CaptureQueriesContext(connection) as captured:
        assert query.first("since", {"id": cast.fellow.pk, "now": week_after}, build)
        assert not query.first(
            "since", {"id": cast.fellow.pk, "now": joined + datetime.timedelta(days=8)}, build
        )
    assert query.is_reused("since")
    assert "Not prepared" not in caplog.text
    if connection.vendor == "postgresql":
        assert all(entry["sql"].startswith("EXECUTE") for entry in captured), captured


def test_a_compiled_query_the_server_cannot_prepare_is_run_as_it_is(cast, caplog):
    """Values whose types PostgreSQL cannot tell from the SQL alone (two numbers added, with
    nothing to say which kind): the statement is not prepared, the query answers all the
    same, and the test's transaction goes on (the failed PREPARE was made in a savepoint)."""
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(pk=values["id"]).values(
            total=Value(values["a"]) + Value(values["b"])
        )

    for a, b in ((2, 3), (4, 6)):
        row = query.first("sum", {"id": cast.fellow.pk, "a": a, "b": b}, build)
        assert row == {"total": a + b}
    assert query.is_reused("sum")
    assert User.objects.filter(pk=cast.coach.pk).exists()
    if connection.vendor == "postgresql":
        assert "Not prepared" in caplog.text


def test_a_none_value_is_asked_as_is_and_does_not_spoil_the_shape(cast):
    """None compiles to IS NULL: a call with one is built afresh, and later calls with
    values still reuse the kept SQL."""
    query = CompiledQuery()

    def build(values):
        return User.objects.filter(pk=values["id"], last_login=values["seen"]).values("email")

    assert query.first("seen", {"id": cast.fellow.pk, "seen": None}, build) == {
        "email": cast.fellow.email
    }
    seen = timezone.now()
    User.objects.filter(pk=cast.coach.pk).update(last_login=seen)
    assert query.first("seen", {"id": cast.coach.pk, "seen": seen}, build) == {
        "email": cast.coach.email
    }
    assert query.is_reused("seen")
    assert query.first("seen", {"id": cast.coach.pk, "seen": None}, build) == {}
