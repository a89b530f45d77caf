import pytest
from django.test import Client

from .mfa import mark_mfa_done
from .personas import ROLES, build_cast


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def client_for(cast):
    """client_for("coach") is a test client logged in as that persona (anonymous: no login),
    having used a second factor as staff must (tests/mfa.py; tests/foundation/test_mfa.py
    signs in without one to test that rule)."""

    def make(role: str) -> Client:
        client = Client()
        user = cast.user(role)
        if user is not None:
            client.force_login(user)
            mark_mfa_done(client)
        return client

    return make


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
