"""A cohort's schedule, sessions and modules: staff manage, everyone in the cohort reads."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.downloads import file_download
from cohorts.access import get_cohort_for_staff, get_cohort_for_viewer

from .. import services
from ..access import (
    get_assignment_for_staff,
    get_material_for_staff,
    get_material_for_viewer,
    get_module_for_staff,
    get_session_for_staff,
    get_session_for_viewer,
    get_speaker_for_staff,
)
from ..forms import AssignmentForm, MaterialForm, ModuleForm, SeriesForm, SessionForm, SpeakerForm
from ..selectors import modules_of, schedule_of, session_for_page
from ._util import confirm_delete_page, form_page, posted, refused, save_then_redirect


def _schedule_url(cohort):
    return reverse("curriculum:schedule", kwargs={"code": cohort.code})


def _modules_url(cohort):
    return reverse("curriculum:module_list", kwargs={"code": cohort.code})


@require_GET
def schedule(request, code):
    cohort, permissions = get_cohort_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    upcoming, past = schedule_of(cohort)
    return render(
        request,
        "curriculum/schedule.html",
        {"cohort": cohort, "can_manage": can_manage, "upcoming": upcoming, "past": past},
    )


# --- Sessions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = SessionForm(posted(request), cohort=cohort)
    done = save_then_redirect(
        request,
        form,
        partial(services.session_create, cohort=cohort),
        success="Session added to the schedule.",
        then=lambda session: session,
    )
    return done or form_page(
        request, form, "New session", cohort=cohort, back_url=_schedule_url(cohort)
    )


@require_http_methods(["GET", "POST"])
def series_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = SeriesForm(posted(request), cohort=cohort)
    done = save_then_redirect(
        request,
        form,
        partial(services.session_series_create, cohort=cohort),
        success=lambda sessions: f"{len(sessions)} sessions added to the schedule.",
        then=_schedule_url(cohort),
    )
    return done or form_page(
        request,
        form,
        "New monthly series",
        intro="One session a month on the same weekday and time, in the cohort's "
        "time zone (daylight-saving changes are handled).",
        cohort=cohort,
        back_url=_schedule_url(cohort),
    )


@require_GET
def session_detail(request, code):
    session, permissions = get_session_for_viewer(request.user, code)
    return _session_page(request, session, permissions.can_manage)


def _session_page(request, session, can_manage, **forms):
    """The session page; staff get the speaker and material forms (bound after a failed add)."""
    session = session_for_page(session)
    context = {"session": session, "cohort": session.cohort, "can_manage": can_manage}
    if can_manage:
        context.update({"speaker_form": SpeakerForm(), "material_form": MaterialForm(), **forms})
    return render(request, "curriculum/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_edit(request, code):
    session = get_session_for_staff(request.user, code)
    form = SessionForm(posted(request), cohort=session.cohort, instance=session)
    done = save_then_redirect(
        request,
        form,
        partial(services.session_update, session=session),
        success="Session saved; attendees are told of any change of time or place.",
        then=session,
    )
    return done or form_page(
        request, form, f"Edit “{session.title}”", cohort=session.cohort, back=session
    )


@require_POST
def session_cancel(request, code):
    session = get_session_for_staff(request.user, code)
    try:
        services.session_cancel(session=session)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, "Session cancelled; attendees have been told.")
    return redirect(session)


# --- Speakers and materials ----------------------------------------------------------------


@require_POST
def speaker_add(request, code):
    session = get_session_for_staff(request.user, code)
    form = SpeakerForm(request.POST)
    done = save_then_redirect(
        request,
        form,
        partial(services.speaker_add, session=session),
        success="Speaker added.",
        then=session,
    )
    return done or _session_page(request, session, True, speaker_form=form)


@require_http_methods(["GET", "POST"])
def speaker_edit(request, code):
    speaker = get_speaker_for_staff(request.user, code)
    session = speaker.session
    form = SpeakerForm(posted(request), instance=speaker)
    done = save_then_redirect(
        request,
        form,
        partial(services.speaker_update, speaker=speaker),
        success="Speaker saved.",
        then=session,
    )
    return done or form_page(
        request, form, f"Edit speaker {speaker.name}", cohort=session.cohort, back=session
    )


@require_POST
def speaker_remove(request, code):
    speaker = get_speaker_for_staff(request.user, code)
    services.speaker_remove(speaker=speaker)
    messages.success(request, f"{speaker.name} is no longer listed as a speaker.")
    return redirect(speaker.session)


@require_POST
def material_add(request, code):
    session = get_session_for_staff(request.user, code)
    form = MaterialForm(request.POST, request.FILES)
    done = save_then_redirect(
        request,
        form,
        partial(services.material_add, session=session),
        success="Material added.",
        then=session,
    )
    return done or _session_page(request, session, True, material_form=form)


@require_POST
def material_remove(request, code):
    material = get_material_for_staff(request.user, code)
    services.material_remove(material=material)
    messages.success(request, f"“{material.title}” removed.")
    return redirect(material.session)


@require_GET
def material_download(request, code):
    material = get_material_for_viewer(request.user, code)
    if not material.file:
        return redirect(material.url)
    return file_download(request, material.file)


# --- Modules and assignments ---------------------------------------------------------------


@require_GET
def module_list(request, code):
    cohort, permissions = get_cohort_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    return render(
        request,
        "curriculum/module_list.html",
        {"cohort": cohort, "can_manage": can_manage, "modules": modules_of(cohort)},
    )


@require_http_methods(["GET", "POST"])
def module_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    return _module_page(request, cohort, None, "New module")


@require_http_methods(["GET", "POST"])
def module_edit(request, code):
    module = get_module_for_staff(request.user, code)
    return _module_page(request, module.cohort, module, f"Edit {module}")


def _module_page(request, cohort, module, title):
    form = ModuleForm(posted(request), cohort=cohort, instance=module)
    done = save_then_redirect(
        request,
        form,
        partial(services.module_save, cohort=cohort, module=module),
        success="Module saved." if module else "Module added.",
        then=_modules_url(cohort),
    )
    return done or form_page(request, form, title, cohort=cohort, back_url=_modules_url(cohort))


@require_http_methods(["GET", "POST"])
def assignment_create(request, code):
    module = get_module_for_staff(request.user, code)
    return _assignment_page(request, module, None, f"New practice assignment for {module}")


@require_http_methods(["GET", "POST"])
def assignment_edit(request, code):
    assignment = get_assignment_for_staff(request.user, code)
    return _assignment_page(request, assignment.module, assignment, f"Edit “{assignment.title}”")


def _assignment_page(request, module, assignment, title):
    cohort = module.cohort
    form = AssignmentForm(posted(request), cohort=cohort, instance=assignment)
    done = save_then_redirect(
        request,
        form,
        partial(services.assignment_save, module=module, assignment=assignment),
        success="Assignment saved." if assignment else "Assignment added.",
        then=lambda saved: saved,
    )
    return done or form_page(
        request, form, title, cohort=cohort, back=assignment, back_url=_modules_url(cohort)
    )


@require_http_methods(["GET", "POST"])
def assignment_delete(request, code):
    """GET asks for confirmation (or says why it cannot be done); POST deletes. An
    assignment fellows have submitted work for is never deleted."""
    assignment = get_assignment_for_staff(request.user, code)
    cohort = assignment.module.cohort
    if request.method == "POST":
        try:
            services.assignment_delete(assignment=assignment)
        except ValidationError as exc:
            refused(request, exc)
            return redirect(assignment)
        messages.success(request, f"“{assignment.title}” deleted.")
        return redirect(_modules_url(cohort))
    return confirm_delete_page(
        request, assignment, f"Delete “{assignment.title}”?", cohort=cohort, back=assignment
    )
