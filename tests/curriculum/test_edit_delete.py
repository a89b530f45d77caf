"""Staff edit and delete assignments, self-assessment windows, seminar speakers and
session materials. Deleting what fellows have already used (submitted work, ratings) is
refused with a clear message; a removed material's file leaves storage too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curriculum import services
from curriculum.models import AssessmentWindow, Assignment, Material, Speaker
from tests.factories.curriculum import (
    AssessmentWindowFactory,
    AssignmentFactory,
    SelfAssessmentFactory,
    SpeakerFactory,
)
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


# --- Assignments ---------------------------------------------------------------------------


def test_staff_edit_an_assignment_in_the_cohorts_zone(client_for, cur):
    url = reverse("curriculum:assignment_edit", args=[cur.assignment.code])
    page = client_for("staff").get(url).content.decode()
    assert cur.assignment.title in page and "America/New_York" in page
    response = client_for("staff").post(
        url,
        {
            "title": "Stakeholder map, revised",
            "instructions": "Map them again.",
            "due_at_0": "2026-11-30",
            "due_at_1": "17:00",
        },
    )
    assert response.status_code == 302 and response["Location"] == cur.assignment.get_absolute_url()
    cur.assignment.refresh_from_db()
    assert cur.assignment.title == "Stakeholder map, revised"
    assert cur.assignment.due_at == datetime.datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def test_assignment_edit_refuses_a_due_date_outside_the_cohort(client_for, cur):
    before = cur.assignment.due_at
    response = client_for("staff").post(
        reverse("curriculum:assignment_edit", args=[cur.assignment.code]),
        {"title": "Late", "instructions": "x", "due_at_0": "2028-01-01", "due_at_1": "12:00"},
    )
    assert response.status_code == 200
    assert 'id="error_1_id_due_at' in response.content.decode()
    assert "within the cohort" in response.content.decode()
    cur.assignment.refresh_from_db()
    assert cur.assignment.due_at == before


def test_an_assignment_with_submissions_cannot_be_deleted(client_for, cur):
    url = reverse("curriculum:assignment_delete", args=[cur.assignment.code])
    page = client_for("staff").get(url).content.decode()
    assert "1 fellow has submitted work for this assignment" in page
    assert ">Delete</button>" not in page
    response = client_for("staff").post(url, follow=True)
    assert "cannot be deleted. Edit it instead." in response.content.decode()
    assert Assignment.objects.filter(pk=cur.assignment.pk).exists()
    with pytest.raises(ValidationError, match="1 fellow has submitted"):
        services.assignment_delete(assignment=cur.assignment)


def test_an_unused_assignment_is_deleted_after_confirmation(client_for, cur):
    unused = AssignmentFactory(module=cur.module, title="Spare")
    url = reverse("curriculum:assignment_delete", args=[unused.code])
    page = client_for("staff").get(url).content.decode()
    assert "Delete “Spare”?" in page and ">Delete</button>" in page
    response = client_for("staff").post(url)
    assert response["Location"] == reverse("curriculum:module_list", args=[cur.module.cohort.code])
    assert not Assignment.objects.filter(pk=unused.pk).exists()


def test_assignment_page_offers_edit_and_delete_to_staff_only(client_for, cur):
    url = cur.assignment.get_absolute_url()
    edit = reverse("curriculum:assignment_edit", args=[cur.assignment.code])
    assert edit in client_for("staff").get(url).content.decode()
    assert "/edit/" not in client_for("fellow").get(url).content.decode()


# --- Self-assessment windows -----------------------------------------------------------------


def test_staff_change_a_windows_dates(client_for, cast, cur):
    response = client_for("staff").post(
        reverse("curriculum:window_edit", args=[cur.window.code]),
        {"opens_on": "2026-09-08", "closes_on": "2026-10-06"},
    )
    assert response["Location"] == reverse(
        "curriculum:assessment_overview", args=[cast.cohort.code]
    )
    cur.window.refresh_from_db()
    assert (cur.window.opens_on, cur.window.closes_on) == (
        datetime.date(2026, 9, 8),
        datetime.date(2026, 10, 6),
    )
    assert cur.window.phase == "baseline"


def test_window_dates_outside_the_cohort_are_refused(client_for, cur):
    response = client_for("staff").post(
        reverse("curriculum:window_edit", args=[cur.window.code]),
        {"opens_on": "2025-01-01", "closes_on": "2026-10-06"},
    )
    assert response.status_code == 200
    assert "within the cohort" in response.content.decode()
    cur.window.refresh_from_db()
    assert cur.window.opens_on == cur.window.cohort.start_date


def test_a_window_with_ratings_cannot_be_deleted(client_for, cast, cur):
    SelfAssessmentFactory(window=cur.window, enrollment=cast.enrollments["fellow"])
    url = reverse("curriculum:window_delete", args=[cur.window.code])
    assert "1 fellow has rated themselves" in client_for("staff").get(url).content.decode()
    body = client_for("staff").post(url, follow=True).content.decode()
    assert "cannot be deleted. You can still change its dates." in body
    assert AssessmentWindow.objects.filter(pk=cur.window.pk).exists()


def test_an_unused_window_is_deleted(client_for, cast, cur):
    final = AssessmentWindowFactory(cohort=cast.cohort, phase="final")
    overview = client_for("staff").get(
        reverse("curriculum:assessment_overview", args=[cast.cohort.code])
    )
    assert reverse("curriculum:window_delete", args=[final.code]) in overview.content.decode()
    client_for("staff").post(reverse("curriculum:window_delete", args=[final.code]))
    assert not AssessmentWindow.objects.filter(pk=final.pk).exists()


# --- Speakers and materials ------------------------------------------------------------------


def test_staff_edit_and_remove_a_speaker(client_for, cur):
    url = reverse("curriculum:speaker_edit", args=[cur.speaker.code])
    response = client_for("staff").post(
        url, {"name": "Dr. Ana Ruiz", "affiliation": "<i>UNM</i>", "bio": "Poverty scholar."}
    )
    assert response["Location"] == cur.session.get_absolute_url()
    body = client_for("fellow").get(cur.session.get_absolute_url()).content.decode()
    assert "&lt;i&gt;UNM&lt;/i&gt;" in body and "/remove/" not in body
    client_for("staff").post(reverse("curriculum:speaker_remove", args=[cur.speaker.code]))
    assert not Speaker.objects.filter(pk=cur.speaker.pk).exists()


def test_speaker_without_a_name_is_refused(client_for, cur):
    response = client_for("staff").post(
        reverse("curriculum:speaker_edit", args=[cur.speaker.code]), {"name": " "}
    )
    assert response.status_code == 200 and 'id="error_1_id_name"' in response.content.decode()
    cur.speaker.refresh_from_db()
    assert cur.speaker.name == "Dr. Ana Ruiz"


def test_removing_a_material_deletes_its_file_from_storage(
    client_for, cur, django_capture_on_commit_callbacks
):
    material = services.material_add(
        session=cur.session, title="Slides", file=SimpleUploadedFile("slides.pdf", b"%PDF")
    )
    name = material.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("curriculum:material_remove", args=[material.code])
        )
    assert response["Location"] == cur.session.get_absolute_url()
    assert not Material.objects.filter(pk=material.pk).exists()
    assert not default_storage.exists(name)


def test_a_rolled_back_removal_keeps_the_file(cur, django_capture_on_commit_callbacks):
    material = services.material_add(
        session=cur.session, title="Slides", file=SimpleUploadedFile("slides.pdf", b"%PDF")
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.material_remove(material=material)
    # Until the transaction commits, the file stays (a rollback would keep the row).
    assert len(callbacks) == 1 and default_storage.exists(material.file.name)
    callbacks[0]()
    assert not default_storage.exists(material.file.name)


def test_only_staff_of_the_cohort_remove_materials(client_for, cur):
    url = reverse("curriculum:material_remove", args=[cur.material.code])
    assert client_for("fellow").post(url).status_code == 403
    assert client_for("other_staff").post(url).status_code == 404
    assert Material.objects.filter(pk=cur.material.pk).exists()


def test_session_page_with_speakers_and_materials_keeps_its_query_count(client_for, cur):
    client = client_for("staff")
    url = cur.session.get_absolute_url()

    def grow(n):
        for i in range(n):
            SpeakerFactory(session=cur.session, name=f"Speaker {i}")
            services.material_add(
                session=cur.session, title=f"Reading {i}", url=f"https://example.org/{i}"
            )

    assert_stable_queries(lambda: client.get(url), grow)


def test_edit_pages_keep_their_query_count(client_for, cast, cur):
    client = client_for("staff")
    urls = [
        reverse("curriculum:assignment_edit", args=[cur.assignment.code]),
        reverse("curriculum:window_edit", args=[cur.window.code]),
        reverse("curriculum:speaker_edit", args=[cur.speaker.code]),
        reverse("curriculum:assignment_delete", args=[cur.assignment.code]),
        reverse("curriculum:window_delete", args=[cur.window.code]),
    ]

    def grow(n):
        for i in range(n):
            AssignmentFactory(module=cur.module, title=f"More {i}")
            SpeakerFactory(session=cur.session)

    for url in urls:
        assert_stable_queries(lambda url=url: client.get(url), grow)
