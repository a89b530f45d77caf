"""The staff's CSV of 360° cohort figures: the same thresholds as the window's page (at least
3 fellows with 3 or more answers each), closed windows only, never a fellow or a rater."""

import csv
import io

import pytest
from django.urls import reverse

from feedback360.models import Relationship
from tests.factories.feedback360 import RaterCircleFactory, answer

pytestmark = pytest.mark.django_db

MARKER = "PLANTED-RATER-MARKER"


def _url(cast):
    return reverse("feedback360:cohort_export", kwargs={"code": cast.cohort.code})


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _third_fellow(cast, f360, **texts):
    peer = RaterCircleFactory(window=f360.closed, enrollment=cast.enrollments["peer"])
    for _ in range(3):
        answer(peer, Relationship.PEER, 2, **texts)


def test_too_few_fellows_give_one_line_and_no_figure(cast, client_for, f360):
    rows = _csv(client_for("staff").get(_url(cast)))
    assert rows == [
        [
            "Window",
            "Domain",
            "Fellows counted",
            "Rater answers",
            "Fellows' self-rating",
            "Raters' average",
        ],
        ["Final", "Not enough answers for cohort figures", "2", "", "", ""],
    ]


def test_figures_match_the_hand_computed_averages(cast, client_for, f360):
    _third_fellow(cast, f360)
    rows = _csv(client_for("staff").get(_url(cast)))
    # Fellow (4, 3, 5, 2), classmate (3, 3, 4), peer (2, 2, 2): 30 / 10 = 3.0 per domain.
    # The open baseline window is not exported: its figures would move with each answer.
    assert rows[1:] == [
        ["Final", "Domain 1", "3", "10", "", "3.0"],
        ["Final", "Domain 2", "3", "10", "", "3.0"],
    ]


def test_a_raters_words_never_reach_the_export(cast, client_for, f360):
    _third_fellow(cast, f360, strengths=MARKER + "-strength", to_develop=MARKER + "-develop")
    for role in ("staff", "admin"):
        response = client_for(role).get(_url(cast))
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert MARKER not in text
        for secret in ("SECRET-SUPERVISOR", "Peer strength", "Classmate strength"):
            assert secret not in text
        # No person is named: neither a fellow nor a rater.
        for name in ("Fiona Fellow", "Ivy Invited", "ivy@agency.example.org"):
            assert name not in text


@pytest.mark.parametrize("role", ["coach", "fellow", "peer", "other_coach"])
def test_only_the_programs_staff_download_it(cast, client_for, f360, role):
    _third_fellow(cast, f360, strengths=MARKER)
    response = client_for(role).get(_url(cast))
    assert response.status_code in (403, 404)
    assert MARKER not in response.content.decode() and "3.0" not in response.content.decode()


def test_an_unknown_cohort_is_not_found(client_for, f360):
    response = client_for("staff").get(
        reverse(
            "feedback360:cohort_export", kwargs={"code": "00000000-0000-0000-0000-000000000000"}
        )
    )
    assert response.status_code == 404


def test_the_download_is_audited_for_the_program(cast, client_for, f360):
    from audit.models import AuditEntry

    client = client_for("staff")
    before = AuditEntry.objects.count()
    _csv(client.get(_url(cast)))
    assert AuditEntry.objects.count() == before + 1
