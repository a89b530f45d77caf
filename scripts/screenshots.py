#!/usr/bin/env python
"""Takes the README's screenshots from the demo program, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [NAME ...]

Seeds a scratch SQLite database, serves it on 127.0.0.1:8765 and saves PNGs to
docs/screenshots/ (only the NAMEs given, such as `focused-nav-link`, else all of them).
Needs /usr/bin/chromium (apt-get install chromium).
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "cohortwise-demo"
FELLOW = "fellow.amara.okafor@cohortwise.demo"


def main() -> None:
    scratch = tempfile.mkdtemp()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch}/shots.sqlite3"}
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload"], cwd=ROOT, env=env
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/health/")
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        wanted = set(sys.argv[1:])
        shots = [
            (FELLOW, "/", "fellow-home", None),
            (FELLOW, "/plans/mine/", "action-plan", None),
            (FELLOW, "/", "focused-nav-link", focus_first_nav_link),
            ("staff@cohortwise.demo", "/reports/", "cohort-dashboard", open_a_cohort),
            ("coach@cohortwise.demo", "/coaching/", "coach-home", None),
        ]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for email, path, name, then in shots:
                if not wanted or name in wanted:
                    shoot(browser, email, path, name, then)
            browser.close()
    finally:
        server.terminate()
        server.wait()


def shoot(browser, email, path, name, then=None):
    """Signs in as `email`, opens `path`, lets `then` act on the page (and name the element
    to take, the window by default) and saves the picture as NAME.png."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{BASE}{path}")
    page.wait_for_load_state("networkidle")
    subject = (then(page) if then else None) or page
    subject.screenshot(path=str(OUT / f"{name}.png"))
    print(f"saved docs/screenshots/{name}.png")
    context.close()


def open_a_cohort(page):
    page.locator("a[href*='/reports/cohorts/']").first.click()
    page.wait_for_load_state("networkidle")


def focus_first_nav_link(page):
    """The bar with its first link focused from the keyboard (skip link, name, then it), to
    show the focus ring."""
    for _ in range(3):
        page.keyboard.press("Tab")
    return page.locator("header")


if __name__ == "__main__":
    main()
