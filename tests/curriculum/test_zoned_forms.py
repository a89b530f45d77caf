"""A form shows and reads a time in the one zone it names: staff in Chicago editing a New
York cohort's schedule and pressing Save without touching anything change nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.factories.curriculum import AssignmentFactory, SessionFactory
from tests.forms import submitted

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.fixture
def chicago_staff(cast):
    cast.staff.time_zone = "America/Chicago"
    cast.staff.save(update_fields=["time_zone"])
    return cast.client_for("staff") if hasattr(cast, "client_for") else None


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "starts",
    [
        datetime.datetime(2026, 10, 13, 8, 0, tzinfo=NY),  # daylight time
        datetime.datetime(2026, 12, 8, 8, 0, tzinfo=NY),  # standard time
        datetime.datetime(2027, 3, 14, 3, 30, tzinfo=NY),  # the morning clocks go forward
        datetime.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY),  # 01:30 again, after 02:00 EDT
    ],
)
def test_saving_an_unchanged_session_moves_nothing(cast, client, chicago_staff, starts):
    session = SessionFactory(
        cohort=cast.cohort, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    before = (session.starts_at, session.ends_at, session.sequence)
    _client(client, cast.staff)
    url = reverse("curriculum:session_edit", args=[session.code])
    page = client.get(url)
    assert "In America/New_York (the cohort's time zone)." in page.content.decode()
    shown = submitted(page.content, "starts_at_0")
    local = starts.astimezone(NY)
    assert (shown["starts_at_0"], shown["starts_at_1"]) == (
        f"{local:%Y-%m-%d}",
        f"{local:%H:%M}",
    )
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 9, 20, 12, tzinfo=datetime.UTC)):
        response = client.post(url, shown)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.sequence) == before
    assert mail.outbox == []


def test_a_typed_time_is_read_in_the_cohort_zone_whoever_types_it(cast, client, chicago_staff):
    session = SessionFactory(cohort=cast.cohort)
    _client(client, cast.staff)
    url = reverse("curriculum:session_edit", args=[session.code])
    data = submitted(client.get(url).content, "starts_at_0")
    data.update({"starts_at_0": "2026-10-20", "starts_at_1": "09:00", "ends_at_0": "2026-10-20"})
    data["ends_at_1"] = "10:30"
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2026, 10, 20, 13, tzinfo=datetime.UTC)


def test_a_time_the_clocks_skip_is_refused_next_to_its_field(cast, client, chicago_staff):
    session = SessionFactory(cohort=cast.cohort)
    _client(client, cast.staff)
    url = reverse("curriculum:session_edit", args=[session.code])
    data = submitted(client.get(url).content, "starts_at_0")
    data.update({"starts_at_0": "2027-03-14", "starts_at_1": "02:30"})
    data.update({"ends_at_0": "2027-03-14", "ends_at_1": "04:00"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "does not exist in America/New_York" in str(response.context["form"].errors["starts_at"])


def test_saving_an_unchanged_assignment_keeps_its_due_time(cast, client, chicago_staff, cur):
    due = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=NY)
    assignment = AssignmentFactory(module=cur.module, due_at=due)
    _client(client, cast.staff)
    url = reverse("curriculum:assignment_edit", args=[assignment.code])
    page = client.get(url)
    assert "In America/New_York (the cohort's time zone)." in page.content.decode()
    response = client.post(url, submitted(page.content, "due_at_0"))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at == due
