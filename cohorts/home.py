"""The fellow's start page is made of panels that the apps above cohorts contribute (the
schedule, the plan, coaching, the peer group...). Each app registers its panel here from its
`AppConfig.ready()`; cohorts never imports them. A panel gives the single figures it needs as
annotations on the fellow's enrollment row, so all panels' figures are read in one query,
then reads its short lists (at most a few rows each) and returns what its template shows."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, IntegerField, QuerySet, Subquery
from django.db.models.expressions import BaseExpression
from django.utils import timezone

from accounts.compiled import CompiledQuery
from accounts.models import User

from .models import Enrollment, EnrollmentStatus

# A figure of the enrollment row: a subquery, or a column reached through a join.
Figure = BaseExpression | F


class SubqueryCount(Subquery):
    """How many rows a subquery has, as one figure of the outer row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


@dataclass(frozen=True)
class HomeView:
    """Who is looking, at which enrollment, when (today on the cohort's calendar)."""

    user: Any
    enrollment: Enrollment
    now: datetime.datetime
    today: datetime.date

    @property
    def is_active(self) -> bool:
        return self.enrollment.status == EnrollmentStatus.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.enrollment.status == EnrollmentStatus.COMPLETED


@dataclass(frozen=True)
class HomePanel:
    name: str
    template: str
    order: int
    # The panel's single figures, keyed "<name>_<figure>", as expressions on Enrollment.
    annotations: Callable[[HomeView], Mapping[str, Figure]]
    # What the template shows, from the figures read and the panel's own short lists.
    build: Callable[[HomeView, Mapping[str, Any]], dict[str, Any]]


@dataclass
class RenderedPanel:
    template: str
    data: dict[str, Any] = field(default_factory=dict)


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _PANELS[panel.name] = panel


def fellow_home_panels(
    user: Any, enrollment: Enrollment, now: datetime.datetime | None = None
) -> list[RenderedPanel]:
    """Every registered panel's data for the fellow's enrollment: one query for all their
    figures, then each panel's lists."""
    now = now or timezone.now()
    view = HomeView(
        user=user, enrollment=enrollment, now=now, today=enrollment.cohort.local_date(now)
    )
    panels = sorted(_PANELS.values(), key=lambda panel: panel.order)
    values = {
        "enrollment_id": enrollment.pk,
        "cohort_id": enrollment.cohort_id,
        "user_id": user.pk,
        "now": now,
        "today": view.today,
    }
    # The panels' annotations differ by the enrollment's status (an active fellow's panels
    # ask more): with the panels registered, that decides the query's SQL.
    shape = (enrollment.status, tuple(_PANELS.values()))
    found = _FIGURES_QUERY.first(
        shape, values, lambda values: _figures_query(panels, values, enrollment.status)
    )
    figures: Mapping[str, Any] = {
        name.removeprefix("home_"): value for name, value in found.items()
    }
    return [RenderedPanel(panel.template, panel.build(view, figures)) for panel in panels]


_FIGURES_QUERY = CompiledQuery()


def _figures_query(panels: list[HomePanel], values: Mapping, status: str) -> QuerySet:
    """Every panel's figures as one row of the enrollment, built from `values` alone (the
    SQL is kept and run again with the next request's values: accounts/compiled.py)."""
    stand_in = HomeView(
        user=User(pk=values["user_id"]),
        enrollment=Enrollment(
            pk=values["enrollment_id"], cohort_id=values["cohort_id"], status=status
        ),
        now=values["now"],
        today=values["today"],
    )
    annotations: dict[str, Figure] = {}
    for panel in panels:
        annotations.update(panel.annotations(stand_in))
    # Aliased so that a figure's name never meets a field or relation of Enrollment.
    aliased = {f"home_{name}": expression for name, expression in annotations.items()}
    return (
        Enrollment.objects.filter(pk=values["enrollment_id"]).annotate(**aliased).values(*aliased)
    )
