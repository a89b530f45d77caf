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


@pytest.mark.parametrize(
    ("role", "url_of"),
    [
        ("staff", lambda adm, cast: reverse("admissions:program_rounds", kwargs={"slug": cast.program.slug})),
        ("staff", lambda adm, cast: reverse("admissions:round_detail", kwargs={"code": adm.round.code})),
        ("staff", lambda adm, cast: reverse("admissions:ranking", kwargs={"code": adm.round.code})),
        ("staff", lambda adm, cast: reverse("admissions:decide", kwargs={"code": adm.application.code})),
        ("coach", lambda adm, cast: reverse("admissions:my_reviews", kwargs={"code": adm.round.code})),
        ("coach", lambda adm, cast: reverse("admissions:review", kwargs={"code": adm.coach_assignment.code})),
        ("withdrawn", lambda adm, cast: reverse("admissions:apply", kwargs={"code": adm.round.code})),
        ("withdrawn", lambda adm, cast: reverse("admissions:application_status", kwargs={"code": adm.returning.code})),
        ("anonymous", lambda adm, cast: reverse("admissions:round_public", kwargs={"code": adm.round.code})),
        ("anonymous", lambda adm, cast: reverse("admissions:letter", kwargs={"token": adm.token})),
    ],
    ids=["program_rounds", "round_detail", "ranking", "decide", "my_reviews", "review", "apply", "status", "public", "letter"],
)  # fmt: skip
def test_queries_stay_flat(role, url_of, cast, client_for):
    adm = build_admissions(cast)
    _grow(adm, cast, 1)
    client = client_for(role)
    url = url_of(adm, cast)
    count = assert_stable_queries(lambda: client.get(url), lambda n: _grow(adm, cast, n))
    assert count <= 12
    assert Application.objects.filter(round=adm.round).count() >= 300
