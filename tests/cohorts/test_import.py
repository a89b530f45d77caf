"""Roster CSV import: the dry run row by row, all-or-nothing import, bad files."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from cohorts.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Invitation,
    RosterImport,
)
from cohorts.roster_import import MAX_BYTES, ImportFileError, Outcome, plan_import
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrollmentFactory

from .conftest import HEADER, invitation_links, person_row, to_csv, upload


def _upload(client, cohort, text, name="roster.csv"):
    return client.post(
        reverse("cohorts:roster_import", kwargs={"code": cohort.code}),
        {"file": upload(text, name)},
    )


def _dry_run(client, cohort, text):
    response = _upload(client, cohort, text)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return response["Location"], preview


def _apply(client, preview_url, preview):
    code = preview_url.rstrip("/").split("/")[-1]
    return client.post(
        reverse("cohorts:roster_import_apply", kwargs={"code": code}),
        {"digest": preview.context["plan"].digest},
    )


def test_staff_creates_a_cohort_imports_30_rows_with_3_bad_and_invites_the_27(
    cast, client_for, django_capture_on_commit_callbacks
):
    """The issue's "done when": a staff member creates a cohort, imports a 30-row CSV with 3
    bad rows, sees the 3 refused with reasons, imports the 27 and invites them."""
    client = client_for("staff")
    response = client.post(
        reverse("cohorts:cohort_create", kwargs={"slug": cast.program.slug}),
        {
            "name": "2027–2028 cohort",
            "start_date": "2027-09-01",
            "end_date": "2028-08-31",
            "time_zone": "America/Chicago",
            "status": "planned",
        },
    )
    cohort = Cohort.objects.get(program=cast.program, name="2027–2028 cohort")
    assert response["Location"] == cohort.get_absolute_url()

    good = [person_row(n) for n in range(27)]
    rows = list(good)
    rows.insert(5, person_row(90, email="not-an-email"))
    rows.insert(12, person_row(91, state="Atlantis"))
    rows.insert(20, person_row(92, email=rows[0]["email"].upper()))
    assert len(rows) == 30
    preview_url, preview = _dry_run(client, cohort, to_csv(rows))

    plan = preview.context["plan"]
    assert (len(plan.to_create), len(plan.refused)) == (27, 3)
    body = preview.content.decode()
    assert "3 rows will not be imported" in body
    assert "Line 7 (not-an-email): bad email address “not-an-email”" in body
    assert "Line 14 (fellow91@agency.example.gov): unknown state or territory “Atlantis”" in body
    assert "duplicate in the file: same email as line 2" in body
    assert "Import the 27 valid rows" in body
    assert not Enrollment.objects.filter(cohort=cohort).exists()  # a dry run writes nothing

    response = _apply(client, preview_url, preview)
    assert response.status_code == 302
    assert cohort.enrollments.filter(status=EnrollmentStatus.INVITED).count() == 27
    assert (
        EnrollmentStatusChange.objects.filter(
            enrollment__cohort=cohort, to_status=EnrollmentStatus.INVITED, changed_by=cast.staff
        ).count()
        == 27
    )
    done = client.get(response["Location"])
    assert "27 fellows added, 0 updated" in done.content.decode()
    assert "Send 27 invitations" in done.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:roster_bulk", kwargs={"code": cohort.code}),
            {"action": "invite_all"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 27
    assert {m.to[0] for m in mail.outbox} == {r["email"] for r in good}
    assert len(invitation_links()) == 27
    assert Invitation.objects.filter(enrollment__cohort=cohort, sent_at__isnull=False).count() == 27
    # Asking again sends nothing more: everyone has an open invitation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cohorts:roster_bulk", kwargs={"code": cohort.code}),
            {"action": "invite_all"},
        )
    assert len(mail.outbox) == 27


def test_importing_the_same_file_again_changes_nothing(cast, client_for, new_cohort):
    client = client_for("staff")
    text = to_csv([person_row(n) for n in range(5)])
    url, preview = _dry_run(client, new_cohort, text)
    _apply(client, url, preview)
    before = list(Enrollment.objects.filter(cohort=new_cohort).values_list("pk", "updated_at"))
    changes = EnrollmentStatusChange.objects.count()

    url, preview = _dry_run(client, new_cohort, text)
    plan = preview.context["plan"]
    assert len(plan.unchanged) == 5 and not plan.to_import
    assert "There is nothing to import" in preview.content.decode()
    before_users = User.objects.count()
    _apply(client, url, preview)
    after = list(Enrollment.objects.filter(cohort=new_cohort).values_list("pk", "updated_at"))
    assert after == before
    assert EnrollmentStatusChange.objects.count() == changes
    assert User.objects.count() == before_users


def test_a_corrected_row_of_someone_not_yet_joined_is_an_update(cast, new_cohort):
    EnrollmentFactory(
        cohort=new_cohort,
        user=UserFactory(email="fellow1@agency.example.gov", full_name="Old Name"),
        status=EnrollmentStatus.INVITED,
        state="PR",
        agency="Old agency",
        title="Deputy Director",
        sector="public_health",
    )
    plan = plan_import(new_cohort, to_csv([person_row(1)]))
    (row,) = plan.rows
    assert row.outcome == Outcome.UPDATE
    assert "agency: “Old agency” → “PR Department of Health”" in row.changes


def test_someone_already_enrolled_is_refused_with_the_reason(cast, new_cohort):
    rows = [
        # In the sibling cohort, still running: cannot be in two current cohorts at once.
        person_row(1, email=cast.other_cohort_fellow.email),
        # Active in this cohort already, with different details.
        person_row(2, email="active@example.org"),
    ]
    EnrollmentFactory(
        cohort=new_cohort,
        user=UserFactory(email="active@example.org"),
        status=EnrollmentStatus.ACTIVE,
        agency="Somewhere else",
    )
    plan = plan_import(new_cohort, to_csv(rows))
    assert [r.outcome for r in plan.rows] == [Outcome.REFUSE, Outcome.REFUSE]
    assert plan.rows[0].reasons == [f"already enrolled in {cast.sibling_cohort.name}"]
    assert plan.rows[1].reasons[0].startswith("already enrolled in this cohort (active)")


def test_an_alumnus_of_a_past_cohort_can_be_enrolled_again(cast, new_cohort):
    plan = plan_import(new_cohort, to_csv([person_row(1, email=cast.alumnus.email)]))
    assert plan.rows[0].outcome == Outcome.CREATE
    assert plan.rows[0].user == cast.alumnus


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"email": ""}, "missing email"),
        ({"full_name": ""}, "missing full name"),
        ({"agency": ""}, "missing agency"),
        ({"email": "someone@"}, "bad email address “someone@”"),
        ({"state": "Ontario"}, "unknown state or territory “Ontario”"),
        ({"sector": "Space"}, "unknown sector “Space”"),
        ({"agency": '=HYPERLINK("http://x")'}, "“agency” starts with “=”"),
        ({"full_name": "+1 555"}, "“full_name” starts with “+”"),
        ({"title": "-2+3"}, "“title” starts with “-”"),
        ({"agency": "@SUM(A1)"}, "“agency” starts with “@”"),
        ({"agency": "x" * 201}, "“agency” is longer than 200 characters"),
    ],
)
def test_each_bad_row_says_why(cast, new_cohort, overrides, reason):
    plan = plan_import(new_cohort, to_csv([person_row(1), person_row(2, **overrides)]))
    good, bad = plan.rows
    assert good.outcome == Outcome.CREATE
    assert bad.outcome == Outcome.REFUSE
    assert any(r.startswith(reason) for r in bad.reasons), bad.reasons


def test_a_short_row_names_the_missing_column(cast, new_cohort):
    text = "email,full_name,state,agency\nshort@example.org,Short Row,HI\n"
    (row,) = plan_import(new_cohort, text).rows
    assert row.reasons == ["missing column “agency”"]


def test_states_and_sectors_are_read_by_code_or_name(cast, new_cohort):
    rows = [
        person_row(1, state="hi", sector=""),
        person_row(2, state="U.S. Virgin Islands", sector="governors_office"),
        person_row(3, state="Northern Mariana Islands", sector="Governor’s office"),
        person_row(4, state="dc", sector="community organization"),
    ]
    plan = plan_import(new_cohort, to_csv(rows))
    assert [(r.values["state"], r.values["sector"]) for r in plan.rows] == [
        ("HI", "other"),
        ("VI", "governors_office"),
        ("MP", "governors_office"),
        ("DC", "community"),
    ]


def test_excel_files_with_semicolons_a_bom_and_other_headers_are_read(cast, new_cohort):
    text = (
        "\ufeffE-mail;Name;State or territory;Organization;Phone\nx@example.org;X Y;TX;TX HHS;555\n"
    )
    plan = plan_import(new_cohort, text)
    assert plan.rows[0].outcome == Outcome.CREATE
    assert plan.rows[0].values["agency"] == "TX HHS"
    assert plan.ignored_columns == ["phone"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "roster.csv", "file is empty."),
        (b"   \n\n", "roster.csv", "The file is empty."),
        (",".join(HEADER).encode() + b"\n", "roster.csv", "has no rows of people"),
        (b"email,full_name\nx@example.org,X\n", "roster.csv", "no “state”, “agency” column"),
        (
            "email,full_name,state,agency\nJosé,Peña,PR,Salud\n".encode("latin-1"),
            "r.csv",
            "not UTF-8 text",
        ),
        (b"PK\x03\x04binary", "roster.xlsx", "spreadsheet workbook, not a CSV"),
        (b"email\x00\x00", "roster.csv", "not text"),
        (b"email,full_name,state,agency\n", "roster.pdf", "Upload a .csv file"),
        (b"email,email,state,agency\n", "roster.csv", "names “email” twice"),
    ],
)
def test_bad_files_are_refused_whole_with_a_clear_message(
    cast, client_for, new_cohort, content, name, message
):
    response = _upload(client_for("staff"), new_cohort, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(cast, client_for, new_cohort):
    text = to_csv([person_row(1)]) + "x" * MAX_BYTES
    response = _upload(client_for("staff"), new_cohort, text)
    assert "the limit is 512 KB" in response.content.decode()


def test_too_many_rows_are_refused(cast, new_cohort):
    with pytest.raises(ImportFileError, match="more than 1000 rows"):
        plan_import(new_cohort, to_csv([person_row(n) for n in range(1001)]))


def test_the_template_names_the_columns(cast, client_for, new_cohort):
    response = client_for("staff").get(
        reverse("cohorts:roster_import_template", kwargs={"code": new_cohort.code})
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().strip() == ",".join([*HEADER, "partner"])


def test_a_failure_half_way_imports_nothing(cast, client_for, new_cohort):
    client = client_for("staff")
    url, preview = _dry_run(client, new_cohort, to_csv([person_row(n) for n in range(5)]))
    from cohorts import roster_import

    real = roster_import.enrollment_create
    calls = []

    def fail_on_the_fourth(**kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("database went away")
        return real(**kwargs)

    with (
        mock.patch.object(roster_import, "enrollment_create", fail_on_the_fourth),
        pytest.raises(RuntimeError),
    ):
        _apply(client, url, preview)
    assert not Enrollment.objects.filter(cohort=new_cohort).exists()
    assert not User.objects.filter(email__endswith="@agency.example.gov").exists()
    assert RosterImport.objects.get().applied_at is None


def test_a_roster_that_changed_since_the_dry_run_is_not_imported(cast, client_for, new_cohort):
    client = client_for("staff")
    url, preview = _dry_run(client, new_cohort, to_csv([person_row(1), person_row(2)]))
    # Meanwhile someone else adds the second person by hand.
    EnrollmentFactory(
        cohort=new_cohort,
        user=UserFactory(email="fellow2@agency.example.gov"),
        status=EnrollmentStatus.INVITED,
    )
    response = _apply(client, url, preview)
    assert response["Location"] == url
    assert new_cohort.enrollments.count() == 1
    page = client.get(url, follow=True).content.decode()
    assert "The roster changed since the dry run" in page


def test_an_import_is_applied_once_and_the_file_not_kept(cast, client_for, new_cohort):
    client = client_for("staff")
    url, preview = _dry_run(client, new_cohort, to_csv([person_row(1)]))
    _apply(client, url, preview)
    _apply(client, url, preview)
    assert new_cohort.enrollments.count() == 1
    roster_import = RosterImport.objects.get()
    assert (roster_import.created_count, roster_import.content) == (1, "")


def test_imported_text_is_escaped_on_the_preview(cast, client_for, new_cohort):
    row = person_row(1, full_name="<script>alert(1)</script>", agency="<b>Agency</b>")
    _, preview = _dry_run(client_for("staff"), new_cohort, to_csv([row]))
    body = preview.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
