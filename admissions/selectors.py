"""Reads of admissions: the pages' lists, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Avg, Count, F, Prefetch, Q, StdDev

from cohorts.geography import StateOrTerritory
from cohorts.models import Sector

from .models import (
    Application,
    ApplicationRound,
    ApplicationStatus,
    Outcome,
    ReviewAssignment,
    ReviewerSeat,
)


def rounds_of_program(program):
    return (
        ApplicationRound.objects.filter(cohort__program=program)
        .select_related("cohort")
        .annotate(
            submitted=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT))
        )
        .order_by("-opens_at")
    )


def round_overview(round_: ApplicationRound) -> dict:
    counts = dict(
        Application.objects.filter(round=round_)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    seats = list(
        ReviewerSeat.objects.filter(round=round_)
        .select_related("user")
        .annotate(
            load=Count("assignments", distinct=True),
            done=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
            ),
            conflicted=Count("conflicts", distinct=True),
        )
    )
    unassigned = (
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED)
        .annotate(n=Count("assignments"))
        .filter(n__lt=round_.reviewers_per_application)
        .count()
    )
    return {
        "drafts": counts.get(ApplicationStatus.DRAFT, 0),
        "submitted": counts.get(ApplicationStatus.SUBMITTED, 0),
        "decided": counts.get(ApplicationStatus.DECIDED, 0),
        "seats": seats,
        "short_of_reviewers": unassigned,
    }


def ranking(round_: ApplicationRound) -> list[Application]:
    """Submitted and decided applications, best weighted mean first; the spread (standard
    deviation between reviewers) shows where reviewers disagree."""
    return list(
        Application.objects.filter(round=round_)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant", "decision")
        .annotate(
            mean=Avg("assignments__weighted_score"),
            spread=StdDev("assignments__weighted_score"),
            reviews=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
            letters=Count("references", filter=Q(references__received_at__isnull=False)),
        )
        .order_by(F("mean").desc(nulls_last=True), "submitted_at", "pk")
    )


def accepted_mix(round_: ApplicationRound) -> dict[str, Any]:
    """States, sectors and agencies of the accept list so far (one query)."""
    rows = Application.objects.filter(round=round_, decision__outcome=Outcome.ACCEPT).values_list(
        "state", "sector", "agency"
    )
    states: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    agencies: Counter[str] = Counter()
    for state, sector, agency in rows:
        states[StateOrTerritory(state).label] += 1
        sectors[Sector(sector).label] += 1
        agencies[agency] += 1
    return {
        "states": states.most_common(),
        "sectors": sectors.most_common(),
        "agencies": agencies.most_common(),
        "total": sum(states.values()),
    }


def assignments_of_seat(seat: ReviewerSeat) -> list[ReviewAssignment]:
    return list(
        ReviewAssignment.objects.filter(seat=seat)
        .select_related("application__applicant")
        .order_by("submitted_at", "application__submitted_at", "pk")
    )


def application_for_committee(application: Application) -> Application:
    return (
        Application.objects.filter(pk=application.pk)
        .select_related("round__cohort__program", "applicant", "decision")
        .prefetch_related(
            "references",
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("seat__user").order_by("pk"),
            ),
            "conflicts__seat__user",
        )
        .get()
    )


def answered_questions(application: Application, questions) -> list[tuple[object, str]]:
    return [(q, application.answers.get(str(q.pk), "")) for q in questions]
