"""The shared accessibility fixes (WCAG 2.2 AA) as the server renders them: colours of the
shared stylesheet, labels of split date and time boxes, the error summary and title after a
failed submit, the milestone status form, the attendance sheet's radio groups. The browser
suite checks the same pages with axe-core (tests/browser/test_accessibility.py) and by
keyboard (tests/browser/test_keyboard.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.curriculum import build_curriculum

pytestmark = pytest.mark.django_db

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "cohortwise.css").read_text()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_value(name: str) -> str:
    """The last hex colour the stylesheet gives the custom property `name`."""
    values = re.findall(rf"{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert values, f"{name} is not set in cohortwise.css"
    return values[-1]


def test_navigation_text_and_focus_ring_stand_out_on_the_bar():
    bar = css_value("--cw-brand")
    assert contrast(css_value("--bs-navbar-color"), bar) >= 4.5
    assert contrast(css_value("--cw-focus-on-dark"), bar) >= 3
    assert contrast(css_value("--cw-focus"), "#ffffff") >= 3


@pytest.mark.parametrize(
    "tint",
    # White and Bootstrap's tinted backgrounds: alerts, warning/danger rows, card headers.
    ["#ffffff", "#f8d7da", "#fff3cd", "#cfe2ff", "#cff4fc", "#d1e7dd", "#f8f9fa", "#e2e3e5"],
)
def test_links_and_buttons_keep_4_5_to_1_on_tinted_backgrounds(tint):
    for name in ("--cw-primary", "--cw-success", "--cw-danger", "--cw-secondary"):
        assert contrast(css_value(name), tint) >= 4.5, (name, tint)


def test_overdue_and_late_badges_keep_4_5_to_1():
    assert contrast("#ffffff", css_value("--cw-accent")) >= 4.5


def test_split_date_and_time_boxes_each_have_a_label(cast, client_for):
    response = client_for("staff").get(
        reverse("curriculum:session_create", kwargs={"code": cast.cohort.code})
    )
    body = response.content.decode()
    for name in ("starts_at", "ends_at"):
        assert f'<label class="form-label small mb-1" for="id_{name}_0">Date</label>' in body
        assert f'<label class="form-label small mb-1" for="id_{name}_1">Time</label>' in body


def test_a_failed_submit_names_the_error_in_the_title_and_links_each_field(cast, client_for):
    url = reverse("curriculum:session_create", kwargs={"code": cast.cohort.code})
    response = client_for("staff").post(url, {"title": "", "kind": "seminar"})
    body = response.content.decode()
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()
    assert title.startswith("Error: ")
    start = body.index('id="error-summary"')
    summary = body[start : body.index("</ul>", start)]
    assert 'href="#id_title"' in summary
    assert 'href="#id_starts_at_0"' in summary  # the first box of the split field
    assert "data-autofocus" in summary


def test_a_page_without_errors_has_no_summary_and_a_plain_title(cast, client_for):
    url = reverse("curriculum:session_create", kwargs={"code": cast.cohort.code})
    body = client_for("staff").get(url).content.decode()
    assert "error-summary" not in body
    assert "<title>Error:" not in body


def test_milestone_status_saves_with_its_button_never_on_change(cast, client_for):
    from tests.factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory

    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    milestone = MilestoneFactory(goal=GoalFactory(plan=plan), title="Brief the director")
    body = client_for("fellow").get(plan.get_absolute_url()).content.decode()
    form = body[body.index(f'id="status-{milestone.code}"') - 900 :][:1500]
    assert 'hx-trigger="change"' not in form
    assert 'Save<span class="visually-hidden"> the status of Brief the director</span>' in form
    assert f'data-focus-after="#status-{milestone.code}"' in form


def test_an_htmx_status_change_is_announced(cast, client_for):
    from tests.factories.action_plans import ActionPlanFactory, GoalFactory, MilestoneFactory

    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    milestone = MilestoneFactory(goal=GoalFactory(plan=plan), title="Brief the director")
    response = client_for("fellow").post(
        reverse("action_plans:milestone_status", kwargs={"code": milestone.code}),
        {"status": "done"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert '<p class="visually-hidden" data-announce>“Brief the director” is now Done.</p>' in body


def test_attendance_radio_groups_in_error_are_invalid_and_name_their_message(cast, client_for):
    cur = build_curriculum(cast)
    response = client_for("staff").post(
        reverse("curriculum:attendance_take", kwargs={"code": cur.session.code}), {}
    )
    body = response.content.decode()
    code = cast.enrollments["fellow"].code
    error_id = f"id_e-{code}_error"
    assert f'<fieldset role="radiogroup" aria-invalid="true" aria-describedby="{error_id}">' in body
    assert f'<div class="invalid-feedback d-block" id="{error_id}">Mark this person.' in body
    assert f'id="id_e-{code}_0" value="present" aria-describedby="{error_id}"' in body
    assert f'href="#id_e-{code}_0"' in body  # the error summary links the group's first radio
