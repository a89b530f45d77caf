"""Selectors of the panels networks shows on other apps' pages: the fellow's start page
(cohorts/home.py: my group, its next meeting and my last commitment, all figures of the
enrollment row), the cohort page and a fellow's enrollment page. Who may see what is decided
here; templatetags/networks_panels.py only renders what they return."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery

from accounts.links import code_url
from cohorts import roles
from cohorts.home import Figure, HomePanel, HomeView, SubqueryCount
from cohorts.models import Cohort, Enrollment, EnrollmentStatus

from . import selectors
from .models import CheckIn, GroupMeeting, PeerGroup, PeerGroupMembership


def _annotations(view: HomeView) -> dict[str, Figure]:
    meeting = GroupMeeting.objects.filter(group__memberships__enrollment=OuterRef("pk")).upcoming(
        view.now
    )
    check_in = CheckIn.objects.filter(enrollment=OuterRef("pk")).order_by("-meeting__starts_at")
    return {
        # One group per enrollment (a unique constraint): joins, cheaper than subqueries.
        "networks_group_code": F("peer_group_memberships__group__code"),
        "networks_group_name": F("peer_group_memberships__group__name"),
        "networks_facilitator_name": F("peer_group_memberships__group__facilitator__full_name"),
        "networks_facilitator_email": F("peer_group_memberships__group__facilitator__email"),
        "networks_meeting_code": Subquery(meeting.values("code")[:1]),
        "networks_meeting_starts_at": Subquery(meeting.values("starts_at")[:1]),
        "networks_commitment": Subquery(check_in.values("next_commitment")[:1]),
        "networks_commitment_at": Subquery(check_in.values("meeting__starts_at")[:1]),
    }


def _build(view: HomeView, figures: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"enrollment": view.enrollment, "group": None}
    if figures["networks_group_code"] is None:
        return data
    facilitator = figures["networks_facilitator_name"] or figures["networks_facilitator_email"]
    data["group"] = {
        "url": code_url("networks:group_detail", figures["networks_group_code"]),
        "name": figures["networks_group_name"],
        "facilitator": facilitator,
    }
    if figures["networks_meeting_code"] is not None:
        data["next_meeting"] = GroupMeeting(
            code=figures["networks_meeting_code"], starts_at=figures["networks_meeting_starts_at"]
        )
    if figures["networks_commitment_at"] is not None:
        data["last_check_in"] = {
            "next_commitment": figures["networks_commitment"],
            "meeting_starts_at": figures["networks_commitment_at"],
        }
    return data


FELLOW_HOME_PANEL = HomePanel(
    name="networks",
    template="networks/partials/panel_fellow_home.html",
    order=40,
    annotations=_annotations,
    build=_build,
)


def cohort_panel(user: Any, cohort: Cohort, can_manage: bool) -> dict[str, Any]:
    """Staff: how many groups and how many active fellows are placed (one query). A fellow
    or a facilitator: their group."""
    data: dict[str, Any] = {"cohort": cohort, "can_manage": can_manage}
    if can_manage:
        active = EnrollmentStatus.ACTIVE
        data["summary"] = (
            Cohort.objects.filter(pk=cohort.pk)
            .annotate(
                groups=SubqueryCount(PeerGroup.objects.filter(cohort=OuterRef("pk")).values("pk")),
                placed=SubqueryCount(
                    PeerGroupMembership.objects.filter(
                        group__cohort=OuterRef("pk"), enrollment__status=active
                    ).values("pk")
                ),
                active=SubqueryCount(
                    Enrollment.objects.filter(cohort=OuterRef("pk"), status=active).values("pk")
                ),
            )
            .values("groups", "placed", "active")
            .get()
        )
    elif user is not None:
        data["membership"] = selectors.membership_of(user, cohort)
        data["facilitated"] = list(PeerGroup.objects.filter(cohort=cohort, facilitator=user.pk))
    return data


def enrollment_panel(user: Any, enrollment: Any, can_manage: bool) -> dict[str, Any]:
    """The fellow's group, for staff and the fellow (coaches do not see peer groups)."""
    show = user is not None and (can_manage or roles.is_fellow_of(user, enrollment))
    membership = None
    if show:
        membership = (
            PeerGroupMembership.objects.filter(enrollment=enrollment)
            .select_related("group__facilitator")
            .annotate(size=Count("group__memberships"))
            .first()
        )
    return {
        "enrollment": enrollment,
        "can_manage": can_manage,
        "show": show,
        "membership": membership,
    }
