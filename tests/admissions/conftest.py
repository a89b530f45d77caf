import pytest

from tests.factories.admissions import build_admissions


@pytest.fixture
def adm(cast):
    return build_admissions(cast)


@pytest.fixture
def login(client_for):
    """A client signed in as any user (applicants and reviewers are not personas)."""
    from django.test import Client

    from tests.mfa import mark_mfa_done

    def make(user):
        client = Client()
        client.force_login(user)
        mark_mfa_done(client)
        return client

    return make
