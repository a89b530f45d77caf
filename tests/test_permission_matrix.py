"""Walks every (URL, role) pair of tests/matrix/*.py and checks no URL is left out."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import matrix
from .matrix import LOGIN
from .personas import ROLES

# URL namespaces that belong to libraries, tested by their authors.
THIRD_PARTY_NAMESPACES = {"admin", "djdt"}
THIRD_PARTY_MODULE_PREFIXES = ("allauth.", "django.")


def _load_cases():
    cases = []
    for module_info in pkgutil.iter_modules(matrix.__path__):
        module = importlib.import_module(f"{matrix.__name__}.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases


CASES = _load_cases()


def _project_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in THIRD_PARTY_NAMESPACES:
                continue
            module = getattr(entry.urlconf_module, "__name__", "")
            if module.startswith(THIRD_PARTY_MODULE_PREFIXES):
                continue
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _project_url_names(entry, child_ns)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                continue
            callback_module = getattr(entry.callback, "__module__", "")
            if callback_module.startswith(THIRD_PARTY_MODULE_PREFIXES):
                continue
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_project_url_is_in_the_matrix():
    covered = {case.name for case in CASES}
    missing = sorted(_project_url_names() - covered)
    assert not missing, f"URL patterns with no permission-matrix case: {missing}"


def test_every_case_names_every_role_it_overrides():
    for case in CASES:
        unknown = set(case.expect) - set(ROLES)
        assert not unknown, f"{case.id} names unknown roles {unknown}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission_matrix(case, role, cast, client_for):
    if case.setup:
        case.setup(cast)
    client = client_for(role)
    url = case.url(cast)
    data = case.data(cast) if case.data else {}
    response = getattr(client, case.method)(url, data)
    expected = case.status_for(role)
    if expected == LOGIN:
        assert response.status_code == 302, f"{case.id} as {role}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{case.id} as {role}: got {response.status_code}, expected {expected}"
        )
