"""Panels the coaching app contributes to pages owned by other apps (the fellow's start page,
the cohort page, a fellow's enrollment page). Each loads its own data in a fixed number
of queries and renders nothing when it has nothing to show."""

from django import template
from django.utils import timezone

from coaching import selectors
from coaching.models import CoachAssignment, CoachingSession
from coaching.roles import is_active_coach_of
from cohorts.roles import is_fellow_of
from cohorts.terms import passes_terms

register = template.Library()


@register.inclusion_tag("coaching/partials/panel_fellow_home.html", takes_context=True)
@passes_terms
def coaching_fellow_home_panel(context, enrollment):
    now = timezone.now()
    enrollment = selectors.enrollment_with_stats(enrollment.pk, now)
    current = CoachAssignment.objects.active().filter(enrollment=enrollment).select_related("coach")
    current = current.first()
    next_session = (
        CoachingSession.objects.upcoming(now).filter(enrollment=enrollment).order_by("starts_at")
    ).first()
    return {
        "request": context.get("request"),
        "enrollment": enrollment,
        "coach": current.coach if current else None,
        "next_session": next_session,
        "entitlement": enrollment.entitlement,
    }


@register.inclusion_tag("coaching/partials/panel_cohort.html", takes_context=True)
@passes_terms
def coaching_cohort_panel(context, cohort, can_manage=False):
    summary = selectors.coverage_summary(cohort) if can_manage else None
    return {
        "request": context.get("request"),
        "cohort": cohort,
        "can_manage": can_manage,
        "summary": summary,
    }


@register.inclusion_tag("coaching/partials/panel_enrollment.html", takes_context=True)
@passes_terms
def coaching_enrollment_panel(context, enrollment, can_manage=False):
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        can_manage
        or (user is not None and (is_fellow_of(user, enrollment)))
        or (user is not None and is_active_coach_of(user, enrollment))
    )
    history = list(selectors.assignment_history(enrollment)) if show else []
    return {
        "request": request,
        "enrollment": enrollment,
        "can_manage": can_manage,
        "show": show,
        "history": history,
    }
