"""Every admissions page costs the same number of queries at 1x and 10x data (30 and 300
applications, with their letters, reviews and decisions)."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from admissions.models import (
    Application,
    ApplicationStatus,
    Decision,
    ReferenceRequest,
    ReviewAssignment,
)
from cohorts.geography import StateOrTerritory
from tests.factories.admissions import build_admissions, make_seat
from tests.queries import assert_stable_queries

_counter = itertools.count()
STATES = [s.value for s in StateOrTerritory]


def _grow(adm, cast, times: int, per: int = 30):
    now = timezone.now()
    seats = [adm.seat, adm.coach_seat, make_seat(adm.round)]
    for _ in range(times):
        users = User.objects.bulk_create(
            User(email=f"grown{next(_counter)}@example.org", full_name="Grown Applicant")
            for _ in range(per)
        )
        apps = Application.objects.bulk_create(
            Application(
                round=adm.round,
                applicant=user,
                status=ApplicationStatus.SUBMITTED,
                submitted_at=now,
                state=STATES[next(_counter) % len(STATES)],
                agency=f"Agency {i % 7}",
                sector="public_health",
            )
            for i, user in enumerate(users)
        )
        ReferenceRequest.objects.bulk_create(
            ReferenceRequest(application=a, name="R", email=f"r{a.pk}@example.org", received_at=now)
            for a in apps
        )
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                seat=seat, application=a, scores={}, weighted_score=3, submitted_at=now
            )
            for a in apps
            for seat in seats
        )
        Decision.objects.bulk_create(
            Decision(
                application=a, outcome="decline", reason="r", decided_at=now, decided_by=cast.staff
            )
            for a in apps[: per // 3]
        )


PAGES = {
    "program_rounds": ("staff", "admissions:program_rounds", lambda a, c: {"slug": c.program.slug}),
    "round_detail": ("staff", "admissions:round_detail", lambda a, c: {"code": a.round.code}),
    "ranking": ("staff", "admissions:ranking", lambda a, c: {"code": a.round.code}),
    "questions": ("staff", "admissions:round_questions", lambda a, c: {"code": a.round.code}),
    "question_edit": (
        "staff",
        "admissions:question_edit",
        lambda a, c: {"code": a.round.code, "pk": a.round.questions.first().pk},
    ),
    "rubric": ("staff", "admissions:round_rubric", lambda a, c: {"code": a.round.code}),
    "criterion_edit": (
        "staff",
        "admissions:criterion_edit",
        lambda a, c: {"code": a.round.code, "pk": a.round.criteria.first().pk},
    ),
    "decide": ("staff", "admissions:decide", lambda a, c: {"code": a.application.code}),
    "my_reviews": ("coach", "admissions:my_reviews", lambda a, c: {"code": a.round.code}),
    "review": ("coach", "admissions:review", lambda a, c: {"code": a.coach_assignment.code}),
    "apply": ("withdrawn", "admissions:apply", lambda a, c: {"code": a.round.code}),
    "status": (
        "withdrawn",
        "admissions:application_status",
        lambda a, c: {"code": a.returning.code},
    ),
    "public": ("anonymous", "admissions:round_public", lambda a, c: {"code": a.round.code}),
    "letter": ("anonymous", "admissions:letter", lambda a, c: {"token": a.token}),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_stay_flat(page, cast, client_for):
    role, name, kwargs = PAGES[page]
    adm = build_admissions(cast)
    _grow(adm, cast, 1)
    client = client_for(role)
    url = reverse(name, kwargs=kwargs(adm, cast))
    count = assert_stable_queries(lambda: client.get(url), lambda n: _grow(adm, cast, n))
    assert count <= 12
    assert Application.objects.filter(round=adm.round).count() >= 300
