import datetime
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum import services
from curriculum.models import Attendance, AttendanceStatus
from curriculum.selectors import attendance_rate, fellow_rates, session_rates
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.curriculum import AttendanceFactory, SessionFactory
from tests.queries import assert_stable_queries

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "present, late, excused, absent, expected",
    [
        (3, 1, 0, 0, Fraction(1)),
        (2, 1, 1, 1, Fraction(3, 4)),  # excused leaves the count: 3 of 4
        (1, 0, 0, 2, Fraction(1, 3)),
        (0, 0, 2, 0, None),  # nothing held against anyone yet
        (0, 0, 0, 0, None),
    ],
)
def test_attendance_rate_by_hand(present, late, excused, absent, expected):
    assert attendance_rate(present=present, late=late, excused=excused, absent=absent) == expected


def test_rates_per_session_and_per_fellow(cast):
    e = cast.enrollments
    october = SessionFactory(cohort=cast.cohort, title="October")
    november = SessionFactory(
        cohort=cast.cohort,
        title="November",
        starts_at=datetime.datetime(2026, 11, 10, 18, tzinfo=datetime.UTC),
    )
    for enrollment, status in [
        (e["fellow"], "present"),
        (e["peer"], "late"),
        (e["classmate"], "absent"),
    ]:
        AttendanceFactory(session=october, enrollment=enrollment, status=status)
    for enrollment, status in [
        (e["fellow"], "excused"),
        (e["peer"], "present"),
        (e["classmate"], "absent"),
    ]:
        AttendanceFactory(session=november, enrollment=enrollment, status=status)
    by_session = {row.subject.title: row.rate for row in session_rates(cast.cohort, NOW)}
    assert by_session == {"October": 67, "November": 50}  # 2 of 3; 1 of 2 (one excused)
    by_fellow = {row.subject.user: row.rate for row in fellow_rates(cast.cohort)}
    assert by_fellow[cast.fellow] == 100  # present once, excused once
    assert by_fellow[cast.peer] == 100
    assert by_fellow[cast.classmate] == 0
    assert cast.withdrawn not in by_fellow


def test_whole_roster_is_saved_in_one_go_and_can_be_corrected(cast):
    session = SessionFactory(cohort=cast.cohort)
    e = cast.enrollments
    marks = {e["fellow"].pk: "present", e["peer"].pk: "late", e["classmate"].pk: "absent"}
    services.attendance_record(session=session, marks=marks, by=cast.staff, now=NOW)
    marks[e["classmate"].pk] = "excused"
    services.attendance_record(session=session, marks=marks, by=cast.staff, now=NOW)
    assert dict(session.attendance.values_list("enrollment__user__email", "status")) == {
        "fellow@example.org": "present",
        "peer@example.org": "late",
        "classmate@example.org": "excused",
    }


def test_bad_attendance_saves_nothing(cast):
    session = SessionFactory(cohort=cast.cohort)
    e = cast.enrollments
    stranger = EnrollmentFactory(cohort=cast.sibling_cohort)
    with pytest.raises(ValidationError, match="not on this cohort's roster"):
        services.attendance_record(
            session=session,
            marks={e["fellow"].pk: "present", stranger.pk: "present"},
            by=cast.staff,
            now=NOW,
        )
    with pytest.raises(ValidationError, match="not an attendance status"):
        services.attendance_record(
            session=session,
            marks={e["fellow"].pk: "present", e["peer"].pk: "asleep"},
            by=cast.staff,
            now=NOW,
        )
    assert not Attendance.objects.exists()


def test_attendance_for_a_future_or_cancelled_session_is_refused(cast):
    future = SessionFactory(cohort=cast.cohort, starts_at=NOW + datetime.timedelta(days=3))
    marks = {cast.enrollments["fellow"].pk: "present"}
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_record(session=future, marks=marks, by=cast.staff, now=NOW)
    cancelled = SessionFactory(cohort=cast.cohort, cancelled_at=NOW)
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_record(session=cancelled, marks=marks, by=cast.staff, now=NOW)


def test_one_mark_per_person_per_session_in_the_database(cast):
    attendance = AttendanceFactory(
        session__cohort=cast.cohort, enrollment=cast.enrollments["fellow"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=attendance.session, enrollment=attendance.enrollment, status="late"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=SessionFactory(cohort=cast.cohort),
            enrollment=attendance.enrollment,
            status="asleep",
        )


def _roster_post(cast, status_for):
    return {f"e-{e.code}": status_for(e) for e in cast.cohort.enrollments.filter(status="active")}


def test_staff_page_takes_the_whole_roster_in_one_post(client_for, cast):
    session = SessionFactory(cohort=cast.cohort)
    url = reverse("curriculum:attendance_take", args=[session.code])
    page = client_for("staff").get(url).content.decode()
    assert "Fiona Fellow" in page and "Will Withdrawn" not in page
    response = client_for("staff").post(url, _roster_post(cast, lambda e: "present"))
    assert response.status_code == 302
    assert session.attendance.filter(status=AttendanceStatus.PRESENT).count() == 3


def test_staff_page_with_someone_unmarked_saves_nothing(client_for, cast):
    session = SessionFactory(cohort=cast.cohort)
    data = _roster_post(cast, lambda e: "present")
    data[f"e-{cast.enrollments['peer'].code}"] = ""
    response = client_for("staff").post(
        reverse("curriculum:attendance_take", args=[session.code]), data
    )
    assert response.status_code == 200
    assert "Mark this person." in response.content.decode()
    assert not Attendance.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_fellow_sees_own_record_only(client_for, cast):
    session = SessionFactory(cohort=cast.cohort, title="October session")
    AttendanceFactory(session=session, enrollment=cast.enrollments["fellow"], status="late")
    AttendanceFactory(session=session, enrollment=cast.enrollments["peer"], status="absent")
    body = (
        client_for("fellow")
        .get(reverse("curriculum:enrollment_attendance", args=[cast.enrollments["fellow"].code]))
        .content.decode()
    )
    assert "October session" in body and "Late" in body and "100%" in body
    peer_record = reverse("curriculum:enrollment_attendance", args=[cast.enrollments["peer"].code])
    assert client_for("fellow").get(peer_record).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_attendance_pages_query_counts_are_stable(client_for, cast):
    staff = client_for("staff")
    fellow = client_for("fellow")

    def grow(times):
        for i in range(times):
            session = SessionFactory(
                cohort=cast.cohort,
                starts_at=datetime.datetime(2026, 10, 1 + i, 17, tzinfo=datetime.UTC),
            )
            new = EnrollmentFactory(cohort=cast.cohort)
            for enrollment in (new, cast.enrollments["fellow"]):
                AttendanceFactory(session=session, enrollment=enrollment, status="present")

    grow(1)
    session = cast.cohort.sessions.first()
    assert_stable_queries(
        lambda: staff.get(reverse("curriculum:attendance_report", args=[cast.cohort.code])), grow
    )
    assert_stable_queries(
        lambda: staff.get(reverse("curriculum:attendance_take", args=[session.code])), grow
    )
    assert_stable_queries(
        lambda: fellow.get(
            reverse("curriculum:enrollment_attendance", args=[cast.enrollments["fellow"].code])
        ),
        grow,
    )
