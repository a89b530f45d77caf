"""Every surface that could show one rater's answer: staff pages (their own and others'),
the coach's pages without sharing, exports, and the Django admin. None does; staff get
cohort figures only, and only with at least 3 fellows who each have 3 or more answers."""

import pytest
from django.contrib import admin
from django.urls import reverse

from feedback360.models import RaterRating, RaterResponse, Relationship
from reports.exports import EXPORTS
from tests.factories.feedback360 import RaterCircleFactory, answer

pytestmark = pytest.mark.django_db

SECRETS = ["SECRET-SUPERVISOR-STRENGTH", "SECRET-SUPERVISOR-DEVELOP", "Classmate strength"]


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _assert_no_answers(client, url):
    response = client.get(url)
    assert response.status_code in (200, 403), (url, response.status_code)
    text = _content(response)
    for secret in SECRETS + ["Peer strength"]:
        assert secret not in text, (url, secret)
    return text


def _staff_urls(cast, f360):
    cohort, fellow = cast.cohort, cast.enrollments["fellow"]
    urls = [
        reverse("feedback360:cohort_windows", kwargs={"code": cohort.code}),
        reverse("feedback360:cohort_export", kwargs={"code": cohort.code}),
        reverse("feedback360:window_detail", kwargs={"code": f360.closed.code}),
        reverse("feedback360:window_detail", kwargs={"code": f360.window.code}),
        reverse("feedback360:window_close", kwargs={"code": f360.window.code}),
        reverse("feedback360:policy_edit", kwargs={"slug": cast.program.slug}),
        reverse("feedback360:report", kwargs={"code": f360.report.code}),
        reverse("cohorts:cohort_detail", kwargs={"code": cohort.code}),
        reverse("cohorts:enrollment_detail", kwargs={"code": fellow.code}),
        reverse("curriculum:growth", kwargs={"code": fellow.code}),
        reverse("curriculum:assessment_overview", kwargs={"code": cohort.code}),
        reverse("reports:cohort_dashboard", kwargs={"code": cohort.code}),
        reverse("reports:at_risk", kwargs={"code": cohort.code}),
        reverse("reports:cohort_report", kwargs={"code": cohort.code}),
        reverse("reports:program_dashboard", kwargs={"slug": cast.program.slug}),
    ]
    urls += [
        reverse("reports:export", kwargs={"code": cohort.code, "kind": kind}) for kind in EXPORTS
    ]
    return urls


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_pages_and_exports_show_no_rater_answer(cast, client_for, f360, role):
    client = client_for(role)
    for url in _staff_urls(cast, f360):
        _assert_no_answers(client, url)
    growth = _assert_no_answers(
        client, reverse("curriculum:growth", kwargs={"code": cast.enrollments["fellow"].code})
    )
    assert "program staff see cohort figures only" in growth
    # Two fellows with 3+ answers in the closed window: too few for cohort figures.
    closed = _assert_no_answers(client, f360.closed.get_absolute_url())
    assert "Not enough answers for cohort figures" in closed


def test_the_coach_without_sharing_sees_no_answer(cast, client_for, f360):
    client = client_for("coach")
    fellow = cast.enrollments["fellow"]
    for url in [
        reverse("feedback360:report", kwargs={"code": f360.report.code}),
        reverse("cohorts:enrollment_detail", kwargs={"code": fellow.code}),
        reverse("curriculum:growth", kwargs={"code": fellow.code}),
        reverse("coaching:coach_home"),
        reverse("feedback360:cohort_export", kwargs={"code": cast.cohort.code}),
        reverse("reports:cohort_dashboard", kwargs={"code": cast.cohort.code}),
        reverse("reports:cohort_report", kwargs={"code": cast.cohort.code}),
        *[
            reverse("reports:export", kwargs={"code": cast.cohort.code, "kind": kind})
            for kind in EXPORTS
        ],
    ]:
        _assert_no_answers(client, url)
    growth = client.get(reverse("curriculum:growth", kwargs={"code": fellow.code}))
    assert "Nothing shared yet." in growth.content.decode()


def test_the_coach_sees_growth_from_shared_reports_only(cast, client_for, f360):
    client_for("fellow").post(
        reverse("feedback360:report_share", kwargs={"code": f360.report.code}), {"share": "yes"}
    )
    growth = client_for("coach").get(
        reverse("curriculum:growth", kwargs={"code": cast.enrollments["fellow"].code})
    )
    rows = [(r.domain.name, r.baseline, str(r.final)) for r in growth.context["growth"].rows]
    # The fellow's four raters: (4 + 3 + 5 + 2) / 4 = 3.5 in each domain (final window).
    assert rows == [("Domain 1", None, "3.5"), ("Domain 2", None, "3.5")]


def test_the_fellows_growth_page_shows_their_360_averages(cast, client_for, f360):
    growth = client_for("fellow").get(
        reverse("curriculum:growth", kwargs={"code": cast.enrollments["fellow"].code})
    )
    assert [str(r.final) for r in growth.context["growth"].rows] == ["3.5", "3.5"]
    assert "360° feedback by domain" in growth.content.decode()


def test_cohort_figures_appear_with_three_fellows_and_never_name_one(cast, client_for, f360):
    peer = RaterCircleFactory(window=f360.closed, enrollment=cast.enrollments["peer"])
    for _ in range(3):
        answer(peer, Relationship.PEER, 2, strengths="Peer circle strength")
    SECRETS.append("Peer circle strength")
    try:
        client = client_for("staff")
        page = _assert_no_answers(client, f360.closed.get_absolute_url())
        figures = client.get(f360.closed.get_absolute_url()).context["figures"]
        # Fellow (4, 3, 5, 2), classmate (3, 3, 4), peer (2, 2, 2): 30 / 10 = 3.0.
        assert (figures.fellows, figures.answers) == (3, 10)
        assert [str(r.raters_avg) for r in figures.rows] == ["3.0", "3.0"]
        assert "3 fellows, 10 rater answers" in page
        report = _assert_no_answers(
            client, reverse("reports:cohort_report", kwargs={"code": cast.cohort.code})
        )
        assert "How the people who work with the fellows rate them" in report
        overview = client.get(
            reverse("curriculum:assessment_overview", kwargs={"code": cast.cohort.code})
        )
        assert [str(r.final) for r in overview.context["growth"].rows] == ["3.0", "3.0"]
        # The coach's funder report counts only fellows who shared: none, so nothing.
        coach_report = client_for("coach").get(
            reverse("reports:cohort_report", kwargs={"code": cast.cohort.code})
        )
        assert "No 360° feedback figures yet" in coach_report.content.decode()
    finally:
        SECRETS.remove("Peer circle strength")


def test_the_admin_never_shows_answers(cast, client_for, f360):
    assert RaterResponse not in admin.site._registry
    assert RaterRating not in admin.site._registry
    client = client_for("admin")
    urls = [reverse("admin:index"), reverse("admin:app_list", args=["feedback360"])]
    for model in admin.site._registry:
        if model._meta.app_label != "feedback360":
            continue
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        for obj in model.objects.all():
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]))
    urls.append(reverse("admin:feedback360_nomination_changelist") + "?q=SECRET")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in SECRETS + ["Peer strength"]:
            assert secret not in text, (url, secret)


MARKER = "PLANTED-BY-A-RATER"


def _rater_answers_with_a_marker(client, f360):
    """A rater answers through their emailed link, as in production, with marked words."""
    from curriculum.models import Competency

    data = {
        f"c-{c.code}": 4 for c in Competency.objects.filter(domain__framework=f360.cur.framework)
    }
    data.update(strengths=f"{MARKER} strength", to_develop=f"{MARKER} develop")
    response = client.post(f"/360/r/{f360.token}/", data)
    assert (
        response.status_code == 200
        and RaterResponse.objects.filter(strengths__startswith=MARKER).exists()
    )


def test_no_admin_list_page_of_the_site_shows_an_answer(cast, client, client_for, f360):
    """Every model of the whole admin, listed and searched for the rater's words (the ledger's
    rows to raters, the audit log and the nominations included)."""
    from django.utils import timezone

    from feedback360.emails import invite

    _rater_answers_with_a_marker(client, f360)
    invite([f360.invited.pk], timezone.now())  # a ledger row to a rater
    admin_client = client_for("admin")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in [MARKER, *SECRETS]:
            assert secret not in text, (url, secret)
        if model_admin.search_fields:
            # The search box echoes the words: what counts is that no row matches them.
            found = admin_client.get(url, {"q": MARKER})
            assert found.context["cl"].result_count == 0, url


def test_the_audit_log_and_its_export_show_no_answer(cast, client, client_for, f360):
    _rater_answers_with_a_marker(client, f360)
    for role in ("staff", "admin"):
        staff = client_for(role)
        for url in (reverse("audit:log"), reverse("audit:export")):
            response = staff.get(url)
            assert response.status_code in (200, 403), (url, role)
            assert MARKER not in _content(response), (url, role)


def test_the_coach_sees_no_answer_anywhere_after_a_rater_answered(cast, client, client_for, f360):
    _rater_answers_with_a_marker(client, f360)
    coach = client_for("coach")
    fellow = cast.enrollments["fellow"]
    for url in [
        reverse("feedback360:report", kwargs={"code": f360.circle.code}),
        reverse("cohorts:enrollment_detail", kwargs={"code": fellow.code}),
        reverse("curriculum:growth", kwargs={"code": fellow.code}),
        reverse("coaching:coach_home"),
        reverse("reports:cohort_report", kwargs={"code": cast.cohort.code}),
        reverse("feedback360:cohort_export", kwargs={"code": cast.cohort.code}),
    ]:
        response = coach.get(url)
        assert MARKER not in _content(response), url
