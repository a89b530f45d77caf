#!/usr/bin/env python3
"""Follows the README's "Without Docker" section on a clean copy of the repository, with
PostgreSQL and Redis, and checks that the result works; run by
tests/integration/test_without_docker.py, or by hand:

    .venv/bin/python scripts/check_without_docker.py \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres \\
        --redis redis://127.0.0.1:6379/9 [--install]

1. Copies the repository's files (tracked and new, nothing git ignores: no var/, no
   staticfiles/, no .env) to a temporary folder, as a fresh clone would have them.
2. With --install, creates .venv there and runs `pip install -r requirements.txt` (a few
   minutes); without it, uses the environment this script runs in.
3. `cp .env.example .env`, then edits it as the README says: a secret key, the host names,
   DATABASE_URL (a new, empty database on the --postgres server, dropped at the end) and
   REDIS_URL; email printed to the console instead of the example's relay.
4. migrate, collectstatic, createsuperuser (non-interactively), then gunicorn, one worker
   and beat with the README's commands (gunicorn on a free loopback port, with two workers).
5. Checks: /health/ over plain HTTP reports the database and `"worker_ok": true` (beat
   queued the heartbeat and a worker ran it); the sign-in page renders over HTTPS as a proxy
   would forward it, and every stylesheet and script it links is served (the hashed names
   collectstatic wrote).
6. Stops gunicorn, the worker and beat (SIGTERM) and reports how each stopped.

Exit status 0 when every check passed; the last line says what was checked.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"==> [{time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(with_database(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def copy_repository(target: Path) -> None:
    """The files a fresh clone has: tracked ones and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def write_env(folder: Path, settings: dict[str, str]) -> None:
    """`cp .env.example .env`, then the edits the README asks for."""
    lines = []
    for line in (folder / ".env.example").read_text().splitlines():
        name = line.lstrip("# ").split("=", 1)[0]
        if name in settings and "=" in line:
            line = f"{name}={settings.pop(name)}"
        lines.append(line)
    lines += [f"{name}={value}" for name, value in settings.items()]
    (folder / ".env").write_text("\n".join(lines) + "\n")


class Site:
    def __init__(self, folder: Path, bin_dir: Path, port: int):
        self.folder, self.bin_dir, self.port = folder, bin_dir, port
        self.processes: dict[str, subprocess.Popen] = {}
        # Nothing of this shell's Django or test settings: .env alone configures the site.
        self.env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": os.environ.get("HOME", str(folder)),
            "LANG": "C.UTF-8",
            "VIRTUAL_ENV": str(bin_dir.parent),
        }

    def run(self, *command: str, **env) -> str:
        say(" ".join(command))
        done = subprocess.run(
            list(command),
            cwd=self.folder,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, name: str, *command: str) -> None:
        say(" ".join(command))
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            list(command), cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited ({process.returncode}):\n{self.log(name)[-3000:]}")

    def get(self, path: str, https: bool = False) -> tuple[int, bytes, str]:
        headers = {"Host": "127.0.0.1"}
        if https:
            headers["X-Forwarded-Proto"] = "https"  # as a proxy that terminates TLS says
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers.get("Content-Type", "")

    def stop(self) -> dict[str, int | None]:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes = {}
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = None  # did not stop on SIGTERM
        return codes


def wait_for(what: str, check, timeout: float, site: Site):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        site.alive()
        found = check()
        if found:
            return found
        time.sleep(1)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def health(site: Site) -> dict | None:
    try:
        status, body, _ = site.get("/health/")
    except OSError:
        return None  # not listening yet
    return json.loads(body) if status == 200 else None


def check_page_and_static(site: Site) -> list[str]:
    status, body, _ = site.get("/accounts/login/", https=True)
    if status != 200:
        raise SystemExit(f"the sign-in page answered {status}")
    page = body.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    if not any(a.endswith(".css") for a in assets):
        raise SystemExit(f"the sign-in page links no stylesheet:\n{page[:2000]}")
    for asset in assets:
        status, content, kind = site.get(asset, https=True)
        expected = "text/css" if asset.endswith(".css") else "javascript"
        if status != 200 or not content or expected not in kind:
            raise SystemExit(f"{asset}: {status} {kind!r}, {len(content)} bytes")
    return assets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True, help="a PostgreSQL server (any database)")
    parser.add_argument("--redis", required=True, help="a Redis URL nothing else consumes from")
    parser.add_argument("--install", action="store_true", help="create .venv and pip install")
    parser.add_argument("--heartbeat-timeout", type=float, default=180)
    args = parser.parse_args()

    database = f"cohortwise_readme_{uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="cohortwise-readme-"))
    site = None
    started = time.monotonic()
    try:
        say(f"A fresh copy of the repository in {folder}")
        copy_repository(folder)
        if args.install:
            say("python3 -m venv .venv && pip install -r requirements.txt")
            subprocess.run([sys.executable, "-m", "venv", str(folder / ".venv")], check=True)
            pip = folder / ".venv" / "bin" / "pip"
            subprocess.run(
                [str(pip), "install", "-q", "-r", "requirements.txt"], cwd=folder, check=True
            )
            bin_dir = folder / ".venv" / "bin"
        else:
            bin_dir = Path(sys.executable).parent
        admin(args.postgres, f"CREATE DATABASE {database}")
        port = free_port()
        write_env(
            folder,
            {
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
                "SITE_URL": f"https://127.0.0.1:{port}",
                "DATABASE_URL": with_database(args.postgres, database),
                "REDIS_URL": args.redis,
                "EMAIL_URL": "consolemail://",
            },
        )
        site = Site(folder, bin_dir, port)
        python = str(bin_dir / "python")
        site.run(python, "manage.py", "migrate")
        site.run(python, "manage.py", "collectstatic", "--no-input")
        site.run(
            python,
            "manage.py",
            "createsuperuser",
            "--no-input",
            "--email",
            "you@example.org",
            "--full_name",
            "Your Name",
            DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(16),
        )
        site.start(
            "gunicorn",
            str(bin_dir / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        )
        celery = str(bin_dir / "celery")
        site.start("worker", celery, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2")
        site.start("beat", celery, "-A", "config", "beat", "--loglevel=INFO")

        first = wait_for("/health/ to answer", lambda: health(site), 90, site)
        if first.get("database") != "ok":
            raise SystemExit(f"/health/ says {first}")
        say("/health/ answers; waiting for beat's heartbeat to be run by the worker")
        alive = wait_for(
            '"worker_ok": true on /health/',
            lambda: (found := health(site)) and found.get("worker_ok") and found,
            args.heartbeat_timeout,
            site,
        )
        assets = check_page_and_static(site)
        schedule = folder / "var" / "celerybeat-schedule"
        if not list(schedule.parent.glob("celerybeat-schedule*")):
            raise SystemExit("beat wrote no schedule file in var/")
        codes = site.stop()
        site = None
        if any(code is None for code in codes.values()):
            raise SystemExit(f"did not stop on SIGTERM: {codes}")
        print(
            "WITHOUT DOCKER OK "
            + json.dumps(
                {
                    "seconds": round(time.monotonic() - started, 1),
                    "worker_heartbeat": alive["worker_heartbeat"],
                    "static_files_served": len(assets),
                    "exit_codes": codes,
                }
            ),
            flush=True,
        )
        return 0
    finally:
        if site is not None:
            for name in site.processes:
                print(f"--- {name} log (last lines)\n{site.log(name)[-2000:]}", flush=True)
            site.stop()
        try:
            admin(args.postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        except Exception as error:  # noqa: BLE001 -- the checks' outcome matters more
            print(f"could not drop {database}: {error}")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
