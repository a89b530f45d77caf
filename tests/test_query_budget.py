"""Every page and export of the project costs at most 12 queries in all (the session, the
user, the navigation and the page's own work), for every role that may open it. Walked from
the permission matrix, so a new URL is covered the day its matrix case is written. Whether
the count stays the same when the data grows is checked page by page with
`assert_stable_queries` (1x against 10x)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .personas import ROLES
from .queries import sql_sent
from .test_permission_matrix import CASES

QUERY_BUDGET = 12

# Pages still over the budget, with the most queries they may cost until they are brought
# under it. A page that gets cheaper must be taken off (or lowered): the test says so.
OVER_BUDGET: dict[str, int] = {}


def _page_cases():
    params = []
    for case in CASES:
        if case.method != "get":
            continue
        roles = [role for role in ROLES if case.status_for(role) == 200]
        if roles:
            params.append(pytest.param(case, roles, id=case.id))
    return params


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # an export's rows are read as it streams
    return sql_sent(ctx)


@pytest.mark.parametrize(("case", "roles"), _page_cases())
def test_every_page_fits_the_query_budget(case, roles, cast, client_for):
    if case.setup:
        case.setup(cast)
    limit = OVER_BUDGET.get(case.id, QUERY_BUDGET)
    worst = 0
    for role in roles:
        sqls = _queries(client_for(role), case.url(cast))
        worst = max(worst, len(sqls))
        listing = "\n".join(f"  {sql}" for sql in sqls)
        assert len(sqls) <= limit, f"{case.id} as {role}: {len(sqls)} queries:\n{listing}"
    if case.id in OVER_BUDGET:
        assert worst == limit, f"{case.id} now costs at most {worst}: lower OVER_BUDGET"
