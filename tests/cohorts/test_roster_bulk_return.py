"""After a bulk action the roster comes back filtered and searched as it was; the query
string rides through the POST, and only this cohort's roster filters come out of it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cohorts.filters import roster_return_query
from tests.factories.cohorts import EnrollmentFactory
from tests.queries import assert_stable_queries


def _roster(cast):
    return reverse("cohorts:roster", kwargs={"code": cast.cohort.code})


def _bulk(cast, client, **data):
    return client.post(reverse("cohorts:roster_bulk", kwargs={"code": cast.cohort.code}), data)


def test_the_roster_form_carries_its_filters(cast, client_for):
    page = client_for("staff").get(_roster(cast) + "?status=invited&state=HI&q=Kealoha")
    body = page.content.decode()
    assert body.count('name="return_query" value="status=invited&amp;state=HI&amp;q=Kealoha"') == 2


def test_a_bulk_change_returns_to_the_same_filtered_roster(cast, client_for):
    invited = EnrollmentFactory(cohort=cast.cohort, status="invited", state="HI")
    response = _bulk(
        cast,
        client_for("staff"),
        action="activate",
        enrollments=[invited.code],
        return_query="status=invited&state=HI&q=Fellow+Kealoha&sector=medicaid&page=2",
    )
    invited.refresh_from_db()
    assert invited.status == "active"
    location = urlsplit(response["Location"])
    assert location.path == _roster(cast)
    assert not location.netloc
    assert parse_qs(location.query) == {
        "status": ["invited"],
        "state": ["HI"],
        "q": ["Fellow Kealoha"],
        "sector": ["medicaid"],
        "page": ["2"],
    }


def test_a_refused_bulk_change_also_keeps_the_filters(cast, client_for):
    client = client_for("staff")
    response = _bulk(cast, client, action="activate", return_query="agency=Hawaii")
    assert response["Location"] == _roster(cast) + "?agency=Hawaii"
    page = client.get(response["Location"])
    assert "Select at least one fellow." in page.content.decode()


@pytest.mark.parametrize(
    ("carried", "expected"),
    [
        ("", ""),
        ("next=https://evil.example/&q=x", "?q=x"),
        ("//evil.example", ""),
        ("https://evil.example/?q=x", ""),
        ("q=a%0d%0aSet-Cookie:+x=1", "?q=a%0D%0ASet-Cookie%3A+x%3D1"),
        ("status=invited&status=active&cohort=123&page=", "?status=active"),
        ("q=" + "a" * 5000, "?q=" + "a" * 998),
    ],
)
def test_nothing_but_the_rosters_own_filters_comes_back(cast, client_for, carried, expected):
    response = _bulk(cast, client_for("staff"), action="activate", return_query=carried)
    assert response.status_code == 302
    assert response["Location"] == _roster(cast) + expected


def test_return_query_keeps_the_filters_in_a_fixed_order():
    assert roster_return_query("page=3&agency=DOH&q=%C5%8Dhana") == "q=%C5%8Dhana&agency=DOH&page=3"


def test_a_bulk_change_does_not_grow_with_the_selection(cast, client_for):
    client = client_for("staff")
    url = reverse("cohorts:roster_bulk", kwargs={"code": cast.cohort.code})

    def add_invited(count):
        for _ in range(count):
            EnrollmentFactory(cohort=cast.cohort, status="invited", state="HI")

    def activate_all_invited():
        invited = cast.cohort.enrollments.filter(status="invited")
        codes = list(invited.values_list("code", flat=True))
        return client.post(
            url,
            {"action": "activate", "enrollments": codes, "return_query": "state=HI"},
            follow=True,
        )

    add_invited(5)
    assert_stable_queries(activate_all_invited, lambda times: add_invited(5 * times))
