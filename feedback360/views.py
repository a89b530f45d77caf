"""360° feedback pages: thin views. Access first (feedback360/access.py), then a form and a
service, or a selector, then render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.csv_export import csv_download
from accounts.form_helpers import posted, save_form, save_then_redirect
from cohorts.access import get_cohort_for_staff, get_program_for_staff
from cohorts.terms import terms_for_request

from . import selectors, services
from .access import (
    get_circle_for_fellow,
    get_circle_for_viewer,
    get_nomination_for_fellow,
    get_window_for_fellow,
    get_window_for_staff,
)
from .charts import report_chart
from .emails import nomination_for_token
from .forms import (
    CloseForm,
    DecideForm,
    NominationForm,
    PolicyForm,
    RaterForm,
    WindowDatesForm,
    WindowForm,
)
from .models import MIN_GROUP_SIZE, NominationStatus, Relationship
from .selectors import (
    EXPORT_HEADER,
    circle_of,
    cohort_export_rows,
    framework_map,
    pending_of,
    policy_for,
    rating_form_data,
    report_of,
    window_figures,
    window_progress,
    windows_of,
)


def _refused(request, exc: ValidationError, then: str):
    messages.error(request, " ".join(exc.messages))
    return redirect(then)


# --- Staff -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cohort_windows(request, code):
    """The cohort's 360° feedback windows; open a new one here."""
    cohort = get_cohort_for_staff(request.user, code)
    form = WindowForm(posted(request))
    here = reverse("feedback360:cohort_windows", kwargs={"code": cohort.code})
    done = save_then_redirect(
        request,
        form,
        lambda **data: services.window_save(cohort=cohort, **data),
        success="360° feedback window saved.",
        then=here,
    )
    return done or render(
        request,
        "feedback360/cohort_windows.html",
        {
            "cohort": cohort,
            "windows": windows_of(cohort, cohort.local_date()),
            "policy": policy_for(cohort.program),
            "form": form,
        },
    )


@require_GET
def cohort_export(request, code):
    """The cohort figures of every closed window as CSV, for the program's staff: the same
    thresholds as the pages, never one fellow's or one rater's answers."""
    cohort = get_cohort_for_staff(request.user, code)
    terms = terms_for_request(request)
    name = slugify(f"{cohort.program.slug} {cohort.name} 360 feedback") or "360-feedback"
    return csv_download(
        f"{name}.csv",
        [terms.speak(column) for column in EXPORT_HEADER],
        cohort_export_rows(cohort),
        program=cohort.program_id,
        subject=f"360° feedback figures of {cohort}",
    )


@require_http_methods(["GET", "POST"])
def policy_edit(request, slug):
    program = get_program_for_staff(request.user, slug)
    form = PolicyForm(posted(request), instance=policy_for(program))
    terms_for_request(request).speak_form(form)
    done = save_then_redirect(
        request,
        form,
        lambda **data: services.policy_save(program=program, by=request.user, **data),
        success="360° feedback settings saved.",
        then=reverse("feedback360:policy_edit", kwargs={"slug": program.slug}),
    )
    return done or render(
        request, "feedback360/policy_edit.html", {"program": program, "form": form}
    )


@require_http_methods(["GET", "POST"])
def window_detail(request, code):
    """Staff: each fellow's progress (counts only), nominations to approve, and once the
    window has closed, the cohort's figures."""
    window = get_window_for_staff(request.user, code)
    cohort = window.cohort
    here = window.get_absolute_url()
    progress = window_progress(window)
    pending = pending_of(progress)
    form = DecideForm(posted(request), pending=pending)
    terms_for_request(request).speak_form(form)
    done = save_then_redirect(
        request,
        form,
        lambda **_: services.nominations_decide(
            window=window, by=request.user, **form.service_args()
        ),
        success="Decision saved; approved raters are being emailed their link.",
        then=here,
    )
    if done:
        return done
    today = cohort.local_date()
    closed = not window.is_open_on(today) and today >= window.opens_on
    figures = None
    if closed and cohort.framework_id:
        domains, domain_of = framework_map(cohort.framework)
        circles = [(row.circle.pk, row.enrollment.pk) for row in progress if row.circle]
        figures = window_figures(window, domains, domain_of, circles)
    return render(
        request,
        "feedback360/window_detail.html",
        {
            "window": window,
            "cohort": cohort,
            "state": window.state_on(today),
            "progress": progress,
            "policy": policy_for(cohort.program),
            "pending": pending,
            "form": form,
            "figures": figures,
            "min_group": MIN_GROUP_SIZE,
        },
    )


@require_http_methods(["GET", "POST"])
def window_edit(request, code):
    window = get_window_for_staff(request.user, code)
    form = WindowDatesForm(posted(request), window=window)
    done = save_then_redirect(
        request,
        form,
        lambda **data: services.window_save(
            cohort=window.cohort, phase=window.phase, window=window, **data
        ),
        success="Window dates saved.",
        then=window.get_absolute_url(),
    )
    return done or render(
        request,
        "feedback360/window_form.html",
        {"window": window, "cohort": window.cohort, "form": form},
    )


@require_http_methods(["GET", "POST"])
def window_close(request, code):
    """Closing early: staff see who has too few raters and confirm."""
    window = get_window_for_staff(request.user, code)
    form = CloseForm(posted(request))
    terms_for_request(request).speak_form(form)
    done = save_then_redirect(
        request,
        form,
        lambda **data: services.window_close(window=window, by=request.user, **data),
        success="The window is closed: rater links no longer work and reports are ready.",
        then=window.get_absolute_url(),
    )
    progress = window_progress(window)
    return done or render(
        request,
        "feedback360/window_close.html",
        {
            "window": window,
            "cohort": window.cohort,
            "form": form,
            "short": [row for row in progress if row.is_short],
            "min_group": MIN_GROUP_SIZE,
        },
    )


# --- The fellow --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def nominate(request, code):
    """The fellow's raters in this window: add, remove, send for approval."""
    window, permissions = get_window_for_fellow(request.user, code)
    enrollment = permissions.enrollment
    cohort = window.cohort
    here = reverse("feedback360:nominate", kwargs={"code": window.code})
    form = NominationForm(posted(request))
    done = save_then_redirect(
        request,
        form,
        lambda **data: services.nomination_add(window=window, enrollment=enrollment, **data),
        success="Rater added. Send your nominations when your list is complete.",
        then=here,
    )
    if done:
        return done
    policy = policy_for(cohort.program)
    circle = circle_of(window, enrollment)
    nominations = list(circle.nominations.all()) if circle else []
    counts: dict[str, int] = {}
    for n in nominations:
        if n.status != NominationStatus.DECLINED:
            counts[n.relationship] = counts.get(n.relationship, 0) + 1
    return render(
        request,
        "feedback360/nominate.html",
        {
            "window": window,
            "cohort": cohort,
            "enrollment": enrollment,
            "circle": circle,
            "nominations": nominations,
            "form": form,
            "policy": policy,
            "minimums": [
                (Relationship(r).label, needed, counts.get(r, 0))
                for r, needed in policy.minimums().items()
                if needed
            ],
            "missing": policy.shortfalls(counts),
            "drafts": sum(n.status == NominationStatus.DRAFT for n in nominations),
            "answered": sum(n.is_answered for n in nominations),
            "is_open": window.is_open_on(cohort.local_date()),
        },
    )


@require_POST
def nominations_send(request, code):
    window, permissions = get_window_for_fellow(request.user, code)
    enrollment = permissions.enrollment
    here = reverse("feedback360:nominate", kwargs={"code": window.code})
    circle = circle_of(window, enrollment)
    if circle is None:
        messages.error(request, "Add your raters first.")
        return redirect(here)
    try:
        sent = services.nominations_send(circle=circle)
    except ValidationError as exc:
        return _refused(request, exc, here)
    policy = policy_for(window.cohort.program)
    what = "sent for approval" if policy.approval_required else "invited by email"
    messages.success(request, f"{sent} rater{'s' if sent > 1 else ''} {what}.")
    return redirect(here)


@require_POST
def nomination_remove(request, code):
    nomination = get_nomination_for_fellow(request.user, code)
    here = reverse("feedback360:nominate", kwargs={"code": nomination.circle.window.code})
    try:
        services.nomination_remove(nomination=nomination)
    except ValidationError as exc:
        return _refused(request, exc, here)
    messages.success(request, f"{nomination.name} is no longer on your list.")
    return redirect(here)


@require_GET
def report(request, code):
    """The fellow's report (and their coach's, once shared): ready when the window closes."""
    circle, permissions = get_circle_for_viewer(request.user, code)
    window = circle.window
    today = window.cohort.local_date()
    ready = not window.is_open_on(today) and today >= window.opens_on
    page = report_of(circle) if ready else None
    return render(
        request,
        "feedback360/report.html",
        {
            "circle": circle,
            "window": window,
            "cohort": window.cohort,
            "enrollment": circle.enrollment,
            "is_own": permissions.is_owner,
            "ready": ready,
            "page": page,
            "chart": report_chart(page) if page and not page.report.is_hidden else None,
            "min_group": MIN_GROUP_SIZE,
        },
    )


@require_POST
def report_share(request, code):
    circle = get_circle_for_fellow(request.user, code)
    share = request.POST.get("share") == "yes"
    services.circle_share(circle=circle, share=share)
    messages.success(
        request,
        "Your coach can now read this report."
        if share
        else "This report is no longer shared with your coach.",
    )
    return redirect(circle.get_absolute_url())


# --- The rater (no account: the link is the key) ------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def rate(request, token):
    nomination = nomination_for_token(token)
    if nomination is None:
        return render(request, "feedback360/rate_unusable.html", {"reason": "invalid"}, status=404)
    refusal = selectors.link_refusal(nomination, timezone.now())
    if refusal is not None:
        return _unusable(request, refusal)
    circle = nomination.circle
    cohort = circle.window.cohort
    if cohort.framework is None:
        return render(request, "feedback360/rate_unusable.html", {"reason": "invalid"}, status=404)
    domains, levels = rating_form_data(cohort.framework)
    policy = policy_for(cohort.program)
    shown_alone = (
        nomination.relationship == Relationship.SUPERVISOR and policy.supervisor_shown_alone
    )
    form = RaterForm(posted(request), domains=domains, levels=levels)
    try:
        answered = save_form(
            form,
            lambda data: services.response_submit(
                nomination=nomination,
                ratings=form.ratings(),
                strengths=data["strengths"],
                to_develop=data["to_develop"],
                shown_alone_notice=request.POST.get("shown_alone_notice") == "1" and shown_alone,
            ),
        )
    except services.LinkUnusable as exc:
        return _unusable(request, exc)
    if answered is not None:
        return render(request, "feedback360/rate_done.html", {"fellow": circle.enrollment.user})
    return render(
        request,
        "feedback360/rate.html",
        {
            "nomination": nomination,
            "fellow": circle.enrollment.user,
            "window": circle.window,
            "program": cohort.program,
            "form": form,
            "levels": levels,
            "shown_alone": shown_alone,
            "min_group": MIN_GROUP_SIZE,
        },
    )


def _unusable(request, refusal: services.LinkUnusable):
    return render(
        request,
        "feedback360/rate_unusable.html",
        {"reason": refusal.reason, "message": refusal.message},
        status=410,
    )
