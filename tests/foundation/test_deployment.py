"""The production wiring that cannot run here (no Docker engine) is checked by reading it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_compose_runs_every_part_of_the_stack():
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn config.wsgi:application" in _command(services["web"])
    assert "migrate" in _command(services["web"])
    assert _command(services["worker"]).startswith("celery -A config worker")
    assert _command(services["beat"]).startswith("celery -A config beat")
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_app_services_read_the_same_environment():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production", name
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert "@postgres:5432/" in env["DATABASE_URL"], name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        assert services[name]["env_file"] == ".env", name
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_dockerfile_serves_with_gunicorn_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert 'CMD ["gunicorn", "config.wsgi:application"' in dockerfile


def test_procfile_runs_web_worker_and_beat():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert set(lines) == {"web", "worker", "beat"}
    assert "celery -A config worker" in lines["worker"]
    assert "celery -A config beat" in lines["beat"]


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "fellowship.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check", env={"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "example.org"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
