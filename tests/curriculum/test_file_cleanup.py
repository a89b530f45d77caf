"""Deleting a session or a module (through its service, or in the admin) takes the files
of the rows deleted with it out of storage once the deletion commits; a rollback keeps them."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from curriculum import services
from curriculum.models import Assignment, Material, Module, Session, Submission
from tests.factories.curriculum import (
    AssignmentFactory,
    ModuleFactory,
    SessionFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


def _upload(name="slides.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4")


def _with_files(session):
    names = [
        services.material_add(session=session, title=f"Slides {n}", file=_upload()).file.name
        for n in range(2)
    ]
    assert all(default_storage.exists(name) for name in names)
    return names


def test_deleting_a_session_deletes_its_materials_files_after_commit(
    cur, django_capture_on_commit_callbacks
):
    names = _with_files(cur.session)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.session_delete(session=cur.session)
    assert not Session.objects.filter(pk=cur.session.pk).exists()
    assert not Material.objects.filter(session_id=cur.session.pk).exists()
    # Not before the commit …
    assert len(callbacks) == 2 and all(default_storage.exists(name) for name in names)
    for callback in callbacks:
        callback()
    # … but after it.
    assert not any(default_storage.exists(name) for name in names)


def test_a_rolled_back_session_deletion_keeps_the_files(cur, django_capture_on_commit_callbacks):
    names, pk = _with_files(cur.session), cur.session.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.session_delete(session=cur.session)
        raise RuntimeError("something later failed")
    assert callbacks == []
    assert Material.objects.filter(session_id=pk).count() == 3  # with the link
    assert all(default_storage.exists(name) for name in names)


def test_deleting_a_module_deletes_its_submissions_files_after_commit(
    cast, cur, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory(module=cur.module)
    submission = SubmissionFactory(
        assignment=assignment, enrollment=cast.enrollments["fellow"], file=_upload("map.pdf")
    )
    name = submission.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.module_delete(module=cur.module)
    assert len(callbacks) == 1 and not default_storage.exists(name)
    assert not Module.objects.filter(pk=cur.module.pk).exists()
    assert not Assignment.objects.filter(module_id=cur.module.pk).exists()
    assert not Submission.objects.filter(pk=submission.pk).exists()
    # Its sessions stay, without a module.
    cur.session.refresh_from_db()
    assert cur.session.module is None


def test_a_rolled_back_module_deletion_keeps_the_files(
    cast, cur, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(
        assignment=AssignmentFactory(module=cur.module),
        enrollment=cast.enrollments["fellow"],
        file=_upload("map.pdf"),
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.module_delete(module=cur.module)
        raise RuntimeError("something later failed")
    assert callbacks == []
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert default_storage.exists(submission.file.name)


# --- The admin ------------------------------------------------------------------------------


def _admin_url(model, action, *args):
    return reverse(f"admin:curriculum_{model._meta.model_name}_{action}", args=args)


def test_the_admins_delete_of_a_session_deletes_its_files(
    client_for, cur, django_capture_on_commit_callbacks
):
    names = _with_files(cur.session)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            _admin_url(Session, "delete", cur.session.pk), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Session.objects.filter(pk=cur.session.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_the_admins_bulk_delete_of_sessions_takes_their_files(
    client_for, cast, cur, django_capture_on_commit_callbacks
):
    """Bulk delete goes through the service, one session at a time (SessionAdmin's
    delete_queryset), so each session's files go with it; a session left out keeps its own."""
    other = SessionFactory(cohort=cast.cohort, title="November session")
    kept_session = SessionFactory(cohort=cast.cohort, title="December session")
    names = _with_files(cur.session) + _with_files(other)
    kept = _with_files(kept_session)
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        bulk = client.post(
            _admin_url(Session, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [other.pk, cur.session.pk],
                "post": "yes",
            },
        )
    assert bulk.status_code == 302
    assert not Session.objects.filter(pk__in=[other.pk, cur.session.pk]).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert Session.objects.filter(pk=kept_session.pk).exists()
    assert all(default_storage.exists(name) for name in kept)


def test_the_admins_deletes_of_modules_go_through_the_service(client_for, cast, monkeypatch):
    calls = []
    real = services.module_delete
    monkeypatch.setattr(
        services, "module_delete", lambda *, module: calls.append(module.pk) or real(module=module)
    )
    first, second, third = (ModuleFactory(cohort=cast.cohort) for _ in range(3))
    client = client_for("admin")
    assert client.post(_admin_url(Module, "delete", first.pk), {"post": "yes"}).status_code == 302
    bulk = client.post(
        _admin_url(Module, "changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
    )
    assert bulk.status_code == 302
    assert sorted(calls) == sorted([first.pk, second.pk, third.pk])
    assert not Module.objects.filter(pk__in=[first.pk, second.pk, third.pk]).exists()


def test_a_material_removed_or_replaced_in_the_admin_leaves_storage(
    client_for, cur, django_capture_on_commit_callbacks
):
    session = cur.session
    removed, replaced = (
        services.material_add(session=session, title=title, file=_upload())
        for title in ("Old slides", "Reading")
    )
    removed_name, replaced_name = removed.file.name, replaced.file.name
    link = cur.material
    data = {
        "title": session.title,
        "kind": session.kind,
        "description": session.description,
        "topic": session.topic,
        "module": session.module_id,
        "speakers-TOTAL_FORMS": 1,
        "speakers-INITIAL_FORMS": 1,
        "speakers-0-id": cur.speaker.pk,
        "speakers-0-session": session.pk,
        "speakers-0-order": cur.speaker.order,
        "speakers-0-name": cur.speaker.name,
        "speakers-0-affiliation": cur.speaker.affiliation,
        "speakers-0-bio": cur.speaker.bio,
        "materials-TOTAL_FORMS": 3,
        "materials-INITIAL_FORMS": 3,
        "materials-0-id": link.pk,
        "materials-0-session": session.pk,
        "materials-0-title": link.title,
        "materials-0-url": link.url,
        "materials-1-id": removed.pk,
        "materials-1-session": session.pk,
        "materials-1-title": removed.title,
        "materials-1-DELETE": "on",
        "materials-2-id": replaced.pk,
        "materials-2-session": session.pk,
        "materials-2-title": replaced.title,
        "materials-2-file": _upload("reading-v2.pdf"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(_admin_url(Session, "change", session.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Material.objects.filter(pk=removed.pk).exists()
    replaced.refresh_from_db()
    assert replaced.file.name.endswith("reading-v2.pdf")
    assert default_storage.exists(replaced.file.name)
    assert not default_storage.exists(removed_name)
    assert not default_storage.exists(replaced_name)
