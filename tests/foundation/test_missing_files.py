"""A stored file missing from the disk (a restore without media, a cleaned volume) gives a
clear 404 page through the one download path (accounts/downloads.py), never a 500."""

import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curriculum import services as curriculum
from curriculum.models import Submission
from tests.factories.curriculum import AssignmentFactory, ModuleFactory, SessionFactory

MESSAGE = "This file is no longer available"


def _gone(field_file):
    os.remove(field_file.path)


def _assert_clear_404(response):
    assert response.status_code == 404
    body = response.content.decode()
    assert MESSAGE in body
    assert "Ask the person who shared it to upload it again" in body


def test_a_missing_material_file(cast, client_for):
    material = curriculum.material_add(
        session=SessionFactory(cohort=cast.cohort),
        title="Slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4"),
    )
    _gone(material.file)
    _assert_clear_404(
        client_for("fellow").get(reverse("curriculum:material_download", args=[material.code]))
    )


def test_a_missing_submission_file(cast, client_for):
    assignment = AssignmentFactory(module=ModuleFactory(cohort=cast.cohort))
    client_for("fellow").post(
        reverse("curriculum:assignment_detail", args=[assignment.code]),
        {"text": "", "file": SimpleUploadedFile("map.pdf", b"%PDF")},
    )
    submission = Submission.objects.get()
    _gone(submission.file)
    _assert_clear_404(
        client_for("staff").get(reverse("curriculum:submission_file", args=[submission.code]))
    )


def test_a_present_file_still_downloads_with_nosniff(cast, client_for):
    material = curriculum.material_add(
        session=SessionFactory(cohort=cast.cohort),
        title="Slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4"),
    )
    response = client_for("fellow").get(
        reverse("curriculum:material_download", args=[material.code])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="slides' in response["Content-Disposition"]
