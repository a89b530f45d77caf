"""A form posted empty is still a posted form: it comes back with its errors, it is never
shown again as if nothing had been sent (`request.POST or None` treats an empty POST as a
GET). Every view binds its form with `accounts.form_helpers.posted`."""

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {".venv", "tests", "migrations", "node_modules", "var"}


def test_no_view_binds_a_form_with_request_post_or_none():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not NOT_PRODUCT & set(path.relative_to(ROOT).parts)
        and "request.POST or None" in path.read_text(encoding="utf-8")
        and path.name != "form_helpers.py"
    ]
    assert offenders == []


@pytest.mark.django_db
def test_an_empty_post_of_the_account_settings_says_what_is_missing(client_for):
    response = client_for("fellow").post(reverse("accounts:settings"), {})
    assert response.status_code == 200
    assert response.context["form"].is_bound
    assert response.context["form"].errors
