"""Walks every (URL, role) pair of tests/matrix/*.py, checks no URL is left out, and checks
that every URL refuses a method it does not serve."""

import importlib
import pickle
import pkgutil
from collections import defaultdict

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import matrix
from .conftest import SHARED_CAST, new_media_root, signed_in_client
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


def test_wrong_methods_are_derived_not_listed():
    listed = [case.id for case in CASES if 405 in {*case.expect.values(), case.default}]
    assert not listed, f"405 is checked for every URL below; drop these cases: {listed}"


# `cast`: the database holds the cast's rows (without it a test starts from an empty one);
# each role takes a copy of the cast's objects of its own.
@pytest.mark.usefixtures("cast")
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission_matrix(case, settings, tmp_path_factory):
    """One case for every role in turn, each from the state the case starts in: one role's
    successful POST must not change what the next one gets. One test per case rather than
    per (case, role) pair spares eleven tests' set-up; every mismatch is listed."""
    # Each role's copy of the cast is unpickled: the same copy as copy.deepcopy's (both go
    # through the objects' __reduce_ex__), in a tenth of the time.
    pristine = pickle.dumps(SHARED_CAST.pristine, pickle.HIGHEST_PROTOCOL)
    mismatches = [
        mismatch
        for role in ROLES
        if (mismatch := _check_as(case, role, pristine, settings, tmp_path_factory)) is not None
    ]
    assert not mismatches, "\n".join(mismatches)


def _check_as(case, role, pristine: bytes, settings, tmp_path_factory) -> str | None:
    """Runs the case as `role` and tells how the answer differs from the table, if it does.
    The role's set-up, sign-in and request happen in a savepoint rolled back after it, with
    a cache, mailbox, media folder and copy of the cast of its own, as a test of its own
    would have them."""
    cache.clear()
    mail.outbox.clear()
    settings.MEDIA_ROOT = new_media_root(tmp_path_factory)
    savepoint = transaction.savepoint()
    try:
        cast = pickle.loads(pristine)
        if case.setup:
            case.setup(cast)
        client = signed_in_client(cast, role)
        url = case.url(cast)
        data = case.data(cast) if case.data else {}
        response = getattr(client, case.method)(url, data)
    except Exception as error:
        error.add_note(f"{case.id} as {role}")
        raise
    finally:
        transaction.savepoint_rollback(savepoint)
    expected = case.status_for(role)
    got = response.status_code
    if expected == LOGIN:
        if got != 302:
            return f"{case.id} as {role}: got {got}, expected a redirect to the login page"
        if not response["Location"].startswith(reverse("account_login")):
            return f"{case.id} as {role}: redirected to {response['Location']}, not to log in"
    elif got != expected:
        return f"{case.id} as {role}: got {got}, expected {expected}"
    return None


def _wrong_method_cases():
    """Per URL: a method its cases never use (POST where they only GET, GET where they only
    POST, PUT where they do both), sent by a role that gets through with the right one, so
    that only the method can be what is refused."""
    cases_of = defaultdict(list)
    for case in CASES:
        cases_of[case.name].append(case)
    derived = []
    for name, cases in cases_of.items():
        methods = {case.method for case in cases}
        wrong = "put" if methods >= {"get", "post"} else ("post" if "get" in methods else "get")
        allowed = [
            (case, role)
            for case in cases
            for role in ROLES
            if case.status_for(role) != LOGIN and 200 <= case.status_for(role) < 400
        ]
        assert allowed, f"{name}: no case lets any role through"
        case, role = allowed[0]
        derived.append(pytest.param(case, role, wrong, id=f"{wrong.upper()} {name} as {role}"))
    return derived


@pytest.mark.parametrize(("case", "role", "method"), _wrong_method_cases())
def test_every_url_refuses_a_method_it_does_not_serve(case, role, method, cast, client_for):
    if case.setup:
        case.setup(cast)
    response = getattr(client_for(role), method)(case.url(cast))
    assert response.status_code == 405, (
        f"{method.upper()} {case.id} as {role}: {response.status_code}"
    )
