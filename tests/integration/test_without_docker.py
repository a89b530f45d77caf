"""The README's "Without Docker" section, run as written on a fresh copy of the repository
with PostgreSQL and a Redis of the test's own (scripts/check_without_docker.py): migrate,
collectstatic, createsuperuser, gunicorn, a worker and beat; /health/ reports the worker
alive and the sign-in page renders with its static files; everything stops on SIGTERM.

The section names PostgreSQL and Redis, and CI runs PostgreSQL: with SQLite (a laptop's
default) the test does not exist. It uses this environment's packages instead of a new
`pip install -r requirements.txt` (the script does that with --install).
"""

import subprocess
import sys

import pytest

from .conftest import ROOT, _postgres_url, _with_db_name, postgres_in_use

pytestmark = pytest.mark.integration

if postgres_in_use():

    def test_the_readme_without_docker_runs_as_written(own_redis):
        result = subprocess.run(
            [
                sys.executable,
                "scripts/check_without_docker.py",
                "--postgres",
                _with_db_name(_postgres_url(), "postgres"),
                "--redis",
                own_redis.url,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        output = result.stdout + result.stderr
        print(output[-3000:])
        assert result.returncode == 0, output[-6000:]
        assert "WITHOUT DOCKER OK" in result.stdout
        assert '"exit_codes": {"gunicorn": 0, "worker": 0, "beat": 0}' in result.stdout
