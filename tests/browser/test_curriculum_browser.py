"""Staff take attendance for a session; a fellow completes a baseline self-assessment and
sees their growth chart."""

import pytest
from playwright.sync_api import expect

from curriculum.models import Attendance, SelfAssessment
from tests.factories.curriculum import build_curriculum

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_take_attendance_for_a_session(cast, login, page, live_server):
    cur = build_curriculum(cast)
    login(cast.staff)
    page.goto(f"{live_server.url}{cur.session.get_absolute_url()}")
    page.get_by_role("link", name="Take attendance").click()
    page.get_by_role("button", name="Mark everyone present").click()
    page.get_by_role("radiogroup", name="Clara Classmate").get_by_label("Absent").check()
    page.get_by_role("radiogroup", name="Pedro Peer").get_by_label("Late").check()
    screenshot(page, "curriculum-attendance")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state("networkidle")
    assert "Attendance saved for 3 people." in page.content()
    marks = dict(cur.session.attendance.values_list("enrollment__user__full_name", "status"))
    assert marks == {"Fiona Fellow": "present", "Pedro Peer": "late", "Clara Classmate": "absent"}
    assert Attendance.objects.count() == 3


def test_fellow_completes_baseline_and_sees_growth_chart(cast, login, page, live_server):
    cur = build_curriculum(cast)
    login(cast.fellow)
    page.goto(f"{live_server.url}/programs/my/")
    page.get_by_role("link", name="Start your self-assessment").click()
    for competency_group in page.locator("fieldset").all():
        competency_group.get_by_label("3 Proficient").check()
    page.get_by_label(f"Note on {cur.competency.name} (optional)").fill("Working on it")
    page.get_by_role("button", name="Save my self-assessment").click()
    page.wait_for_load_state("networkidle")
    assert SelfAssessment.objects.filter(enrollment=cast.enrollments["fellow"]).exists()
    chart = page.get_by_role("img", name="Growth by domain")
    expect(chart).to_be_visible()
    table = page.get_by_role("table")
    assert "Domain 1" in table.inner_text() and "3.0" in table.inner_text()
    screenshot(page, "curriculum-growth")


def test_staff_remove_a_material_after_confirming(cast, login, page, live_server):
    from curriculum.models import Material

    cur = build_curriculum(cast)
    login(cast.staff)
    page.goto(f"{live_server.url}{cur.session.get_absolute_url()}")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    remove = page.get_by_role("button", name=f"Remove {cur.material.title}")
    remove.click()  # dismissed: nothing happens
    assert Material.objects.filter(pk=cur.material.pk).exists()
    remove.click()
    page.wait_for_load_state("networkidle")
    assert dialogs == [f"Remove “{cur.material.title}”?"] * 2
    assert "removed." in page.content()
    assert not Material.objects.filter(pk=cur.material.pk).exists()
