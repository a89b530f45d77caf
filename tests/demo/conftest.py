"""The demo, seeded once per moment per test process.

`seed_demo` takes seconds; the demo's tests each read what it leaves at one of three moments
(the autumn term, the spring term, today). The first test that asks for a moment runs
`seed_demo` in its own transaction and the rows are copied out (PostgreSQL's COPY); every later
test of that moment gets the same rows copied back into its own transaction, with the files
the seed stored, what it printed and the calendar changes it announced. Seeding a second time
is tested once per moment (test_seed_demo.py), over every table.
"""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from networks import services as network_services

from ..personas import MIGRATION_TABLES, SharedCast

AUTUMN = datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC)
SPRING = datetime.datetime(2027, 4, 14, 15, 0, tzinfo=datetime.UTC)


@dataclass
class Seeded:
    output: str  # what seed_demo printed (the logins)
    calendar_changes: list[tuple[str, int, dict]] = field(default_factory=list)
    tables: dict[str, bytes] = field(default_factory=dict)
    media: Path | None = None


_SNAPSHOTS: dict[object, Seeded] = {}


def run_seed_demo(*args: str) -> Seeded:
    """Runs seed_demo in the current transaction, noting the calendar changes it announces
    (model label, primary key, keyword arguments of networks' calendar hook)."""
    seeded = Seeded(output="")
    real_hook = network_services.hooks.calendar_event_changed

    def spy(instance, *hook_args, **kwargs):
        seeded.calendar_changes.append((instance._meta.label, instance.pk, kwargs))
        return real_hook(instance, *hook_args, **kwargs)

    out = StringIO()
    with mock.patch.object(network_services.hooks, "calendar_event_changed", spy):
        call_command("seed_demo", *args, stdout=out)
    seeded.output = out.getvalue()
    return seeded


def _tables() -> list[str]:
    names = connection.introspection.django_table_names(only_existing=True)
    return sorted(set(names) - MIGRATION_TABLES)


def _copy_out(seeded: Seeded) -> None:
    with connection.cursor() as cursor:
        for table in _tables():
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            if buffer.tell():
                seeded.tables[table] = buffer.getvalue()
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        seeded.media = Path(tempfile.mkdtemp(prefix="demo-media-"))
        shutil.copytree(media, seeded.media, dirs_exist_ok=True)


def _copy_in(seeded: Seeded) -> None:
    SharedCast().empty_tables()
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit (deferred), so the tables load in any order.
        for table, rows in seeded.tables.items():
            quoted = connection.ops.quote_name(table)
            cursor.cursor.copy_expert(f"COPY {quoted} FROM STDIN", io.BytesIO(rows))
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    if seeded.media is not None:
        shutil.copytree(seeded.media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)


@pytest.fixture
def seeded_demo(db, _media_root):
    """seeded_demo(AUTUMN) loads the demo as seed_demo leaves it at that moment (without a
    moment: today) into this test's transaction, and returns a Seeded (what it printed, its
    calendar changes). Call it inside the test's own time travel to that moment."""

    def load(moment: datetime.datetime | None = None) -> Seeded:
        # Today's demo is keyed by the day: its dates follow the real clock.
        key = moment or ("today", datetime.datetime.now(datetime.UTC).date())
        if connection.vendor != "postgresql":  # no COPY: seed each time
            return _seed_at(moment)
        if key in _SNAPSHOTS:
            _copy_in(_SNAPSHOTS[key])
            return _SNAPSHOTS[key]
        seeded = _seed_at(moment)
        _copy_out(seeded)
        _SNAPSHOTS[key] = seeded
        return seeded

    return load


def _seed_at(moment: datetime.datetime | None) -> Seeded:
    SharedCast().empty_tables()
    if moment is None:
        return run_seed_demo()
    with time_machine.travel(moment, tick=False):
        return run_seed_demo()


def pytest_sessionfinish(session):
    for seeded in _SNAPSHOTS.values():
        if seeded.media is not None:
            shutil.rmtree(seeded.media, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`, dev.py) the demo's tests share one worker,
    so each moment is seeded once per run rather than once per worker."""
    for item in items:
        if "tests/demo/" in item.path.as_posix():
            item.add_marker(pytest.mark.xdist_group("demo"))
