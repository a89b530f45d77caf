"""Query-count guards: a page must cost the same number of queries at 1x and 10x data.

10x by default so that the grown data goes past any batch size a page reads in (a
`iterator(chunk_size=...)` with a prefetch costs one more query per chunk, which 5x of a
test's data never reached)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(func: Callable[[], object]) -> tuple[int, list[str], object]:
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), sql_sent(ctx), result


def sql_sent(ctx: CaptureQueriesContext) -> list[str]:
    """The SQL of each captured query, a prepared statement's (accounts/compiled.py: on
    PostgreSQL sent as "EXECUTE cw_compiled_3 (...)") shown as the SQL it runs."""
    sent = [query["sql"] for query in ctx.captured_queries]
    names = {sql.split()[1] for sql in sent if sql.startswith("EXECUTE cw_compiled_")}
    if not names:
        return sent
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement FROM pg_prepared_statements WHERE name = ANY(%s)",
            [sorted(names)],
        )
        prepared = dict(cursor.fetchall())
    return [
        prepared[sql.split()[1]] if sql.startswith("EXECUTE cw_compiled_") else sql for sql in sent
    ]


def assert_stable_queries(fetch: Callable[[], object], grow: Callable[[int], None], factor=10):
    """Calls `fetch` (e.g. a client GET), then `grow(factor - 1)` to add (factor - 1) times
    the data, then `fetch` again: the two query counts must be equal. On failure the SQL
    of both runs is printed so the N+1 is easy to find."""
    before, before_sql, first = count_queries(fetch)
    _check_ok(first)
    grow(factor - 1)
    after, after_sql, second = count_queries(fetch)
    _check_ok(second)
    if before != after:
        listing = "\n".join(f"  {sql}" for sql in after_sql)
        raise AssertionError(
            f"Query count grew with the data: {before} at 1x, {after} at {factor}x.\n"
            f"Queries at {factor}x:\n{listing}"
        )
    return after


def assert_stable_queries_each(fetches: dict[str, Callable[[], object]], grow, factor=10):
    """`assert_stable_queries` for several fetches against one growth of the data (growing
    it is most of such a test's time): each fetch's count at 1x, then `grow(factor - 1)`
    once, then each count again. Every fetch whose count grew is listed with its SQL."""
    before = {}
    for label, fetch in fetches.items():
        before[label], _, response = count_queries(fetch)
        _check_ok(response)
    grow(factor - 1)
    grown = []
    for label, fetch in fetches.items():
        after, after_sql, response = count_queries(fetch)
        _check_ok(response)
        if after != before[label]:
            listing = "\n".join(f"  {sql}" for sql in after_sql)
            grown.append(
                f"{label}: {before[label]} queries at 1x, {after} at {factor}x:\n{listing}"
            )
    assert not grown, "Query counts grew with the data.\n" + "\n".join(grown)


def _check_ok(response):
    status = getattr(response, "status_code", 200)
    assert status == 200, f"page answered {status}"
