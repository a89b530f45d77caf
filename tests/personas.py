"""The shared cast of every permission test (STYLE.md): one program with a current, a past
and a sibling cohort, another program, and one person per row of PRODUCT.md's table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction

from accounts.models import User
from audit.services import deletes_allowed
from cohorts.models import CohortStatus, EnrollmentStatus, Sector, StaffRole

from .factories.accounts import UserFactory
from .factories.coaching import CoachAssignmentFactory, CoachProfileFactory
from .factories.cohorts import CohortFactory, EnrollmentFactory, ProgramFactory, ProgramStaffFactory
from .factories.networks import PeerGroupFactory, PeerGroupMembershipFactory

# Every role the permission matrix walks, in the order tables are written.
ROLES = [
    "anonymous",
    "admin",
    "staff",
    "other_staff",
    "coach",
    "other_coach",
    "fellow",
    "peer",
    "classmate",
    "other_cohort_fellow",
    "alumnus",
    "withdrawn",
]


@dataclass
class Cast:
    program: object
    cohort: object
    past_cohort: object
    sibling_cohort: object
    other_program: object
    other_cohort: object
    group: object
    users: dict
    enrollments: dict

    def user(self, role):
        return self.users.get(role)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_cast() -> Cast:
    program = ProgramFactory(name="Health Equity Leadership Institute", slug="heli")
    other_program = ProgramFactory(name="Scholars Program", slug="scholars")
    cohort = CohortFactory(program=program, name="2026–2027 cohort")
    past_cohort = CohortFactory(
        program=program,
        name="2025–2026 cohort",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 8, 31),
        status=CohortStatus.COMPLETED,
    )
    sibling_cohort = CohortFactory(
        program=program,
        name="2026 spring cohort",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2027, 2, 28),
    )
    other_cohort = CohortFactory(program=other_program, name="Scholars 2026")

    users = {
        "admin": UserFactory(
            email="admin@example.org", full_name="Ada Admin", is_superuser=True, is_staff=True
        ),
        "staff": UserFactory(email="staff@example.org", full_name="Sam Staff"),
        "other_staff": UserFactory(email="other.staff@example.org", full_name="Olga Otherstaff"),
        "coach": UserFactory(email="coach@example.org", full_name="Cora Coach"),
        "other_coach": UserFactory(email="other.coach@example.org", full_name="Otto Othercoach"),
        "fellow": UserFactory(email="fellow@example.org", full_name="Fiona Fellow"),
        "peer": UserFactory(email="peer@example.org", full_name="Pedro Peer"),
        "classmate": UserFactory(email="classmate@example.org", full_name="Clara Classmate"),
        "other_cohort_fellow": UserFactory(email="sibling@example.org", full_name="Sid Sibling"),
        "alumnus": UserFactory(email="alumnus@example.org", full_name="Alma Alumna"),
        "withdrawn": UserFactory(email="withdrawn@example.org", full_name="Will Withdrawn"),
    }
    ProgramStaffFactory(program=program, user=users["staff"], role=StaffRole.DIRECTOR)
    ProgramStaffFactory(program=other_program, user=users["other_staff"])

    enrollments = {
        "fellow": EnrollmentFactory(
            cohort=cohort,
            user=users["fellow"],
            state="HI",
            agency="Hawaii Medicaid",
            sector=Sector.MEDICAID,
        ),
        "peer": EnrollmentFactory(
            cohort=cohort,
            user=users["peer"],
            state="PR",
            agency="Puerto Rico Health",
            sector=Sector.PUBLIC_HEALTH,
        ),
        "classmate": EnrollmentFactory(
            cohort=cohort,
            user=users["classmate"],
            state="GU",
            agency="Guam Public Health",
            sector=Sector.CHILD_WELFARE,
        ),
        "other_cohort_fellow": EnrollmentFactory(
            cohort=sibling_cohort,
            user=users["other_cohort_fellow"],
            state="TX",
            sector=Sector.LEGISLATURE,
        ),
        "alumnus": EnrollmentFactory(
            cohort=past_cohort,
            user=users["alumnus"],
            status=EnrollmentStatus.COMPLETED,
            state="NM",
            sector=Sector.GOVERNORS_OFFICE,
        ),
        "withdrawn": EnrollmentFactory(
            cohort=cohort,
            user=users["withdrawn"],
            status=EnrollmentStatus.WITHDRAWN,
            state="WA",
            sector=Sector.COMMUNITY,
        ),
    }
    CoachProfileFactory(user=users["coach"], programs=[program])
    CoachProfileFactory(user=users["other_coach"], programs=[program])
    CoachAssignmentFactory(coach=users["coach"], enrollment=enrollments["fellow"])
    CoachAssignmentFactory(coach=users["other_coach"], enrollment=enrollments["classmate"])

    group = PeerGroupFactory(cohort=cohort, name="Group Kōkua")
    PeerGroupMembershipFactory(group=group, enrollment=enrollments["fellow"])
    PeerGroupMembershipFactory(group=group, enrollment=enrollments["peer"])

    return Cast(
        program=program,
        cohort=cohort,
        past_cohort=past_cohort,
        sibling_cohort=sibling_cohort,
        other_program=other_program,
        other_cohort=other_cohort,
        group=group,
        users=users,
        enrollments=enrollments,
    )


# Tables migrate fills (not test data): emptying the database keeps them.
MIGRATION_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
VACUUM_EVERY = 100
DEAD_ROWS_WORTH_A_VACUUM = 200


class SharedCast:
    """The cast, built once per test session and committed, so a test only pays for the
    rows it adds: each test's transaction rolls back what it changed and the `cast` fixture
    hands it a deep copy of the objects (attributes cached on them stay the test's own).

    Transactional tests (the live server's browser tests, autocommit tests) end with every
    table flushed; `rebuild_if_flushed` then builds the cast again for the tests after them.
    """

    def __init__(self) -> None:
        self.pristine: Cast | None = None
        self.blocker = None
        # The tables the cast wrote rows in (its triggers and listeners included).
        self.cast_tables: list[str] = []
        self.tests_since_vacuum = 0

    def build_in_empty_database(self) -> None:
        # A reused test database (--reuse-db) may hold rows of an interrupted run.
        self.empty_tables()
        self.pristine = build_cast()
        self.cast_tables = _tables_with_rows(_emptied_tables())

    def forget(self) -> None:
        self.pristine = None
        self.cast_tables = []

    def hide(self) -> None:
        """Empties the database for a test that did not ask for the cast (in its transaction,
        if any). A test starts with the cast's rows and nothing else committed: the cast is
        built in emptied tables, and after a transactional test every table is emptied and
        the cast built again. So deleting from the cast's tables empties them all."""
        if self.pristine is None or connection.vendor != "postgresql":
            self.empty_tables()
            return
        self.empty_tables(self.cast_tables)

    def empty_tables(self, tables: list[str] | None = None) -> None:
        """Deletes every row a test could have made (in the current transaction, if any)."""
        if tables is None:
            tables = _emptied_tables()
        if not tables:
            return
        # The audit log refuses DELETE outside a purge (audit/migrations/0002 and 0003).
        with transaction.atomic(), deletes_allowed():
            if connection.vendor != "postgresql":
                statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
                connection.ops.execute_sql_flush(statements)
                return
            # On PostgreSQL, DELETE with the foreign keys checked at commit: TRUNCATE gives
            # every table a new file and took about 3 s for the ~100 tables, DELETE of the few
            # rows a test leaves is a fraction of that.
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("; ".join(f"DELETE FROM {quote(table)}" for table in tables))

    def vacuum_now_and_then(self) -> None:
        """Every rolled-back test leaves its rows behind as dead tuples until a VACUUM, and
        a server with autovacuum off (as some CI machines have) never runs one: each query
        then reads past thousands of them and the suite slows as it goes. So every
        VACUUM_EVERY tests, the tables with many dead rows are vacuumed and analyzed."""
        self.tests_since_vacuum += 1
        if self.tests_since_vacuum < VACUUM_EVERY or self.blocker is None:
            return
        self.tests_since_vacuum = 0
        with self.blocker.unblock():
            if connection.vendor != "postgresql" or connection.in_atomic_block:
                return
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > %s",
                    [DEAD_ROWS_WORTH_A_VACUUM],
                )
                tables = [name for (name,) in cursor.fetchall()]
                if tables:
                    quote = connection.ops.quote_name
                    names = ", ".join(quote(table) for table in tables)
                    cursor.execute(f"VACUUM (ANALYZE) {names}")

    def rebuild_if_flushed(self) -> None:
        if self.pristine is None or self.blocker is None:
            return
        with self.blocker.unblock():
            if not User.objects.filter(pk=self.pristine.users["admin"].pk).exists():
                self.build_in_empty_database()


def _emptied_tables() -> list[str]:
    return sorted(
        set(connection.introspection.django_table_names(only_existing=True)) - MIGRATION_TABLES
    )


def _tables_with_rows(tables: list[str]) -> list[str]:
    if not tables:
        return []
    quote = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union, tables)
        return sorted(name for (name,) in cursor.fetchall())
