#!/usr/bin/env python
"""Takes the README's screenshots from the demo program, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py

Seeds a scratch SQLite database, serves it on 127.0.0.1:8765 and saves PNGs to
docs/screenshots/. Needs /usr/bin/chromium (apt-get install chromium).
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
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            shoot(browser, "fellow.amara.okafor@cohortwise.demo", [("/", "fellow-home")])
            shoot(browser, "fellow.amara.okafor@cohortwise.demo", [("/plans/mine/", "action-plan")])
            shoot(browser, "staff@cohortwise.demo", [("/reports/", None)], dashboard=True)
            shoot(browser, "coach@cohortwise.demo", [("/coaching/", "coach-home")])
            browser.close()
    finally:
        server.terminate()
        server.wait()


def shoot(browser, email, pages, dashboard=False):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path, name in pages:
        page.goto(f"{BASE}{path}")
        page.wait_for_load_state("networkidle")
        if dashboard:
            page.locator("a[href*='/reports/cohorts/']").first.click()
            page.wait_for_load_state("networkidle")
            name = "cohort-dashboard"
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
        print(f"saved docs/screenshots/{name}.png")
    context.close()


if __name__ == "__main__":
    main()
