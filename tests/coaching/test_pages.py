import csv
import datetime
import io

import time_machine
from django.urls import reverse

from accounts.csv_export import csv_safe
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.coaching import (
    CoachAssignmentFactory,
    CoachingSessionFactory,
    CoachProfileFactory,
)
from tests.factories.cohorts import EnrollmentFactory
from tests.queries import assert_stable_queries

UTC = datetime.UTC


@time_machine.travel("2026-11-22 15:00:00+00:00", tick=False)
def test_coach_home_shows_fellows_sessions_to_log_and_hours_this_month(cast, client_for):
    fellow = cast.enrollments["fellow"]
    ActionPlanFactory(enrollment=fellow, status="submitted")
    CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 11, 3, 15, tzinfo=UTC),
        duration_minutes=90,
    )
    CoachingSessionFactory(  # last month: not in this month's hours
        enrollment=fellow,
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 10, 3, 15, tzinfo=UTC),
    )
    to_log = CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        status="scheduled",
        starts_at=datetime.datetime(2026, 11, 20, 15, tzinfo=UTC),
        duration_minutes=30,
    )
    CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        status="scheduled",
        starts_at=datetime.datetime(2026, 12, 1, 15, tzinfo=UTC),
    )
    body = client_for("coach").get(reverse("coaching:coach_home")).content.decode()
    assert "Fiona Fellow" in body
    assert "Submitted for review" in body
    assert "Sessions to log" in body
    assert reverse("coaching:session_edit", args=[to_log.code]) in body
    assert "1.5 hours of coaching in November 2026" in body
    assert "3 Nov 2026" in body  # last session
    assert "Tue 1 Dec, 10:00 AM EST" in body  # next session, in the coach's zone
    assert "Clara Classmate" not in body  # another coach's fellow


def test_coach_home_query_count_is_stable(cast, client_for, grow_coach):
    grow_coach(1)
    client = client_for("coach")
    url = reverse("coaching:coach_home")
    assert_stable_queries(lambda: client.get(url), grow_coach)


def test_coach_session_list_query_count_is_stable(cast, client_for, grow_coach):
    grow_coach(1)
    client = client_for("coach")
    url = reverse("coaching:session_list")
    assert_stable_queries(lambda: client.get(url), grow_coach)


def test_enrollment_coaching_query_count_is_stable(cast, client_for):
    fellow = cast.enrollments["fellow"]
    url = reverse("coaching:enrollment_coaching", args=[fellow.code])
    CoachingSessionFactory(enrollment=fellow, coach=cast.coach)

    def grow(n):
        for _ in range(n * 3):
            CoachingSessionFactory(enrollment=fellow, coach=cast.coach)

    for role in ("coach", "staff", "fellow"):
        client = client_for(role)
        assert_stable_queries(lambda client=client: client.get(url), grow)


def test_session_detail_and_form_query_counts_are_stable(cast, client_for, competencies):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, competencies=competencies[:1]
    )
    client = client_for("coach")

    def grow(n):
        session.competencies.add(*competencies[1:])

    for name in ("coaching:session_detail", "coaching:session_edit"):
        url = reverse(name, args=[session.code])
        session.competencies.set(competencies[:1])
        assert_stable_queries(lambda url=url: client.get(url), grow)


def test_coach_profile_pages_query_counts_are_stable(cast, client_for, competencies):
    profile = cast.coach.coach_profile
    profile.expertise.add(competencies[0])
    client = client_for("coach")

    def grow(n):
        profile.expertise.add(*competencies)
        for _ in range(n):
            CoachAssignmentFactory(coach=cast.coach)

    for name in ("coaching:coach_detail", "coaching:coach_edit"):
        url = reverse(name, args=[cast.coach.code])
        assert_stable_queries(lambda url=url: client.get(url), grow)


def test_coach_edits_own_profile_and_bad_input_is_refused(cast, client_for, competencies):
    client = client_for("coach")
    url = reverse("coaching:coach_edit", args=[cast.coach.code])
    response = client.post(url, {"capacity": "99", "languages": " "})
    body = response.content.decode()
    assert "No coach can take more than 40 fellows" in body
    assert "Name at least one language" in body
    response = client.post(
        url,
        {
            "bio": "Former Medicaid director.",
            "capacity": "7",
            "languages": "English, Spanish",
            "regions": "PR, NY",
            "expertise": [competencies[0].pk],
            "expertise_tags": "budget, <b>burnout</b>",
        },
    )
    assert response.status_code == 302
    profile = cast.coach.coach_profile
    profile.refresh_from_db()
    assert profile.capacity == 7
    assert profile.language_list == ["English", "Spanish"]
    assert list(profile.expertise.all()) == [competencies[0]]
    body = client.get(profile.get_absolute_url()).content.decode()
    assert "&lt;b&gt;burnout&lt;/b&gt;" in body


def test_staff_coach_list_query_count_is_stable(cast, client_for, grow_cohort):
    client = client_for("staff")
    url = reverse("coaching:coach_list", args=[cast.program.slug])
    assert_stable_queries(lambda: client.get(url), grow_cohort)


@time_machine.travel("2027-03-02 15:00:00+00:00", tick=False)
def test_coverage_flags_under_users_and_those_running_out(cast, client_for):
    fellow = cast.enrollments["fellow"]
    for _ in range(9):
        CoachingSessionFactory(enrollment=fellow, coach=cast.coach)
    # Classmate: none used by the half-year mark: behind pace.
    client = client_for("staff")
    url = reverse("coaching:coverage", args=[cast.cohort.code])
    body = client.get(url).content.decode()
    assert "Fiona Fellow" in body and "Clara Classmate" in body and "Pedro Peer" in body
    assert "1 fellow with no coach" in body  # Pedro
    behind = client.get(url, {"pace": "behind"}).content.decode()
    assert "Clara Classmate" in behind and "Fiona Fellow" not in behind
    low = client.get(url, {"pace": "running_low"}).content.decode()
    assert "Fiona Fellow" in low and "Clara Classmate" not in low


def test_coverage_query_count_is_stable(cast, client_for, grow_cohort):
    client = client_for("staff")
    url = reverse("coaching:coverage", args=[cast.cohort.code])
    assert_stable_queries(lambda: client.get(url), grow_cohort)


def test_cohort_and_fellow_panels_keep_their_query_count(cast, client_for, grow_cohort):
    client = client_for("staff")
    url = reverse("cohorts:cohort_detail", args=[cast.cohort.code])
    body = client.get(url).content.decode()
    assert "Coaching coverage" in body
    assert "with no coach" in body
    assert_stable_queries(lambda: client.get(url), grow_cohort)


def test_fellow_home_panel_shows_coach_next_session_and_entitlement(cast, client_for):
    fellow = cast.enrollments["fellow"]
    CoachingSessionFactory(enrollment=fellow, coach=cast.coach)
    CoachingSessionFactory(
        enrollment=fellow,
        coach=cast.coach,
        status="scheduled",
        starts_at=datetime.datetime(2099, 1, 1, tzinfo=UTC),
    )
    body = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert "My coach: <strong>Cora Coach</strong>" in body
    assert "Next session:" in body
    assert "1</strong> of 10 sessions used" in body


def _rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_is_streamed_and_formula_safe(cast, client_for):
    cast.fellow.full_name = '=HYPERLINK("http://evil")'
    cast.fellow.save()
    cast.enrollments["fellow"].agency = "+Hawaii Medicaid"
    cast.enrollments["fellow"].save()
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        topics="Private topic",
        duration_minutes=90,
    )
    CoachingSessionFactory(enrollment=cast.enrollments["classmate"], coach=cast.other_coach)
    response = client_for("staff").get(reverse("coaching:export_hours", args=[cast.cohort.code]))
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][0] == "Fellow"
    assert len(rows) == 3
    fiona = next(r for r in rows if "HYPERLINK" in r[0])
    assert fiona[0].startswith("'=")
    assert fiona[3] == "'+Hawaii Medicaid"
    assert "Private topic" not in str(rows)
    assert fiona[7:9] == ["90", "1.50"]

    # A coach exports only their own fellows.
    rows = _rows(client_for("coach").get(reverse("coaching:export_hours", args=[cast.cohort.code])))
    assert len(rows) == 2


def test_csv_safe_prefixes_every_formula_start():
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert csv_safe(text) == "'" + text
    assert csv_safe("Plain") == "Plain"
    assert csv_safe(None) == ""


def test_export_query_count_is_stable(cast, client_for, grow_cohort, competencies):
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, competencies=competencies[:1]
    )
    client = client_for("staff")
    url = reverse("coaching:export_hours", args=[cast.cohort.code])
    assert_stable_queries(lambda: _consume(client.get(url)), grow_cohort)


class _Consumed:
    status_code = 200


def _consume(response):
    b"".join(response.streaming_content)
    return _Consumed()


def test_more_fellows_than_capacity_are_refused_on_the_page(cast, client_for):
    profile = CoachProfileFactory(programs=[cast.program], capacity=1)
    CoachAssignmentFactory(coach=profile.user, enrollment=EnrollmentFactory(cohort=cast.cohort))
    url = reverse("coaching:assign", args=[cast.enrollments["peer"].code])
    response = client_for("staff").post(url, {"coach": str(profile.user.code)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_coachs_hours_this_month_count_in_the_coachs_own_month(cast):
    """7 PM on 30 November in Honolulu is already 1 December in UTC: the session belongs to
    the Honolulu coach's November whatever zone the page is rendered in."""
    from django.utils import timezone

    from coaching.selectors import hours_this_month

    cast.coach.time_zone = "Pacific/Honolulu"
    cast.coach.save(update_fields=["time_zone"])
    CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        starts_at=datetime.datetime(2026, 12, 1, 5, tzinfo=UTC),
        duration_minutes=60,
    )
    late_november = datetime.datetime(2026, 11, 30, 20, tzinfo=UTC)
    early_december = datetime.datetime(2026, 12, 2, 20, tzinfo=UTC)
    for zone in ("UTC", "Asia/Tokyo", "Pacific/Honolulu"):
        with timezone.override(zone):
            assert hours_this_month(cast.coach, late_november) == 1.0
            assert hours_this_month(cast.coach, early_december) == 0
