import uuid
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

START_PAGES = {
    "admin": "cohorts:staff_home",
    "staff": "cohorts:staff_home",
    "coach": "coaching:coach_home",
    "fellow": "cohorts:fellow_home",
    "alumnus": "cohorts:fellow_home",
}


@pytest.mark.parametrize("role", START_PAGES)
def test_each_role_lands_on_its_start_page(role, client_for):
    client = client_for(role)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(START_PAGES[role])
    assert response.status_code == 200


def test_staff_start_page_lists_only_their_programs(client_for, cast):
    body = client_for("staff").get(reverse("cohorts:staff_home")).content.decode()
    assert cast.program.name in body
    assert cast.other_program.name not in body


def test_withdrawn_fellow_is_told_they_have_no_program(client_for):
    body = client_for("withdrawn").get(reverse("home")).content.decode()
    assert "not part of a program yet" in body


def test_unknown_code_is_a_404(client_for):
    response = client_for("staff").get(
        reverse("cohorts:cohort_detail", kwargs={"code": uuid.uuid4()})
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_navigation_fits_the_role(client_for):
    staff_nav = client_for("staff").get(reverse("cohorts:staff_home")).content.decode()
    fellow_nav = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert ">Programs</a>" in staff_nav
    assert ">Programs</a>" not in fellow_nav
    assert ">My fellowship</a>" in fellow_nav


@time_machine.travel("2026-11-22 18:30:00+00:00", tick=False)
def test_times_are_shown_in_the_viewers_zone(client_for, cast):
    fellow = cast.fellow
    fellow.time_zone = "Pacific/Honolulu"
    fellow.save()
    body = client_for("fellow").get(reverse("accounts:settings")).content.decode()
    assert "8:30 AM in Pacific/Honolulu" in body

    fellow.time_zone = "Pacific/Guam"
    fellow.save()
    body = client_for("fellow").get(reverse("accounts:settings")).content.decode()
    # 18:30 UTC is 04:30 the next morning in Guam.
    assert "Monday 23 November 2026, 4:30 AM in Pacific/Guam" in body


def test_time_zone_must_be_a_real_zone(client_for, cast):
    response = client_for("fellow").post(
        reverse("accounts:settings"),
        {"full_name": "Fiona Fellow", "time_zone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    cast.fellow.refresh_from_db()
    assert cast.fellow.time_zone == "America/New_York"


def test_settings_save_name_and_zone(client_for, cast):
    response = client_for("fellow").post(
        reverse("accounts:settings"),
        {"full_name": "Fiona Fellow", "preferred_name": "Fi", "time_zone": "America/Puerto_Rico"},
    )
    assert response.status_code == 302
    cast.fellow.refresh_from_db()
    assert cast.fellow.time_zone == "America/Puerto_Rico"
    assert cast.fellow.display_name == "Fi"
    assert zoneinfo.ZoneInfo(cast.fellow.time_zone)


def test_user_text_is_escaped(client_for, cast):
    cast.fellow.full_name = "<script>alert(1)</script>"
    cast.fellow.save()
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_every_page_sends_a_strict_content_security_policy(client_for):
    response = client_for("staff").get(reverse("cohorts:staff_home"))
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    # Every script tag carries the nonce: there is no inline or unlisted script.
    assert body.count("<script") == body.count(f'nonce="{nonce}"')


def test_assets_are_served_by_the_app(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert finders.find("vendor/bootstrap/js/bootstrap.bundle.min.js")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_page_has_landmarks_and_a_skip_link(client_for):
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert 'href="#main"' in body
    assert '<main id="main"' in body
    assert "<nav" in body and "<header>" in body
