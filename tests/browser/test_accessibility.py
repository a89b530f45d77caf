"""Every page kind each role can reach, and every form in its error state, passes axe-core
with no serious or critical finding and does not scroll sideways at 320 px.

The pages come from the permission matrix (tests/matrix/): each GET case a role gets 200 on
is a page kind, each POST case it gets 200 on is a form shown back with its errors. A new
URL with its matrix cases is therefore checked here with nothing to add. The sign-in and
account pages of allauth, which the matrix leaves to their authors, are added below.

One browser page per role shows what Django's test client answers in this thread (see
`a11y.InProcessSite`); each case's set-up is rolled back before the next.
"""

from __future__ import annotations

import copy

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from ..conftest import SHARED_CAST
from ..test_permission_matrix import CASES
from .a11y import (
    WIDE,
    InProcessSite,
    at_both_widths,
    axe_findings,
    error_links_without_a_target,
    errors_announced_twice,
    install_axe,
)

ROLES = ["anonymous", "admin", "staff", "coach", "fellow", "peer", "alumnus"]
# The staff's pages are split in two tests, so that pytest-xdist spreads them over workers.
PARTS = {"staff": 2}

# Pages of allauth (sign-in, password, two-factor) that people see, by who sees them.
LIBRARY_PAGES = {
    "anonymous": ["account_login", "account_reset_password"],
    "signed_in": ["account_change_password", "account_email", "mfa_index"],
}
LOGIN_WITH_A_WRONG_PASSWORD = {"login": "fellow@example.org", "password": "not-it"}


def _kinds(role, part=0):
    """(label, case) for every case the role gets a page from. The site admin sees the staff's
    pages as the staff do (the same templates and links): only the pages the staff do not get
    are checked again as the admin."""
    cases = [case for case in CASES if case.status_for(role) == 200]
    if role == "admin":
        cases = [case for case in cases if case.status_for("staff") != 200]
    parts = PARTS.get(role, 1)
    return [(case.id, case) for i, case in enumerate(cases) if i % parts == part]


def _params():
    return [
        pytest.param(role, part, id=f"{role}-{part + 1}" if PARTS.get(role, 1) > 1 else role)
        for role in ROLES
        for part in range(PARTS.get(role, 1))
    ]


def _sweep(browser, client, role, kinds, *, library=(), adjust=None, not_theirs=False):
    """Checks each case's page (or form in its error state) as `client` sees it. `adjust`
    changes each case's cast after its set-up; with `not_theirs`, a case answered with 403
    or 404 is passed over (it is not this persona's page) and listed in the return value."""
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(15_000)
    install_axe(context)
    page = context.new_page()
    site = InProcessSite()
    site.attach(page)
    report: list[str] = []
    checked = []
    passed_over = []

    def check(label, path, response):
        """Shows the response in the browser and checks it, if it is a page (not a download)."""
        if not response["Content-Type"].startswith("text/html"):
            return
        site.show(page, path, response)
        checked.append(label)
        problems = (
            at_both_widths(page, axe_findings, error_links_without_a_target, errors_announced_twice)
            + site.unexpected()
        )
        for problem in problems:
            report.append(f"{label} ({path}): {problem}")
            print(report[-1])  # as it is found (shown live with `pytest -s`)

    try:
        for label, case in kinds:
            cache.clear()
            case_cast = copy.deepcopy(SHARED_CAST.pristine)
            savepoint = transaction.savepoint()
            try:
                if case.setup:
                    case.setup(case_cast)
                if adjust:
                    adjust(case_cast)
                path = case.url(case_cast)
                data = case.data(case_cast) if case.data else {}
                response = getattr(client, case.method)(path, data)
                if not_theirs and response.status_code in (403, 404):
                    passed_over.append(label)
                    continue
                assert response.status_code == 200, f"{label}: {response.status_code}"
                check(label, path, response)
            finally:
                transaction.savepoint_rollback(savepoint)
        for name in library:
            response = client.get(reverse(name))
            if response.status_code == 200:
                check(f"GET {name}", reverse(name), response)
        if role == "anonymous":
            path = reverse("account_login")
            response = client.post(path, LOGIN_WITH_A_WRONG_PASSWORD)
            check("POST account_login[wrong password]", path, response)
        # A request made after the last page's checks.
        report.extend(f"after the last page: {stray}" for stray in site.unexpected())
    finally:
        context.close()

    assert checked, f"no page checked as {role}"
    assert not report, f"{len(report)} accessibility problems as {role}:\n" + "\n".join(report)
    return checked, passed_over


@pytest.mark.parametrize(("role", "part"), _params())
def test_every_page_passes_axe_for(role, part, cast, client_for, browser):
    library = LIBRARY_PAGES["anonymous" if role == "anonymous" else "signed_in"]
    _sweep(
        browser,
        client_for(role),
        role,
        _kinds(role, part),
        library=library if part == 0 else (),
    )


# The facilitator persona: invited by the program to facilitate a peer group, and neither
# staff, coach nor fellow, so the navigation and start page are a facilitator's alone. The
# matrix's facilitator column is the alumnus (an alumnus may facilitate); here every page
# the alumnus gets is asked for as this persona, facilitating the same group, and what
# answers 403 or 404 (an alumna's own enrollment, directory, plan) is not theirs.
FACILITATOR_PAGES = {
    "GET networks:my_groups",
    "GET networks:group_detail",
    "GET networks:meeting_detail",
    "GET networks:meeting_edit",
    "POST networks:meeting_schedule",
    "GET networks:meeting_schedule",
    "GET announcements:create",
    "GET announcements:mine",
    "GET accounts:settings",
}


def test_every_page_passes_axe_for_the_facilitator(cast, browser):
    from django.test import Client

    from networks.models import PeerGroup

    from ..factories.accounts import UserFactory
    from ..mfa import mark_mfa_done

    facilitator = UserFactory(email="facilitator@example.org", full_name="Fumiko Facilitator")
    cast.program.facilitators.add(facilitator)
    client = Client()
    client.force_login(facilitator)
    mark_mfa_done(client)

    def facilitated_by_the_persona(case_cast):
        # Whatever the case's set-up did, the persona facilitates the cast's group.
        PeerGroup.objects.filter(pk=case_cast.group.pk).update(facilitator=facilitator)
        case_cast.group.facilitator = facilitator

    kinds = [(case.id, case) for case in CASES if case.status_for("alumnus") == 200]
    checked, _ = _sweep(
        browser,
        client,
        "facilitator",
        kinds,
        library=LIBRARY_PAGES["signed_in"],
        adjust=facilitated_by_the_persona,
        not_theirs=True,
    )
    missing = FACILITATOR_PAGES - {label.split("[")[0] for label in checked}
    assert not missing, f"facilitator pages not reached: {sorted(missing)}"
