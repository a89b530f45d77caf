"""Panels the networks app contributes to pages owned by other apps (the fellow's start page,
the cohort page, a fellow's enrollment page). Each loads its own data in a fixed number
of queries and renders nothing when it has nothing to show."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from cohorts import roles
from cohorts.models import EnrollmentStatus
from cohorts.terms import passes_terms

from .. import selectors
from ..models import CheckIn, GroupMeeting, PeerGroup, PeerGroupMembership

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("networks/partials/panel_fellow_home.html", takes_context=True)
@passes_terms
def networks_fellow_home_panel(context, enrollment):
    """My group, its next meeting and my last commitment."""
    membership = (
        PeerGroupMembership.objects.filter(enrollment=enrollment)
        .select_related("group__facilitator")
        .first()
    )
    data = {"request": context.get("request"), "enrollment": enrollment, "membership": membership}
    if membership is not None:
        data["next_meeting"] = (
            GroupMeeting.objects.filter(group=membership.group_id).upcoming(timezone.now()).first()
        )
        data["last_check_in"] = (
            CheckIn.objects.filter(enrollment=enrollment)
            .select_related("meeting")
            .order_by("-meeting__starts_at")
            .first()
        )
    return data


@register.inclusion_tag("networks/partials/panel_cohort.html", takes_context=True)
@passes_terms
def networks_cohort_panel(context, cohort, can_manage=False):
    """Staff: how many groups and how many active fellows are placed. A fellow: their group."""
    user = _user(context)
    data = {"request": context.get("request"), "cohort": cohort, "can_manage": can_manage}
    if can_manage:
        data["summary"] = PeerGroup.objects.filter(cohort=cohort).aggregate(
            groups=Count("pk", distinct=True),
            placed=Count(
                "memberships",
                filter=Q(memberships__enrollment__status=EnrollmentStatus.ACTIVE),
                distinct=True,
            ),
        )
        data["active"] = cohort.enrollments.filter(status=EnrollmentStatus.ACTIVE).count()
    elif user is not None:
        data["membership"] = selectors.membership_of(user, cohort)
        data["facilitated"] = list(PeerGroup.objects.filter(cohort=cohort, facilitator=user.pk))
    return data


@register.inclusion_tag("networks/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def networks_enrollment_panel(context, enrollment, can_manage=False):
    """The fellow's group, for staff and the fellow (coaches do not see peer groups)."""
    user = _user(context)
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
        "request": context.get("request"),
        "enrollment": enrollment,
        "can_manage": can_manage,
        "show": show,
        "membership": membership,
    }
