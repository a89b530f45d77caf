"""The session clock in the browser (static/js/session.js): a warning shortly before an idle
session ends, with a button to stay signed in; once it has ended, what was half typed on the
page is kept on the device and put back after signing in again. Real seconds, short
settings: the server's clock and the page's must agree, so neither is faked."""

from playwright.sync_api import expect

# The fellow's idle limit; the warning shows when this many seconds are left.
IDLE_SECONDS = 20
WARNING_SECONDS = 12


def _settings_page(page, live_server, settings):
    page.goto(f"{live_server.url}/me/settings/")
    expect(page.locator("main h1")).to_have_text("Profile and time zone")
    name = page.locator("#id_full_name")
    name.fill("")
    name.press_sequentially("Fiona Half-typed")  # typed, so the input events fire
    return name


def test_the_warning_comes_before_the_end_and_staying_keeps_the_form(
    cast, login, page, live_server, settings
):
    settings.SESSION_IDLE_SECONDS = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    login(cast.fellow)
    name = _settings_page(page, live_server, settings)
    dialog = page.locator("#session-warning")
    expect(dialog).to_be_hidden()  # more than the warning's seconds are left
    expect(dialog).to_be_visible(timeout=(IDLE_SECONDS - WARNING_SECONDS + 6) * 1000)
    expect(dialog.get_by_role("heading", name="Are you still there?")).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()  # a modal dialog takes focus to its first control
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(name).to_have_value("Fiona Half-typed")
    expect(name).to_be_focused()  # back where the person was typing
    # Still signed in: the form is sent as it is.
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    cast.fellow.refresh_from_db()
    assert cast.fellow.full_name == "Fiona Half-typed"


def test_after_the_end_the_half_typed_form_is_put_back_after_signing_in(
    cast, login, page, live_server, settings
):
    settings.SESSION_IDLE_SECONDS = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    login(cast.fellow)
    _settings_page(page, live_server, settings)
    ended = page.locator("#session-warning [data-session-state=ended]")
    expect(ended).to_be_visible(timeout=(IDLE_SECONDS + 8) * 1000)
    expect(ended.get_by_role("heading")).to_have_text("You have been signed out")
    ended.get_by_role("link", name="Sign in again").click()
    page.fill("input[name=login]", cast.fellow.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form[action^='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_have_text("Profile and time zone")
    expect(page.locator("#id_full_name")).to_have_value("Fiona Half-typed")
    expect(page.locator("#session-restored")).to_be_visible()
    cast.fellow.refresh_from_db()
    assert cast.fellow.full_name == "Fiona Fellow"  # nothing was sent while signed out
