"""Queries compiled to SQL once per process and run again with each request's values.

Django builds a query and compiles it to SQL in Python on every call. For the queries a busy
page asks on every request (the navigation's, the fellow home's figures), that work costs
more CPU than running them: a query with twenty subqueries takes milliseconds to compile and
a fraction of one to answer. `CompiledQuery` builds such a query once per *shape* (whatever
decides the form of its SQL) and keeps its SQL; each later call puts its own values in the
places of the parameters they filled.

How the places are found: the query is built twice from stand-in values of the same types
(ids no row has, dates no program uses), and compiled both times. The SQL must come out the
same, and the parameters that differ between the two must be exactly the stand-ins. Anything
else falls back to building the query afresh on every call (correct, only slower): a value
that changes the SQL's text (a LIMIT, an IN list's length), a value the query derives
another one from (`today - 7 days`), a clock read inside the build. What the check cannot
see is a value that changes between requests but is not passed in `values` (a setting, a
row read while building): a build must take everything that varies from `values` and put
the rest in the shape.

On PostgreSQL the kept SQL is also a prepared statement of each connection (PREPARE, then
EXECUTE with the request's values): the server then skips parsing and planning it, which for
the navigation's query cost it more than answering it (a few milliseconds of the server's
CPU on every page). Prepared statements belong to a connection, not to a transaction, so
they outlive a rolled-back one; a pooler that hands a process's statements to other
connections (PgBouncer in transaction mode) needs `DATABASE_PREPARED_STATEMENTS=false`.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
import uuid
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in django-stubs

# A year no program is in: a date or time stand-in never meets a real constant.
_STAND_IN_EPOCH = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)

Values = Mapping[Any, Any]
Build = Callable[[Values], QuerySet]
M = TypeVar("M", bound=Model)
logger = logging.getLogger(__name__)
# Prepared statements' names: unique in the process, whichever CompiledQuery made them.
_STATEMENT_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class _Slot:
    position: int
    key: Hashable
    adapt: Callable[[Any], Any]  # the value as the database driver is given it


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[_Slot, ...]
    compiler: Any  # the SQL compiler of the first build: how its rows become Python values
    alias: str  # the database it was compiled for
    names: tuple[str, ...]
    # (column, (converters, expression)): what Django applies to each column it reads.
    converters: tuple[tuple[int, tuple[list[Any], Any]], ...]
    # On PostgreSQL: the name the SQL is prepared under on each connection (None elsewhere).
    statement: str | None = None


class CompiledQuery:
    """One query of `values()` rows, compiled once per shape; see the module's docstring."""

    def __init__(self) -> None:
        self._compiled: dict[Hashable, _Compiled | None] = {}
        self._counter = itertools.count(1)

    def rows(self, shape: Hashable, values: Values, build: Build) -> list[dict[str, Any]]:
        """`list(build(values))`: the query's rows as dicts of Python values."""
        compiled = self._compiled_for(shape, values, build)
        if compiled is None:
            return list(build(values))
        converted = self._run(compiled, values)
        return [dict(zip(compiled.names, row, strict=True)) for row in converted]

    def instances(
        self, shape: Hashable, values: Values, build: Callable[[Values], QuerySet[M]]
    ) -> list[M]:
        """`list(build(values))` for a query of model instances: its `select_related`
        objects and annotations come with them as Django's own iterator sets them. (Its
        `prefetch_related` would not run: ask those of the instances yourself.)"""
        compiled = self._compiled_for(shape, values, build)
        if compiled is None:
            return list(build(values))
        compiler = compiled.compiler
        # The steps of django.db.models.query.ModelIterable, on the kept compiler.
        select, klass_info = compiler.select, compiler.klass_info
        annotations = compiler.annotation_col_map or {}
        model = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        attnames = [column[0].target.attname for column in select[start:end]]
        db = compiler.using
        populators = get_related_populators(klass_info, select, db)
        found: list[M] = []
        for row in self._run(compiled, values):
            obj = model.from_db(db, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def first(self, shape: Hashable, values: Values, build: Build) -> dict[str, Any]:
        """The first row, or {} when there is none."""
        found = self.rows(shape, values, build)
        return found[0] if found else {}

    def _compiled_for(self, shape: Hashable, values: Values, build: Build) -> _Compiled | None:
        if not all(map(_can_stand_in, values.values())):
            # A None compiles to IS NULL, not to "= %s": this call is built as it is, and
            # neither decides nor uses what is kept for the shape.
            return None
        if shape not in self._compiled:
            self._compiled[shape] = self._compile(values, build)
        return self._compiled[shape]

    @staticmethod
    def _run(compiled: _Compiled, values: Values) -> list[Any]:
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot.position] = slot.adapt(values[slot.key])
        compiler = compiled.compiler
        # The kept compiler belongs to the connection of the thread that compiled it: run and
        # convert on this thread's own (its transaction, its lock on an SQLite file).
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            if compiled.statement and _prepared(
                connection, cursor, compiled.statement, compiled.sql, compiled.params
            ):
                placeholders = ", ".join(["%s"] * len(params))
                cursor.execute(f"EXECUTE {compiled.statement} ({placeholders})", params)
            else:
                cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        if not compiled.converters:
            return fetched
        # Django's SQLCompiler.apply_converters, with the converters found once.
        converted = []
        for row in map(list, fetched):
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def is_reused(self, shape: Hashable) -> bool:
        """Whether this shape's SQL is kept (for tests: a query that falls back is slower)."""
        return self._compiled.get(shape) is not None

    def _compile(self, values: Values, build: Build) -> _Compiled | None:
        first, second = self._stand_ins(values), self._stand_ins(values)
        if first is None or second is None:
            return None
        try:
            queryset = build(first)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            other = build(second)
            other_sql, other_params = other.query.get_compiler(using=other.db).as_sql()
        except (TypeError, ValueError, ValidationError):
            return None  # a stand-in the query refuses (text for a UUID, say)
        if sql != other_sql or len(params) != len(other_params):
            return None
        connection = connections[queryset.db]
        slots = []
        for position, (param, other_param) in enumerate(zip(params, other_params, strict=True)):
            if type(param) is type(other_param) and param == other_param:
                continue  # a constant of the query
            slot = self._slot(position, param, other_param, first, second, connection)
            if slot is None:
                return None  # a value derived from one of ours, or read while building
            slots.append(slot)
        query = queryset.query
        selected = getattr(query, "selected", None)
        if selected:
            names = tuple(selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = tuple(compiler.get_converters(columns).items())
        statement = None
        if connection.vendor == "postgresql" and params and settings.DATABASE_PREPARED_STATEMENTS:
            statement = f"cw_compiled_{next(_STATEMENT_NUMBERS)}"
        return _Compiled(
            sql, tuple(params), tuple(slots), compiler, queryset.db, names, converters, statement
        )

    @staticmethod
    def _slot(
        position: int,
        param: Any,
        other_param: Any,
        first: Mapping[Hashable, Any],
        second: Mapping[Hashable, Any],
        connection: Any,
    ) -> _Slot | None:
        for key, stand_in in first.items():
            for adapt in _adapters(stand_in, connection):
                formed = adapt(stand_in)
                if type(param) is type(formed) and param == formed:
                    if other_param == adapt(second[key]):
                        return _Slot(position, key, adapt)
                    return None
        return None

    def _stand_ins(self, values: Values) -> dict[Hashable, Any] | None:
        stand_ins: dict[Hashable, Any] = {}
        for key, value in values.items():
            n = next(self._counter)
            if not _can_stand_in(value):
                return None
            if isinstance(value, int):
                stand_ins[key] = -(10**15) - n  # no real id or constant is this
            elif isinstance(value, uuid.UUID):
                stand_ins[key] = uuid.uuid4()
            elif isinstance(value, str):
                stand_ins[key] = f"cw-stand-in-{uuid.uuid4().hex}"
            elif isinstance(value, datetime.datetime):
                stand_ins[key] = _STAND_IN_EPOCH + datetime.timedelta(seconds=n, microseconds=7)
            elif isinstance(value, datetime.date):
                stand_ins[key] = _STAND_IN_EPOCH.date() + datetime.timedelta(days=n)
            else:
                return None
        return stand_ins


def _prepared(connection: Any, cursor: Any, statement: str, sql: str, params: tuple) -> bool:
    """Whether the compiled SQL is prepared on this connection, preparing it the first time.

    Sent through the driver's own cursor, so that a test counting a page's queries counts
    the EXECUTE and never the PREPARE (which only the first page on a connection sends).
    A statement PostgreSQL cannot prepare (a value whose type it cannot infer without its
    text) is run unprepared from then on; in a transaction the attempt is made in a
    savepoint, so its failure aborts nothing."""
    raw = connection.connection
    known = getattr(connection, "_cw_prepared", None)
    if known is None or known[0] is not raw:
        # A new connection (the old one closed, or reopened after a failure) has none.
        known = (raw, {})
        connection._cw_prepared = known
    statements: dict[str, bool] = known[1]
    if statement in statements:
        return statements[statement]
    driver_cursor = cursor.cursor
    guard = connection.in_atomic_block
    if guard:
        driver_cursor.execute("SAVEPOINT cw_prepare")
    try:
        types = ", ".join(_parameter_type(value) for value in params)
        driver_cursor.execute(f"PREPARE {statement} ({types}) AS {_numbered(sql)}")
    except connection.Database.Error as error:
        if guard:
            driver_cursor.execute("ROLLBACK TO SAVEPOINT cw_prepare")
        logger.warning("Not prepared, run as it is: %s (%s)", sql[:200], error)
        statements[statement] = False
    else:
        statements[statement] = True
    if guard:
        driver_cursor.execute("RELEASE SAVEPOINT cw_prepare")
    return statements[statement]


def _parameter_type(value: Any) -> str:
    """The type a parameter is declared with: the one psycopg2 casts such a value to when it
    writes it into the SQL itself ('...'::timestamptz), else "unknown", which PostgreSQL
    infers from where the parameter stands, as it does for a plain literal."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, datetime.datetime):
        return "timestamptz" if value.tzinfo is not None else "timestamp"
    for kind, name in _DRIVER_CASTS:
        if isinstance(value, kind):
            return name
    return "unknown"


_DRIVER_CASTS = (
    (datetime.date, "date"),
    (datetime.time, "time"),
    (datetime.timedelta, "interval"),
    (uuid.UUID, "uuid"),
)


def _numbered(sql: str) -> str:
    """Django's SQL for the driver ("%s" places, "%%" for a percent sign) as PREPARE takes it:
    numbered places ($1, $2, ...) in their order, a plain percent sign."""
    numbers = itertools.count(1)
    return re.sub(r"%([s%])", lambda m: f"${next(numbers)}" if m[1] == "s" else "%", sql)


def _can_stand_in(value: Any) -> bool:
    """A value of a type that has stand-ins. Not a bool (too few values to tell apart: put
    it in the shape), not None (the SQL differs)."""
    return isinstance(value, int | uuid.UUID | str | datetime.date) and not isinstance(value, bool)


def _adapters(stand_in: Any, connection: Any) -> list[Callable[[Any], Any]]:
    """How a value of the stand-in's type may reach the driver: as itself, or as the text a
    backend stores it as (SQLite keeps UUIDs, dates and times as text)."""
    ops, vendor = connection.ops, connection.vendor
    found: list[Callable[[Any], Any]] = [_same]
    if isinstance(stand_in, uuid.UUID):
        found.append(_hex)
    elif isinstance(stand_in, datetime.datetime) and vendor == "sqlite":
        found.append(ops.adapt_datetimefield_value)
    elif isinstance(stand_in, datetime.date) and vendor == "sqlite":
        found.append(ops.adapt_datefield_value)
    return found


def _same(value: Any) -> Any:
    return value


def _hex(value: uuid.UUID) -> str:
    return value.hex
