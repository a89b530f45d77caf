"""The reports pages as a user sees them: figures on the page, charts with their tables,
the coach's narrowed view, bad input and query counts at 1x and 10x data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.queries import assert_stable_queries, count_queries

from .conftest import NOW, grow_cohort, grow_program

pytestmark = pytest.mark.django_db


def figure(html, name):
    match = re.search(rf'data-figure="{name}">(.*?)<', html, re.S)
    assert match, f"no figure {name}"
    return match.group(1).strip()


def dashboard_url(cast):
    return reverse("reports:cohort_dashboard", args=[cast.cohort.code])


def test_dashboard_shows_the_figures(data, client_for):
    response = client_for("staff").get(dashboard_url(data))
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "fellows") == "3"
    assert figure(html, "attendance") == "56%"
    assert figure(html, "at-risk") == "3"
    assert figure(html, "coaching-sessions") == "3"
    assert figure(html, "coaching-hours") == "3.5"
    assert figure(html, "milestones-done") == "1"
    assert figure(html, "milestones-on-track") == "2"
    assert figure(html, "milestones-overdue") == "1"
    assert 'data-plan-status="approved">2<' in html
    assert 'data-status="withdrawn">1<' in html
    # Fellows with no coach, upcoming items of the week.
    assert "Pedro Peer" in re.search(r'data-figure="no-coach">(.*?)</ul>', html, re.S).group(1)
    assert "December seminar" in html
    assert "Group Kōkua" in html


def test_dashboard_charts_are_svg_with_a_text_alternative(data, client_for):
    html = client_for("staff").get(dashboard_url(data)).content.decode()
    assert html.count('role="img"') == 2  # attendance by session, growth by domain
    assert '<title id="attendance-chart-title">Attendance by session</title>' in html
    assert "75% (3 of 4)" in html  # the value is written on the bar, not only drawn
    assert "1.5 baseline" in html and "4.0 midpoint" in html
    # The same numbers in a table, for screen readers.
    assert "Attendance by session: the numbers as a table" in html
    assert '<th scope="row">Domain 1</th><td>1.5 baseline</td><td>4.0 midpoint</td>' in html
    # No chart library, no script but our own file.
    assert "cdn" not in html.lower()
    assert 'src="/static/js/reports.js"' in html


def test_coach_sees_own_fellows_only(data, client_for):
    html = client_for("coach").get(dashboard_url(data)).content.decode()
    assert "You are seeing the fellows you coach only." in html
    assert figure(html, "fellows") == "1"
    assert figure(html, "at-risk") == "1"
    assert "Fiona Fellow" in html
    for name in ("Pedro Peer", "Clara Classmate", "Will Withdrawn"):
        assert name not in html
    assert "Group Kōkua" not in html  # coaches do not see peer group meetings


def test_funder_report(data, client_for):
    response = client_for("staff").get(reverse("reports:cohort_report", args=[data.cohort.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "participants") == "3"
    assert figure(html, "states") == "3"
    assert figure(html, "attendance") == "56%"
    assert figure(html, "sessions-held") == "3"
    assert figure(html, "coaching-sessions") == "3"
    assert figure(html, "coaching-hours") == "3.5"
    for title in (
        "Participants by sector",
        "Attendance by session",
        "Action plans by focus level",
        "Competency growth by domain",
    ):
        assert f">{title}</title>" in html
    assert 'data-action="print"' in html
    assert "reports.css" in html  # the print stylesheet


def test_program_view(data, client_for):
    response = client_for("staff").get(
        reverse("reports:program_dashboard", args=[data.program.slug])
    )
    html = response.content.decode()
    assert response.status_code == 200
    row = re.search(rf'data-cohort="{data.cohort.code}">(.*?)</tr>', html, re.S).group(1)
    assert figure(row, "fellows") == "3"
    assert figure(row, "attendance") == "56%"
    assert figure(row, "coaching") == "3 of 30 (10%)"
    assert figure(row, "milestones") == "1 of 4"
    assert figure(row, "growth") == "2.0 → 4.0 (+2.0)"
    # Oldest first: year over year.
    assert html.index("2025–2026 cohort") < html.index("2026 spring cohort")
    assert ">Cohorts year over year</title>" in html


def test_index_lists_what_the_viewer_may_open(data, client_for):
    staff = client_for("staff").get(reverse("reports:index")).content.decode()
    assert reverse("reports:program_dashboard", args=[data.program.slug]) in staff
    assert dashboard_url(data) in staff
    assert "Scholars 2026" not in staff
    coach = client_for("coach").get(reverse("reports:index")).content.decode()
    assert dashboard_url(data) in coach
    assert reverse("reports:program_dashboard", args=[data.program.slug]) not in coach


def test_navigation_link_for_staff_and_coaches_only(data, client_for):
    link = f'href="{reverse("reports:index")}"'
    assert link in client_for("staff").get(dashboard_url(data)).content.decode()
    assert link in client_for("coach").get(reverse("reports:index")).content.decode()
    fellow_page = client_for("fellow").get(reverse("cohorts:fellow_home")).content.decode()
    assert link not in fellow_page


def test_unknown_export_kind_is_404(data, client_for):
    url = reverse("reports:export", args=[data.cohort.code, "private-notes"])
    assert client_for("staff").get(url).status_code == 404


def test_unknown_cohort_and_program_are_404(data, client_for):
    import uuid

    client = client_for("staff")
    assert client.get(reverse("reports:cohort_dashboard", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("reports:program_dashboard", args=["nope"])).status_code == 404


def test_writes_are_refused(data, client_for):
    assert client_for("staff").post(dashboard_url(data)).status_code == 405


# --- Query counts -----------------------------------------------------------------------------


def test_dashboard_queries_do_not_grow(data, client_for):
    client = client_for("staff")
    assert_stable_queries(lambda: client.get(dashboard_url(data)), lambda n: grow_cohort(data, n))


def test_coach_dashboard_queries_do_not_grow(data, client_for):
    client = client_for("coach")
    assert_stable_queries(
        lambda: client.get(dashboard_url(data)),
        lambda n: grow_cohort(data, n, coach=data.coach),
    )


@pytest.mark.parametrize("role", ["staff", "coach"])
def test_at_risk_and_report_queries_do_not_grow(data, client_for, role):
    client = client_for(role)
    coach = data.coach if role == "coach" else None
    for name in ("reports:at_risk", "reports:cohort_report"):
        url = reverse(name, args=[data.cohort.code])
        assert_stable_queries(
            lambda url=url: client.get(url), lambda n: grow_cohort(data, n, coach=coach)
        )


def test_program_view_queries_do_not_grow(data, client_for):
    client = client_for("staff")
    url = reverse("reports:program_dashboard", args=[data.program.slug])

    def grow(n):
        grow_cohort(data, n)
        grow_program(data, n)

    assert_stable_queries(lambda: client.get(url), grow)


def test_dashboard_for_300_fellows(data, client_for):
    """300 fellows built in bulk, each with attendance at every session held: the page
    answers with the same number of queries as for the small cohort."""
    from cohorts.models import Enrollment
    from curriculum.models import Attendance

    client = client_for("staff")
    small, _sql, response = count_queries(lambda: client.get(dashboard_url(data)))
    assert response.status_code == 200

    users = UserFactory.create_batch(300)
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(cohort=data.cohort, user=u, state="NM", agency=f"Agency {i}")
            for i, u in enumerate(users)
        ]
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(status="active")
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, enrollment=e, status="present" if i % 3 else "absent")
            for i, e in enumerate(enrollments)
            for s in data.rep.sessions
        ]
    )
    large, _sql, response = count_queries(lambda: client.get(dashboard_url(data)))
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "fellows") == "303"
    assert large == small


def _every_section(cast):
    """Data for every section of the dashboard and the funder report beyond the cohort's own
    figures: results funders may see, demographic answers, 360° answers in a closed baseline
    and final window, session evaluation answers. Returns `add(enrollments)`, which gives
    each fellow one of each."""
    from curriculum.models import AssessmentPhase
    from feedback import services as feedback_services
    from feedback360.models import Relationship
    from tests.factories.feedback import FormFactory
    from tests.factories.feedback360 import RaterCircleFactory, answer, closed_window
    from tests.factories.outcomes import DemographicProfileFactory, ResultFactory
    from tests.feedback.conftest import answer_as

    windows = [closed_window(cast.cohort, phase) for phase in AssessmentPhase.values[::2]]
    form = FormFactory(program=cast.program, kinds=["rating", "single", "long_text"])
    session = cast.rep.sessions[0]
    feedback_services.evaluation_attach(
        form=form,
        cohort=cast.cohort,
        session_kind=session.kind,
        by=cast.staff,
        open_days=7,
        remind_after_days=2,
    )

    def add(enrollments):
        for enrollment in enrollments:
            ResultFactory(plan=enrollment.action_plan, people_reached=40, reach_source="survey")
            DemographicProfileFactory(user=enrollment.user, gender="woman", race=["hispanic"])
            for window in windows:
                circle = RaterCircleFactory(
                    window=window, enrollment=enrollment, shared_with_coach_at=NOW
                )
                for value in (2, 3, 4):
                    answer(circle, Relationship.PEER, value)
            answer_as(
                enrollment.user,
                form,
                key=f"session:{session.pk}",
                cohort=cast.cohort,
                session=session,
                rating=4,
            )

    return add


@pytest.mark.parametrize("role", ["admin", "staff", "coach"])
def test_pages_with_every_section_stay_flat_and_in_budget(data, client_for, role):
    """With data in every section (growth, results, demographics, feedback, 360°), the
    dashboard, at-risk list and funder report cost the same at 1x and 10x, and at most 12."""
    from cohorts.models import Enrollment

    coach = data.coach if role == "coach" else None
    add = _every_section(data)
    in_view = Enrollment.objects.filter(
        cohort=data.cohort, status="active", action_plan__isnull=False
    )
    add(list(in_view))
    client = client_for(role)

    def grow(n):
        newest = Enrollment.objects.order_by("-pk").values_list("pk", flat=True).first()
        grow_cohort(data, n, coach=coach)
        add(list(Enrollment.objects.filter(pk__gt=newest).select_related("action_plan", "user")))

    for name in ("reports:cohort_dashboard", "reports:at_risk", "reports:cohort_report"):
        url = reverse(name, args=[data.cohort.code])
        response = client.get(url)
        assert response.status_code == 200
        count = assert_stable_queries(lambda url=url: client.get(url), grow)
        assert count <= 12, f"{name} as {role}: {count} queries"


def test_the_360_section_reads_nothing_more_when_it_has_nothing_to_show(data):
    """The funder report's 360° figures: closed windows without answers cost one query (no
    framework, no self-ratings); with answers, three, whatever the cohort's size."""
    from cohorts.models import Enrollment
    from feedback360.selectors import cohort_growth

    add = _every_section(data)
    count, _sql, growth = count_queries(lambda: cohort_growth(data.cohort))
    assert not growth.has_data
    assert count == 1
    add(list(Enrollment.objects.filter(cohort=data.cohort, status="active")))
    count, _sql, growth = count_queries(lambda: cohort_growth(data.cohort))
    assert growth.has_data
    assert growth.baseline is not None and growth.baseline.fellows >= 3
    assert count == 3
