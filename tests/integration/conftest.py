"""Real processes for the integration tests: Celery workers, the harness (which plays beat
and the web app), a broker, and a database all of them reach.

- Broker: Redis at REDIS_URL when set (CI), else Kombu's filesystem broker in a tmp dir.
  Each test uses its own queue name, so nothing else on that Redis consumes its tasks.
- Database: with DATABASE_URL on PostgreSQL (CI), a database of our own cloned per test
  from a migrated template; else an SQLite file copied per test from a migrated template.
  (pytest-django's in-memory SQLite test database cannot be shared with another process.)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from ..databases import copy_database

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CELERY = str(Path(sys.executable).parent / "celery")


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`, dev.py) the integration tests share one worker,
    the one more than there are cores: they mostly wait on their own processes (restarts,
    retries, timeouts), and the other workers keep the cores busy meanwhile."""
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.xdist_group("integration"))


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _template_db(url: str) -> str:
    """The migrated template's name: one per configured database and per xdist worker, so
    that two runs on one PostgreSQL server (or two workers of one run) never share it."""
    configured = urlsplit(url).path.lstrip("/") or "cohortwise"
    return f"{configured}_it_tpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg2

    connection = psycopg2.connect(_with_db_name(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def postgres_in_use() -> bool:
    return _postgres_url() is not None


def drop_connections(application_name: str) -> int:
    """PostgreSQL: terminates the server side of every connection of the processes that name
    themselves so (CW_IT_APP_NAME), as a failover or a network cut would; returns how many."""
    import psycopg2

    connection = psycopg2.connect(_with_db_name(_postgres_url(), "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = %s",
            [application_name],
        )
        (dropped,) = cursor.fetchone()
    connection.close()
    return dropped


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(binary: str) -> str:
    found = shutil.which(binary)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is required in CI for the integration tests")
        pytest.skip(f"{binary} is not installed")
    return found


def _base_env(directory: Path, database_url: str, broker_url: str, queue: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CW_IT_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.integration.worker_settings",
        CW_IT_DIR=str(directory),
        CW_IT_DATABASE_URL=database_url,
        CW_IT_BROKER_URL=broker_url,
        CW_IT_QUEUE=queue,
        PYTHONPATH=str(ROOT),
    )
    for sub in ("queue", "processed", "outbox", "cache"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    return env


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory, _migrated_template, django_db_blocker):
    directory = tmp_path_factory.mktemp("cw-it-template")
    pg = _postgres_url()
    migrated = _migrated_template() if pg and _migrated_template else None
    if pg and migrated:
        # A copy of the run's migrated template (tests/databases.py): the same migrations.
        template = _template_db(pg)
        with django_db_blocker.unblock():
            copy_database(migrated, template)
        yield _with_db_name(pg, template)
        _pg_admin(pg, f"DROP DATABASE IF EXISTS {template}")
        return
    if pg:
        template = _template_db(pg)
        _pg_admin(pg, f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template}")
        url = _with_db_name(pg, template)
    else:
        url = f"sqlite:///{directory / 'template.sqlite3'}"
    env = _base_env(directory, url, "memory://", "unused")
    subprocess.run(
        [PYTHON, "-m", "tests.integration.harness", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    yield url
    if pg:
        _pg_admin(pg, f"DROP DATABASE IF EXISTS {_template_db(pg)}")


class Stack:
    def __init__(self, directory: Path, database_url: str, broker_url: str):
        self.directory = directory
        self.queue = f"cw-it-{uuid.uuid4().hex[:10]}"
        self.broker_url = broker_url
        self.env = _base_env(directory, database_url, broker_url, self.queue)
        self.workers: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def harness(self, *args, check=True, timeout=60, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, "-m", "tests.integration.harness", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    def spawn_harness(self, *args, **env) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "-m", "tests.integration.harness", *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start_worker(self, **env) -> subprocess.Popen:
        log = self.directory / f"worker-{len(self.workers)}.log"
        self.logs.append(log)
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "config.celery_app",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{len(self.workers)}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        self.wait_for(lambda: "ready." in log.read_text(errors="replace"), 40, "worker ready")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)

    def sent_codes(self) -> list[str]:
        return [p.name.split(".")[0] for p in (self.directory / "outbox").glob("*.eml")]

    def worker_log(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs)

    def ledger_states(self) -> dict[str, int]:
        """Ledger rows per state, as `harness states` prints them, read straight from the
        stack's database: a test polling until every row is sent starts no process (Django
        and all) five times a second while it waits."""
        from notifications.models import Notification

        query = f"SELECT state, COUNT(*) FROM {Notification._meta.db_table} GROUP BY state"
        url = self.env["CW_IT_DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            connection = sqlite3.connect(url.removeprefix("sqlite:///"))
            try:
                return dict(connection.execute(query).fetchall())
            finally:
                connection.close()
        import psycopg2

        connection = psycopg2.connect(url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return dict(cursor.fetchall())
        finally:
            connection.close()

    def wait_for(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}\n{self.worker_log()[-4000:]}")

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
        for process in self.workers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(process)


def _new_database(template_url: str, directory: Path) -> tuple[str, callable]:
    pg = _postgres_url()
    if pg:
        name = f"cohortwise_notif_it_{uuid.uuid4().hex[:8]}"
        _pg_admin(pg, f"CREATE DATABASE {name} TEMPLATE {_template_db(pg)}")
        return _with_db_name(pg, name), lambda: _pg_admin(pg, f"DROP DATABASE IF EXISTS {name}")
    path = directory / "db.sqlite3"
    shutil.copy(template_url.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}", lambda: None


@pytest.fixture
def make_stack(migrated_template, tmp_path):
    """make_stack() -> a Stack on the configured broker; make_stack(broker_url=...) on
    another (a Redis server of the test's own)."""
    stacks, cleanups = [], []

    def make(broker_url: str | None = None) -> Stack:
        directory = tmp_path / f"stack{len(stacks)}"
        directory.mkdir()
        database_url, drop = _new_database(migrated_template, directory)
        cleanups.append(drop)
        url = broker_url or os.environ.get("REDIS_URL") or "filesystem://"
        stack = Stack(directory, database_url, url)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop()
        if stack.broker_url.startswith("redis"):
            try:
                import redis

                client = redis.Redis.from_url(stack.broker_url)
                client.delete(stack.queue)
                # A task unacknowledged by a killed worker waits in Kombu's "unacked" hash
                # for the visibility timeout: drop ours so nothing restores it later.
                for tag, payload in client.hgetall("unacked").items():
                    if stack.queue.encode() in payload:
                        client.hdel("unacked", tag)
                        client.zrem("unacked_index", tag)
            except Exception:  # noqa: BLE001 -- a stopped server has nothing to clean
                pass
    for drop in cleanups:
        drop()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port (never the machine's 6379)."""
    binary = require("redis-server")
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    return
                except OSError:
                    time.sleep(0.1)
            raise AssertionError("redis-server did not start")

        def stop(self):
            if self.process and self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port, not started: the test starts and stops
    it (tests/integration/smtp_server.py)."""
    from .smtp_server import SmtpServer

    server = SmtpServer(free_port())
    yield server
    server.stop()
