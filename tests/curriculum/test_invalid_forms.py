"""The convention of the curriculum app for bad input: an invalid form is re-rendered with
status 200 (as everywhere else in Cohortwise), its errors next to the fields, nothing saved."""

import pytest
from django.urls import reverse

from curriculum.models import AssessmentWindow, Material, Module, Session, Speaker

pytestmark = pytest.mark.django_db


def _cases(cur, cast):
    return [
        ("curriculum:framework_create", {}, {"name": "", "slug": "not a slug"}, "slug"),
        ("curriculum:session_create", {"code": cast.cohort.code}, {"title": ""}, "title"),
        ("curriculum:module_create", {"code": cast.cohort.code}, {"order": "0"}, "order"),
        ("curriculum:speaker_add", {"code": cur.session.code}, {"name": ""}, "name"),
        ("curriculum:material_add", {"code": cur.session.code}, {"title": "No link"}, "url"),
        ("curriculum:attendance_take", {"code": cur.session.code}, {}, None),
        ("curriculum:submission_detail", {"code": cur.submission.code}, {"feedback": ""}, None),
        (
            "curriculum:assessment_overview",
            {"code": cast.cohort.code},
            {"phase": "final", "opens_on": "2027-08-10", "closes_on": "2027-08-01"},
            "closes_on",
        ),
    ]


def test_every_invalid_staff_form_answers_200_with_the_error_at_the_field(client_for, cast, cur):
    counts = (
        Session.objects.count(),
        Module.objects.count(),
        Speaker.objects.count(),
        Material.objects.count(),
        AssessmentWindow.objects.count(),
    )
    client = client_for("staff")
    for name, kwargs, data, field in _cases(cur, cast):
        response = client.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "is-invalid" in body or "alert-danger" in body, name
        if field is not None:
            assert f'id="error_1_id_{field}"' in body, name
    assert counts == (
        Session.objects.count(),
        Module.objects.count(),
        Speaker.objects.count(),
        Material.objects.count(),
        AssessmentWindow.objects.count(),
    )
