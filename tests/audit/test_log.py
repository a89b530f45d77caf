"""The audit log: append-only at every level, written by sign-ins and exports, read by the
site admin (everything) and program staff (their programs), exported as CSV, purged only by
the retention task."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AppendOnlyError, AuditEntry
from audit.services import entries_purge_expired, record
from tests.factories.audit import AuditEntryFactory
from tests.queries import assert_stable_queries


def test_record_keeps_who_what_and_target(cast):
    entry = record(action="plans.approved", by=cast.staff, target=cast.cohort, program=cast.program)
    entry.refresh_from_db()
    assert entry.actor == cast.staff
    assert entry.program_id == cast.program.pk
    assert entry.target_type == "cohorts.cohort"
    assert entry.target_id == str(cast.cohort.code)
    assert entry.target_label == str(cast.cohort)


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(db):
    entry = AuditEntryFactory()
    entry.action = "plans.rejected"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x.y")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    entry.refresh_from_db()
    assert entry.action == "plans.approved"


def test_the_database_refuses_an_update_in_sql(db):
    entry = AuditEntryFactory()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x.y' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "plans.approved"


def test_the_database_refuses_a_delete_in_sql(db):
    """PostgreSQL's trigger here (the suite's engine); SQLite's in test_sqlite_triggers.py."""
    entry = AuditEntryFactory()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_retention_deletes_only_entries_older_than_the_setting(db, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = AuditEntryFactory(created_at=now - datetime.timedelta(days=31))
    recent = AuditEntryFactory(created_at=now - datetime.timedelta(days=29))
    assert entries_purge_expired(now=now) == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_retention_zero_keeps_everything(db, settings):
    settings.AUDIT_RETENTION_DAYS = 0
    AuditEntryFactory(created_at=timezone.now() - datetime.timedelta(days=5000))
    assert entries_purge_expired() == 0
    assert AuditEntry.objects.count() == 1


def test_the_admin_reads_entries_but_cannot_change_or_delete_them(cast, client_for):
    entry = AuditEntryFactory()
    client = client_for("admin")
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    response = client.post(change_url, {"action": "x.y"})
    assert response.status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "plans.approved"


def test_sign_in_and_failed_sign_in_are_recorded(cast, client):
    url = reverse("account_login")
    client.post(url, {"login": cast.fellow.email, "password": "wrong-password"})
    failed = AuditEntry.objects.get(action="accounts.login_failed")
    assert failed.actor == cast.fellow
    assert failed.details == {"email": cast.fellow.email}
    assert "wrong-password" not in str(failed.details)
    client.post(url, {"login": cast.fellow.email, "password": "pw-for-tests-1"})
    login = AuditEntry.objects.get(action="accounts.login")
    assert login.actor == cast.fellow
    assert login.ip_address == "127.0.0.1"


def test_a_failed_sign_in_for_an_unknown_address_keeps_the_address(db, client):
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "x"})
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.actor is None
    assert entry.target_label == "nobody@example.org"


def test_an_export_download_is_recorded_with_its_program(cast, client_for):
    response = client_for("staff").get(
        reverse("reports:export", kwargs={"code": cast.cohort.code, "kind": "roster"})
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action="exports.downloaded")
    assert entry.actor == cast.staff
    assert entry.program_id == cast.program.pk
    assert entry.details["file"].endswith(".csv")


def test_an_admin_edit_is_recorded(cast, client_for):
    client = client_for("admin")
    url = reverse("admin:accounts_user_change", args=[cast.fellow.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update({"full_name": "Fiona Renamed", "groups": [], "user_permissions": []})
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor == cast.admin
    assert entry.details["type"] == "accounts.user"
    assert "Full name" in entry.details["change"] or "full_name" in entry.details["change"]


# --- Reading the log ----------------------------------------------------------------------


@pytest.fixture
def entries(cast):
    return {
        "mine": record(action="plans.approved", by=cast.staff, program=cast.program),
        "other": record(action="plans.approved", by=cast.other_staff, program=cast.other_program),
        "site": record(action="accounts.login", by=cast.fellow),
    }


def _listed(response):
    return {entry.pk for entry in response.context["page"]}


def test_staff_read_their_programs_entries_only(cast, client_for, entries):
    response = client_for("staff").get(reverse("audit:log"))
    assert response.status_code == 200
    assert _listed(response) >= {entries["mine"].pk}
    assert entries["other"].pk not in _listed(response)
    assert entries["site"].pk not in _listed(response)


def test_the_site_admin_reads_every_entry(cast, client_for, entries):
    response = client_for("admin").get(reverse("audit:log"))
    assert {e.pk for e in entries.values()} <= _listed(response)


def test_staff_cannot_filter_their_way_into_another_program(cast, client_for, entries):
    response = client_for("staff").get(reverse("audit:log"), {"program": cast.other_program.pk})
    assert response.status_code == 200
    assert entries["other"].pk not in _listed(response)
    assert "program" in response.context["form"].errors


def test_a_date_range_ending_before_it_starts_is_refused(cast, client_for):
    response = client_for("staff").get(
        reverse("audit:log"), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert "until" in response.context["form"].errors


def test_the_csv_export_has_the_filtered_entries_and_is_itself_recorded(cast, client_for, entries):
    response = client_for("staff").get(reverse("audit:export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Cache-Control"] == "no-store"
    assert cast.staff.email in body
    assert cast.other_staff.email not in body
    assert AuditEntry.objects.filter(action="exports.downloaded", actor=cast.staff).exists()


def test_the_log_page_costs_the_same_queries_at_1x_and_10x(cast, client_for):
    client = client_for("staff")

    def grow(times):
        for _ in range(times * 5):
            record(action="plans.approved", by=cast.staff, target=cast.cohort, program=cast.program)

    grow(1)
    count = assert_stable_queries(lambda: client.get(reverse("audit:log")), grow, factor=10)
    assert count <= 12


def test_the_csv_export_reads_in_one_pass_past_any_batch_size(cast, client_for):
    """The export's query count is the same with 250 entries and with 2,500 (beyond the
    2,000 rows a chunked read takes at a time), and every entry is a row of the file."""
    client = client_for("staff")
    url = reverse("audit:export")

    def grow(times):
        AuditEntry.objects.bulk_create(
            AuditEntry(
                action="plans.approved",
                actor=cast.staff,
                program_id=cast.program.pk,
                target_label=f"Bulk plan {i}",
                details={"step": i},
            )
            for i in range(250 * times)
        )

    def fetch():
        response = client.get(url)
        fetch.lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return response

    grow(1)
    assert_stable_queries(fetch, grow, factor=10)
    bulk = [line for line in fetch.lines if "Bulk plan" in line]
    assert len(bulk) == 2500
    assert any(cast.staff.email in line and "step: 7" in line for line in bulk)
