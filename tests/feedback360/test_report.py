"""The fellow's 360° report: self-rating beside each group's averages, by domain and
competency, as a chart and a table; groups under 3 merged; comments without names."""

import pytest
from django.urls import reverse

from curriculum.models import AssessmentPhase, Competency
from feedback360.models import RaterCircle, Relationship
from tests.factories.curriculum import AssessmentWindowFactory, SelfAssessmentFactory, rate
from tests.factories.feedback360 import (
    FeedbackPolicyFactory,
    RaterCircleFactory,
    answer,
)

pytestmark = pytest.mark.django_db


def _get(client, circle):
    return client.get(reverse("feedback360:report", kwargs={"code": circle.code}))


def test_small_groups_are_merged_and_the_table_is_hand_checked(cast, client_for, f360):
    # Final self-assessment: 3 on every competency of domain 1, 2 on domain 2.
    window = AssessmentWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.FINAL)
    assessment = SelfAssessmentFactory(window=window, enrollment=cast.enrollments["fellow"])
    competencies = list(Competency.objects.filter(domain__framework=f360.cur.framework))
    rate(assessment, {c: 3 if c.domain.order == 1 else 2 for c in competencies})

    response = _get(client_for("fellow"), f360.report)
    assert response.status_code == 200
    report = response.context["page"].report
    # Peers 4, 3, 5 and a supervisor 2 (not allowed alone): one merged group of four,
    # (4 + 3 + 5 + 2) / 4 = 3.5 on every competency and domain.
    assert [(c.label, c.count) for c in report.columns] == [("Self", None), ("Others combined", 4)]
    rows = [
        (domain.name, [str(v) for v in values])
        for domain, values, _ in response.context["page"].domain_rows()
    ]
    assert rows == [("Domain 1", ["3.0", "3.5"]), ("Domain 2", ["2.0", "3.5"])]
    page = response.content.decode()
    assert 'role="img"' in page and "Ratings by domain" in page
    assert "Answers of supervisor and peer, merged so that no group has fewer than 3." in page
    assert "4.0" not in page  # the peers' own average would single the supervisor out
    # Comments, sorted by their text, without names or relationships.
    assert report.strengths == [
        "Peer strength 0",
        "Peer strength 1",
        "Peer strength 2",
        "SECRET-SUPERVISOR-STRENGTH",
    ]
    assert report.to_develop == ["SECRET-SUPERVISOR-DEVELOP"]


def test_the_supervisor_alone_when_the_program_allows_and_they_were_told(cast, client_for, f360):
    FeedbackPolicyFactory(program=cast.program, supervisor_shown_alone=True)
    circle = RaterCircleFactory(window=f360.closed, enrollment=cast.enrollments["peer"])
    for value in (4, 4, 5):
        answer(circle, Relationship.PEER, value)
    answer(circle, Relationship.SUPERVISOR, 2, told=True)
    report = _get(client_for("peer"), circle).context["page"].report
    assert [(c.label, c.count, str(c.by_domain[f360.cur.domain.pk])) for c in report.columns] == [
        ("Self", None, "None"),
        ("Supervisor", 1, "2.0"),
        ("Peers", 3, "4.3"),  # 13 / 3
        ("All raters", 4, "3.8"),  # 15 / 4 = 3.75
    ]


def test_with_fewer_than_three_answers_only_the_self_rating_shows(cast, client_for, f360):
    circle = RaterCircleFactory(window=f360.closed, enrollment=cast.enrollments["peer"])
    answer(circle, Relationship.PEER, 5, strengths="UNSEEN-COMMENT")
    answer(circle, Relationship.SUPERVISOR, 1)
    response = _get(client_for("peer"), circle)
    page = response.content.decode()
    assert "Only 2 raters answered." in page
    assert "UNSEEN-COMMENT" not in page
    assert [c.label for c in response.context["page"].report.columns] == ["Self"]


def test_the_report_is_ready_only_when_the_window_closes(cast, client_for, f360):
    response = _get(client_for("fellow"), f360.circle)
    assert response.context["page"] is None
    assert "The report is ready when the window closes" in response.content.decode()


def test_the_coach_reads_it_only_while_the_fellow_shares_it(cast, client_for, f360):
    coach, fellow = client_for("coach"), client_for("fellow")
    share_url = reverse("feedback360:report_share", kwargs={"code": f360.report.code})
    assert _get(coach, f360.report).status_code == 403
    fellow.post(share_url, {"share": "yes"})
    shared = _get(coach, f360.report)
    assert shared.status_code == 200
    assert "Fiona Fellow shared this report with you" in shared.content.decode()
    assert "Share with my coach" not in shared.content.decode()
    fellow.post(share_url, {"share": "no"})
    assert RaterCircle.objects.get(pk=f360.report.pk).shared_with_coach_at is None
    assert _get(coach, f360.report).status_code == 403
    # Another coach never, shared or not.
    fellow.post(share_url, {"share": "yes"})
    assert _get(client_for("other_coach"), f360.report).status_code == 404


def test_cohort_growth_is_the_window_figures_answer_by_answer(cast, f360):
    """The funder report's 360° figures are summed by the database; they are the window
    page's, which add up each rater's answers one by one (uneven values, so that the means
    need rounding), for staff and for a coach's shared reports."""
    from django.utils import timezone

    from feedback360.selectors import cohort_growth, framework_map, window_figures

    framework = cast.cohort.framework
    competencies = list(Competency.objects.filter(domain__framework=framework).order_by("pk"))
    peer = RaterCircleFactory(window=f360.closed, enrollment=cast.enrollments["peer"])
    for values in ([1, 2, 3, 4], [2, 2, 5, 1], [3, 4, 4, 5]):
        answer(peer, Relationship.PEER, dict(zip(competencies, values, strict=False)))
    window = AssessmentWindowFactory(cohort=cast.cohort, phase=AssessmentPhase.FINAL)
    for name, values in (("fellow", [3, 4, 2, 2]), ("peer", [1, 2, 5, 5])):
        assessment = SelfAssessmentFactory(window=window, enrollment=cast.enrollments[name])
        rate(assessment, dict(zip(competencies, values, strict=False)))
    domains, domain_of = framework_map(framework)

    def rows(figures):
        return [(r.domain.name, r.self_avg, r.raters_avg) for r in figures.rows]

    expected = window_figures(f360.closed, domains, domain_of)
    growth = cohort_growth(cast.cohort)
    assert (growth.final.fellows, growth.final.answers) == (expected.fellows, expected.answers)
    assert expected.fellows == 3
    assert rows(growth.final) == rows(expected)
    assert all(r.self_avg is not None for r in expected.rows)
    assert [r.final for r in growth.rows] == [r.raters_avg for r in expected.rows]
    assert growth.baseline is None  # the baseline window is still open

    shared = RaterCircle.objects.filter(pk__in=[f360.report.pk, peer.pk, f360.classmate_report.pk])
    shared.update(shared_with_coach_at=timezone.now())
    coached = cast.cohort.enrollments.all()
    coach_growth = cohort_growth(cast.cohort, enrollments=coached, shared_with_coach=True)
    assert rows(coach_growth.final) == rows(expected)
    RaterCircle.objects.filter(pk=peer.pk).update(shared_with_coach_at=None)
    assert not cohort_growth(cast.cohort, enrollments=coached, shared_with_coach=True).has_data
