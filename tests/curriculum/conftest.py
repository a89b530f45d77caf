import pytest

from tests.factories.curriculum import build_curriculum


@pytest.fixture
def cur(cast):
    return build_curriculum(cast)
