#!/usr/bin/env python3
"""The two set-up commands of the README, needing nothing but Python 3.11+ and git.

    python3 dev.py run    install, migrate, load the demo, run web + Celery worker + beat
    python3 dev.py test   install, check lint, layers and types, run the whole test suite
                          (extra arguments go to pytest)

Both create ./.venv on first use and reinstall only when a requirements file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".requirements.sha256"
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def requirements_digest() -> str:
    digest = hashlib.sha256()
    for name in REQUIREMENTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs on whatever python3 is installed
        sys.exit("Cohortwise needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = requirements_digest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        say("Installing Python packages (first run takes a minute or two)")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-r", "requirements-dev.txt")
        STAMP.write_text(digest)
    (ROOT / "var").mkdir(exist_ok=True)


def manage(*args) -> None:
    run(PYTHON, "manage.py", *args)


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; install it where we are allowed to."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Installing Debian's chromium for the browser tests")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False)
    if not CHROMIUM.exists():
        print(
            "Chromium is not installed: browser tests will be skipped (apt-get install chromium)."
        )


def cmd_run() -> None:
    ensure_environment()
    say("Preparing the database and the demo program")
    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo")
    print()
    say("Cohortwise is starting at http://127.0.0.1:8000  (Ctrl-C stops web, worker and beat)")
    print("Log in with any address above and the password printed with it.\n", flush=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    os.execve(str(BIN / "honcho"), [str(BIN / "honcho"), "start", "-f", "Procfile"], env)


def cmd_test(extra: list[str]) -> None:
    ensure_environment()
    ensure_chromium()
    # mypy is the slowest check (about 12 s of CPU on a fresh clone, without its cache) and
    # uses one core: it runs beside the quicker checks and then beside the test suite's
    # start (one process migrates the test database while the others wait), its report shown
    # after the tests. A failure of any check fails the command.
    mypy = subprocess.Popen(
        [str(BIN / "mypy"), "."],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        say("Checking migrations and lint")
        manage("makemigrations", "--check", "--dry-run", "-v", "0")
        run(BIN / "ruff", "check", ".")
        run(BIN / "ruff", "format", "--check", ".")
        say("Checking the layering (import-linter contracts in pyproject.toml)")
        run(BIN / "lint-imports")
        say("Running the test suite (types are checked meanwhile)")
        result = subprocess.run([str(BIN / "pytest"), *pytest_defaults(), *extra], cwd=ROOT)
    except BaseException:
        mypy.kill()
        mypy.wait()
        raise
    say("Checking types (mypy with django-stubs, settings in pyproject.toml)")
    report, _ = mypy.communicate()
    print(report, end="", flush=True)
    if mypy.returncode:
        raise subprocess.CalledProcessError(mypy.returncode, [str(BIN / "mypy"), "."])
    sys.exit(result.returncode)


def pytest_defaults() -> list[str]:
    """One worker per core (at most four) and one more for the integration tests, which
    mostly wait on the processes they start; tests marked with one xdist_group on one worker
    (the demo's, which share a seed; the integration tests); the test database kept between
    local runs. CI always starts from a fresh one: its PostgreSQL outlives a run. Arguments
    given to `dev.py test` come after these and win."""
    database = "--create-db" if os.environ.get("CI") else "--reuse-db"
    workers = min(os.cpu_count() or 1, 4) + 1
    return [f"--numprocesses={workers}", "--dist=loadgroup", database]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "run":
        cmd_run()
    else:
        cmd_test(sys.argv[2:])


if __name__ == "__main__":
    main()
