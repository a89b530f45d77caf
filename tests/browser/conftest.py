"""Playwright with Debian's Chromium. Browser tests run against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")

# Playwright's sync API runs an event loop in this thread; the ORM calls that test set-up
# makes are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, live_server, user, password="pw-for-tests-1"):
    """Signs in through the real allauth form. People who must use a second factor (staff,
    admins) get an authenticator app and type its code."""
    from accounts.mfa import must_use_mfa

    from ..mfa import give_totp, totp_code

    needs_code = must_use_mfa(user)
    if needs_code and not user.authenticator_set.filter(type="totp").exists():
        give_totp(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    if needs_code and page.locator("input[name=code]").count():
        page.fill("input[name=code]", totp_code())
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def login(page, live_server):
    """login(user) signs in on the test's page and returns it."""

    def do_login(user, password="pw-for-tests-1"):
        return sign_in(page, live_server, user, password)

    return do_login


def screenshot(page, name: str) -> str:
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path
