"""Each role logs in through the real login form in Chromium and sees its start page."""

import pytest

from .conftest import screenshot

START_PAGE_HEADINGS = {
    "staff": "Programs",
    "coach": "My fellows",
    "fellow": "Welcome, Fiona Fellow",
    "admin": "Programs",
}


@pytest.mark.parametrize("role", START_PAGE_HEADINGS)
def test_each_role_logs_in_and_sees_its_start_page(role, cast, login, page):
    login(cast.user(role))
    heading = page.locator("main h1").first
    assert START_PAGE_HEADINGS[role] in heading.inner_text()
    assert page.locator("nav[aria-label=Main]").is_visible()
    screenshot(page, f"start-page-{role}")


def test_wrong_password_shows_the_error_next_to_the_form(cast, login, page):
    login(cast.fellow, password="not-the-password")
    assert "not correct" in page.locator("form[action='/accounts/login/']").inner_text()
