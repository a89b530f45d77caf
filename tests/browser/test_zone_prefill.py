"""The invitation page proposes the zone of the fellow's state; the browser's own zone, when
it has one, is preselected instead: a fellow from Hawaii who now lives on Guam joins in Guam
time."""

import pytest

from accounts.models import User
from cohorts.invitations import invite_enrollments
from cohorts.models import EnrollmentStatus

from ..cohorts.conftest import invitation_links
from ..factories.accounts import InviteeFactory
from ..factories.cohorts import EnrollmentFactory


@pytest.fixture
def invited_from_hawaii(cast, django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory(
        cohort=cast.cohort,
        # Proposed by the roster import from her state (tests/cohorts/test_zone_from_state.py).
        user=InviteeFactory(
            email="leilani@health.hawaii.gov",
            full_name="Leilani Akana",
            time_zone="Pacific/Honolulu",
        ),
        status=EnrollmentStatus.INVITED,
        state="HI",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invite_enrollments(enrollments=[enrollment], by=cast.staff)
    (link,) = invitation_links("leilani@health.hawaii.gov")
    return link


def test_the_browsers_zone_is_preselected_and_saved(browser, live_server, invited_from_hawaii):
    context = browser.new_context(timezone_id="Pacific/Guam")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{invited_from_hawaii}")
        assert page.get_by_label("Your time zone").input_value() == "Pacific/Guam"
        page.fill("input[name=new_password1]", "Kokua-and-aloha-2026")
        page.fill("input[name=new_password2]", "Kokua-and-aloha-2026")
        page.get_by_role("button", name="Set my password and join").click()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert User.objects.get(email="leilani@health.hawaii.gov").time_zone == "Pacific/Guam"
