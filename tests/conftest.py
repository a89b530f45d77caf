import copy
import itertools

import pytest
from django.db import connection
from django.test import Client, TransactionTestCase

from . import databases
from .mfa import mark_mfa_done
from .personas import ROLES, SharedCast

# The cast is built once per test session (per xdist worker) and committed; see SharedCast.
SHARED_CAST = SharedCast()


def _empty_tables_after_a_transactional_test(self) -> None:
    """Replaces Django's `flush` after a transactional test (the live server's browser tests,
    autocommit tests): the same empty tables, without TRUNCATE's cost on PostgreSQL, and the
    content types and permissions left as migrate made them (flush recreates them)."""
    SHARED_CAST.empty_tables()


TransactionTestCase._fixture_teardown = _empty_tables_after_a_transactional_test


@pytest.fixture(scope="session")
def _migrated_template(request, django_db_modify_db_settings, django_db_blocker):
    """Under pytest-xdist on PostgreSQL: a function giving the run's migrated template
    database, migrated by the first worker that asks (tests/databases.py); else None."""
    run_id = getattr(request.config, "workerinput", {}).get("testrunuid")
    if not run_id or connection.vendor != "postgresql":
        return None

    def name() -> str:
        with django_db_blocker.unblock():
            return databases.migrated_template(run_id)

    return name


@pytest.fixture(scope="session")
def _worker_database_copied(request, _migrated_template, django_db_blocker) -> bool:
    """Each worker's database is a copy of the run's migrated template, not migrated by
    each worker; True when the worker's database is ready (copied, or kept as it is)."""
    if _migrated_template is None:
        return False
    with django_db_blocker.unblock():
        reuse = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
        if reuse and databases.worker_database_exists():
            return True
        databases.copy_for_this_worker(_migrated_template())
    return True


@pytest.fixture(scope="session")
def django_db_keepdb(request, _worker_database_copied) -> bool:
    return _worker_database_copied or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_createdb(request, _worker_database_copied) -> bool:
    return not _worker_database_copied and request.config.getvalue("create_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    SHARED_CAST.blocker = django_db_blocker
    with django_db_blocker.unblock():
        SHARED_CAST.build_in_empty_database()
    yield
    SHARED_CAST.forget()


@pytest.fixture
def cast(db):
    """The shared cast's rows, with objects of this test's own: whatever the test changes,
    in the database (rolled back) or on the objects (copied), no other test sees."""
    return copy.deepcopy(SHARED_CAST.pristine)


@pytest.fixture(autouse=True)
def _no_cast_unless_asked(request):
    """A test that uses the database without the cast starts from an empty one, as it
    would without a shared cast (counts of users or cohorts stay the test's own)."""
    if "cast" in request.fixturenames or not _uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")  # inside the test's transaction, if any
    SHARED_CAST.hide()


def _uses_database(request) -> bool:
    names = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    return bool(names & set(request.fixturenames)) or bool(
        request.node.get_closest_marker("django_db")
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The integration tests first (after pytest-django's ordering): they mostly wait on
    their own processes, so under xdist one worker waits while the others run the rest."""
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("integration") is None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, autocommit) ends with the tables flushed: put the
    cast back before the next test."""
    yield
    if nextitem is not None:
        SHARED_CAST.rebuild_if_flushed()
        SHARED_CAST.vacuum_now_and_then()


def signed_in_client(cast, role: str) -> Client:
    """A test client logged in as that persona of `cast` (anonymous: no login), having used
    a second factor as staff must (tests/mfa.py; tests/foundation/test_mfa.py signs in
    without one to test that rule)."""
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
        mark_mfa_done(client)
    return client


@pytest.fixture
def client_for(cast):
    """client_for("coach") is signed_in_client(cast, "coach") for the test's cast."""

    def make(role: str) -> Client:
        return signed_in_client(cast, role)

    return make


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


_media_roots = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """A media folder of the test's own, made only when a file is saved in it (tmp_path
    makes one per test and lists every earlier one to number it: a cost growing with the
    suite)."""
    settings.MEDIA_ROOT = new_media_root(tmp_path_factory)


def new_media_root(tmp_path_factory):
    """A path for a media folder no earlier test (or role of a walk) has used."""
    return tmp_path_factory.getbasetemp() / "media" / str(next(_media_roots))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and caches live in the locmem cache: no test may inherit another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every service the suite needs is there."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1
