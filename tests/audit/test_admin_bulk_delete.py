"""Bulk delete in the Django admin: Django's confirmation page first, then one audit entry
per deleted object; a batch holding an object that may not be deleted (the program's last
director) is refused whole; audit entries themselves are never offered for deletion."""

from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from audit.models import AuditEntry
from cohorts.models import ProgramStaff, StaffRole
from tests.factories.audit import AuditEntryFactory
from tests.factories.cohorts import ProgramStaffFactory

CHANGELIST = reverse("admin:cohorts_programstaff_changelist")


def _bulk(client, objects, *, confirmed=True):
    data = {"action": "delete_selected", "_selected_action": [o.pk for o in objects]}
    if confirmed:
        data["post"] = "yes"
    return client.post(CHANGELIST, data, follow=not confirmed)


def test_the_confirmation_page_comes_first_and_deletes_nothing(cast, client_for):
    rows = [ProgramStaffFactory(program=cast.program) for _ in range(2)]
    response = _bulk(client_for("admin"), rows, confirmed=False)
    assert response.status_code == 200
    assert "Are you sure" in response.content.decode()
    assert ProgramStaff.objects.filter(pk__in=[r.pk for r in rows]).count() == 2
    assert not AuditEntry.objects.filter(action="admin.deleted").exists()


def test_each_deleted_object_gets_its_own_audit_entry(cast, client_for):
    rows = [ProgramStaffFactory(program=cast.program) for _ in range(3)]
    response = _bulk(client_for("admin"), rows)
    assert response.status_code == 302
    assert not ProgramStaff.objects.filter(pk__in=[r.pk for r in rows]).exists()
    entries = AuditEntry.objects.filter(action="admin.deleted")
    assert sorted(str(e.details["id"]) for e in entries) == sorted(str(r.pk) for r in rows)
    assert {e.details["type"] for e in entries} == {"cohorts.programstaff"}
    assert {e.actor_id for e in entries} == {cast.admin.pk}
    assert sorted(e.target_label for e in entries) == sorted(str(r) for r in rows)
    # Django's own history keeps a row per object too.
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 3


def test_one_selected_object_gets_exactly_one_entry(cast, client_for):
    row = ProgramStaffFactory(program=cast.program)
    assert _bulk(client_for("admin"), [row]).status_code == 302
    assert AuditEntry.objects.filter(action="admin.deleted").count() == 1


def test_a_batch_with_the_last_director_is_refused_whole(cast, client_for):
    director = ProgramStaff.objects.get(program=cast.program, user=cast.staff)
    assert director.role == StaffRole.DIRECTOR
    coordinator = ProgramStaffFactory(program=cast.program)
    client = client_for("admin")
    response = _bulk(client, [coordinator, director])
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was deleted" in page
    assert ProgramStaff.objects.filter(pk__in=[coordinator.pk, director.pk]).count() == 2
    assert not AuditEntry.objects.filter(action="admin.deleted").exists()


def test_audit_entries_are_not_offered_for_bulk_delete(cast, client_for):
    entry = AuditEntryFactory()
    response = client_for("admin").post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
