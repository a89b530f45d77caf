"""What the 360° feedback app shows on pages of other apps: the fellow's start page, the
cohort page, a fellow's growth page, the cohort's self-assessment overview and the funder
report. Each loads its own data in a fixed number of queries; individual answers never
leave feedback360/aggregate.py, and staff get cohort figures only."""

from django import template

from coaching import roles as coaching_roles
from cohorts import roles
from cohorts.models import EnrollmentStatus
from cohorts.terms import passes_terms

from ..charts import growth_chart
from ..models import NominationStatus
from ..selectors import circles_of, cohort_growth, fellow_growth, open_window_for

register = template.Library()


@register.inclusion_tag("feedback360/partials/panel_fellow_home.html", takes_context=True)
@passes_terms
def feedback360_fellow_home_panel(context, enrollment):
    cohort = enrollment.cohort
    is_active = enrollment.status == EnrollmentStatus.ACTIVE
    window = open_window_for(enrollment, cohort.local_date()) if is_active else None
    circles = list(circles_of(enrollment))
    today = cohort.local_date()
    return {
        "request": context.get("request"),
        "window": window,
        "circle": next((c for c in circles if window and c.window_id == window.pk), None),
        "reports": [c for c in circles if not c.window.is_open_on(today)],
    }


@register.inclusion_tag("feedback360/partials/panel_cohort.html", takes_context=True)
@passes_terms
def feedback360_cohort_panel(context, cohort, can_manage=False):
    from ..models import Nomination

    pending = 0
    if can_manage:
        pending = Nomination.objects.filter(
            circle__window__cohort=cohort, status=NominationStatus.PENDING
        ).count()
    return {
        "request": context.get("request"),
        "cohort": cohort,
        "can_manage": can_manage,
        "pending": pending,
    }


@register.inclusion_tag("feedback360/partials/growth_fellow.html", takes_context=True)
@passes_terms
def feedback360_growth_panel(context, enrollment):
    """On a fellow's growth page: their raters' averages, baseline vs final, for the fellow
    (and their coach, from the reports the fellow shared); staff are pointed to cohort
    figures."""
    user = context["request"].user
    own = roles.is_fellow_of(user, enrollment)
    coach = not own and coaching_roles.is_active_coach_of(user, enrollment)
    growth = fellow_growth(enrollment, shared_only=coach) if own or coach else None
    return {
        "request": context.get("request"),
        "enrollment": enrollment,
        "growth": growth,
        "own": own,
        "chart": growth_chart(growth, "feedback360-growth", "360° feedback by domain")
        if growth and growth.has_data
        else None,
    }


@register.inclusion_tag("feedback360/partials/growth_cohort.html", takes_context=True)
@passes_terms
def feedback360_cohort_growth_panel(context, cohort):
    """On the staff's self-assessment overview: the cohort's 360° figures."""
    growth = cohort_growth(cohort)
    return {
        "request": context.get("request"),
        "cohort": cohort,
        "growth": growth,
        "chart": growth_chart(growth, "feedback360-cohort-growth", "Cohort 360° feedback by domain")
        if growth.has_data
        else None,
    }


@register.inclusion_tag("feedback360/partials/funder_section.html", takes_context=True)
@passes_terms
def feedback360_funder_section(context, scope):
    """The funder report's 360° section: cohort figures; a coach's report counts only the
    fellows they coach who shared their reports."""
    if scope.is_staff:
        growth = cohort_growth(scope.cohort)
    else:
        growth = cohort_growth(
            scope.cohort, enrollments=scope.enrollments(), shared_with_coach=True
        )
    return {
        "request": context.get("request"),
        "scope": scope,
        "growth": growth,
        "chart": growth_chart(growth, "feedback360-funder", "360° feedback by domain")
        if growth.has_data
        else None,
    }
