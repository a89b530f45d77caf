"""Each person's zone from the start: the roster's state or territory proposes it, and the
person confirms it when accepting the invitation (the page pre-fills the browser's zone)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cohorts.geography import time_zone_for_state

from .conftest import invitation_links, person_row, to_csv
from .test_import import _apply, _dry_run

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase 42"

EXPECTED = {
    "HI": "Pacific/Honolulu",
    "GU": "Pacific/Guam",
    "PR": "America/Puerto_Rico",
    "AZ": "America/Phoenix",  # no daylight saving
    "AK": "America/Anchorage",
    "MP": "Pacific/Saipan",
    "AS": "Pacific/Pago_Pago",
    "VI": "America/St_Thomas",
    "TX": "America/Chicago",  # most Texans live on Central time
    "TN": "America/Chicago",
    "FL": "America/New_York",
    "ID": "America/Boise",
}


@pytest.mark.parametrize("state, zone", EXPECTED.items())
def test_a_state_proposes_its_most_populous_zone(state, zone):
    assert time_zone_for_state(state) == zone


def test_an_imported_roster_gives_each_fellow_their_zone_and_the_invitation_confirms_it(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    states = ["HI", "GU", "PR", "AZ"]
    rows = [person_row(n, state=state) for n, state in enumerate(states)]
    preview_url, preview = _dry_run(client, cast.cohort, to_csv(rows))
    assert _apply(client, preview_url, preview).status_code == 302
    zones = {
        u.email: u.time_zone for u in User.objects.filter(email__in=[r["email"] for r in rows])
    }
    assert zones == {r["email"]: EXPECTED[r["state"]] for r in rows}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cohorts:roster_bulk", kwargs={"code": cast.cohort.code}),
            {"action": "invite_all"},
        )
    (link,) = invitation_links(to=rows[1]["email"])  # the fellow from Guam
    invitee = Client()
    page = invitee.get(link)
    form = page.context["form"]
    assert form["time_zone"].value() == "Pacific/Guam"
    body = page.content.decode()
    assert "data-browser-zone" in body and "browser-zone.js" in body

    # The person confirms (or corrects) their zone when accepting.
    response = invitee.post(
        link,
        {
            "full_name": rows[1]["full_name"],
            "time_zone": "Pacific/Saipan",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email=rows[1]["email"]).time_zone == "Pacific/Saipan"


def test_a_fellow_added_by_hand_gets_their_states_zone(cast, client_for):
    client_for("staff").post(
        reverse("cohorts:enrollment_add", args=[cast.cohort.code]),
        {
            "email": "kai@health.hawaii.gov",
            "full_name": "Kai Kahale",
            "state": "HI",
            "agency": "Hawaii DOH",
            "sector": "public_health",
        },
    )
    assert User.objects.get(email="kai@health.hawaii.gov").time_zone == "Pacific/Honolulu"


def test_an_unknown_zone_is_refused_next_to_its_field(
    cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(
            reverse("cohorts:enrollment_add", args=[cast.cohort.code]),
            {
                "email": "x@example.org",
                "full_name": "X",
                "state": "GU",
                "agency": "A",
                "sector": "other",
                "send_invitation": "on",
            },
        )
    (link,) = invitation_links(to="x@example.org")
    response = Client().post(
        link,
        {
            "full_name": "X",
            "time_zone": "Mars/Olympus",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
