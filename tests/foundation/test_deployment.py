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


def test_the_web_image_has_the_postgresql_client_of_the_compose_database():
    """`manage.py backup` and `restore` run pg_dump and pg_restore, which refuse a server
    of a newer major version than their own."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    server = _compose()["services"]["postgres"]["image"].split(":")[1]
    assert f"ARG POSTGRES_MAJOR={server}" in dockerfile
    assert '"postgresql-client-${POSTGRES_MAJOR}"' in dockerfile
    # Installed before the code is copied: a code change does not reinstall it.
    assert dockerfile.index("postgresql-client") < dockerfile.index("COPY . .")


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


def test_production_mode_keeps_compiled_templates_and_reads_sessions_from_the_cache():
    """Templates are parsed once per process, not on every page; sessions cost no query."""
    # The loaders in use, outermost first (template_partials wraps the cached loader).
    code = (
        "from django.conf import settings; from django.template import engines; "
        "loader = engines['django'].engine.template_loaders[0]; names = []\n"
        "while loader is not None:\n"
        "    names.append(type(loader).__module__)\n"
        "    loader = (getattr(loader, 'loaders', None) or [None])[0]\n"
        "print(*names, settings.SESSION_ENGINE)"
    )
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "fellowship.example.org",
        },
    )
    assert result.returncode == 0, result.stderr
    *loaders, sessions = result.stdout.split()
    assert "django.template.loaders.cached" in loaders
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check", env={"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "example.org"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_secrets_stay_out_of_the_docker_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and ".env.*" in ignored and "!.env.example" in ignored


def test_the_health_check_answers_plain_http_on_the_containers_port(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["fellowship.example.org"]
    # What compose's health check and a load balancer send: HTTP, the container's address.
    for host in ("127.0.0.1:8000", "localhost:8000", "10.0.3.7:8000"):
        response = client.get("/health/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.json()["database"] == "ok"
    # Everything else is still redirected to HTTPS, and refused on an unknown host.
    page = client.get("/accounts/login/", HTTP_HOST="fellowship.example.org")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/health/x", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_beat_finds_a_place_for_its_schedule_on_a_fresh_clone_with_redis(tmp_path):
    var = tmp_path / "fresh" / "var"  # git ignores var/: a fresh clone has none
    script = (
        "import django, shelve; django.setup(); from django.conf import settings; "
        "shelve.open(settings.CELERY_BEAT_SCHEDULE_FILENAME).close(); "
        "print(settings.CELERY_BEAT_SCHEDULE_FILENAME)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(var),
            "REDIS_URL": "redis://127.0.0.1:6399/0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(var))
