"""A cohort's schedule, sessions and modules: staff manage, everyone in the cohort reads."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
from ._util import apply_errors, form_page, posted_data, refused, save_form


@require_GET
def schedule(request, code):
    cohort, can_manage = get_cohort_for_viewer(request.user, code)
    upcoming, past = schedule_of(cohort)
    return render(
        request,
        "curriculum/schedule.html",
        {"cohort": cohort, "can_manage": can_manage, "upcoming": upcoming, "past": past},
    )


@require_http_methods(["GET", "POST"])
def session_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = SessionForm(posted_data(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Session added to the schedule.")
            return redirect(session)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": "New session", "cohort": cohort, "back_url": _schedule(cohort)},
    )


@require_http_methods(["GET", "POST"])
def series_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = SeriesForm(posted_data(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            sessions = services.session_series_create(cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{len(sessions)} sessions added to the schedule.")
            return redirect(_schedule(cohort))
    return render(
        request,
        "curriculum/form.html",
        {
            "form": form,
            "title": "New monthly series",
            "intro": "One session a month on the same weekday and time, in the cohort's "
            "time zone (daylight-saving changes are handled).",
            "cohort": cohort,
            "back_url": _schedule(cohort),
        },
    )


def _schedule(cohort):
    return reverse("curriculum:schedule", kwargs={"code": cohort.code})


@require_GET
def session_detail(request, code):
    session, can_manage = get_session_for_viewer(request.user, code)
    session = session_for_page(session)
    return render(
        request,
        "curriculum/session_detail.html",
        {
            "session": session,
            "cohort": session.cohort,
            "can_manage": can_manage,
            "speaker_form": SpeakerForm() if can_manage else None,
            "material_form": MaterialForm() if can_manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
def session_edit(request, code):
    session = get_session_for_staff(request.user, code)
    cohort = session.cohort
    initial = {
        name: getattr(session, name)
        for name in (
            "title",
            "kind",
            "module",
            "topic",
            "starts_at",
            "ends_at",
            "video_url",
            "venue",
            "address",
            "description",
        )
    }
    initial["facilitators"] = list(session.facilitators.all())
    form = SessionForm(posted_data(request), cohort=cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "Session saved; attendees are told of any change of time or place."
            )
            return redirect(session)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Edit “{session.title}”", "cohort": cohort, "back": session},
    )


@require_POST
def session_cancel(request, code):
    session = get_session_for_staff(request.user, code)
    try:
        services.session_cancel(session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Session cancelled; attendees have been told.")
    return redirect(session)


@require_POST
def speaker_add(request, code):
    session = get_session_for_staff(request.user, code)
    form = SpeakerForm(request.POST)
    if form.is_valid():
        services.speaker_add(session=session, **form.cleaned_data)
        messages.success(request, "Speaker added.")
        return redirect(session)
    return _session_with_forms(request, session, speaker_form=form)


@require_POST
def material_add(request, code):
    session = get_session_for_staff(request.user, code)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Material added.")
            return redirect(session)
    return _session_with_forms(request, session, material_form=form)


def _session_with_forms(request, session, **forms):
    session = session_for_page(session)
    context = {
        "session": session,
        "cohort": session.cohort,
        "can_manage": True,
        "speaker_form": SpeakerForm(),
        "material_form": MaterialForm(),
    }
    context.update(forms)
    return render(request, "curriculum/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def speaker_edit(request, code):
    speaker = get_speaker_for_staff(request.user, code)
    session = speaker.session
    form = SpeakerForm(
        posted_data(request),
        initial={"name": speaker.name, "affiliation": speaker.affiliation, "bio": speaker.bio},
    )
    done = save_form(
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
    return FileResponse(material.file.open("rb"), as_attachment=True)


# --- Modules -------------------------------------------------------------------------------


@require_GET
def module_list(request, code):
    cohort, can_manage = get_cohort_for_viewer(request.user, code)
    return render(
        request,
        "curriculum/module_list.html",
        {"cohort": cohort, "can_manage": can_manage, "modules": modules_of(cohort)},
    )


@require_http_methods(["GET", "POST"])
def module_create(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = ModuleForm(
        posted_data(request), cohort=cohort, initial={"order": cohort.modules.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.module_save(cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Module added.")
            return redirect("curriculum:module_list", code=cohort.code)
    return render(
        request,
        "curriculum/form.html",
        {
            "form": form,
            "title": "New module",
            "cohort": cohort,
            "back_url": reverse("curriculum:module_list", kwargs={"code": cohort.code}),
        },
    )


@require_http_methods(["GET", "POST"])
def module_edit(request, code):
    module = get_module_for_staff(request.user, code)
    cohort = module.cohort
    initial = {
        "order": module.order,
        "title": module.title,
        "starts_on": module.starts_on,
        "ends_on": module.ends_on,
        "description": module.description,
        "competencies": list(module.competencies.all()),
    }
    form = ModuleForm(posted_data(request), cohort=cohort, initial=initial)
    back = reverse("curriculum:module_list", kwargs={"code": cohort.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.module_save(cohort=cohort, module=module, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Module saved.")
            return redirect(back)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "title": f"Edit {module}", "cohort": cohort, "back_url": back},
    )


@require_http_methods(["GET", "POST"])
def assignment_create(request, code):
    module = get_module_for_staff(request.user, code)
    cohort = module.cohort
    form = AssignmentForm(posted_data(request), cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_save(module=module, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Assignment added.")
            return redirect(assignment)
    return render(
        request,
        "curriculum/form.html",
        {
            "form": form,
            "title": f"New practice assignment for {module}",
            "cohort": cohort,
            "back_url": reverse("curriculum:module_list", kwargs={"code": cohort.code}),
        },
    )


@require_http_methods(["GET", "POST"])
def assignment_edit(request, code):
    assignment = get_assignment_for_staff(request.user, code)
    cohort = assignment.module.cohort
    form = AssignmentForm(
        posted_data(request),
        cohort=cohort,
        initial={
            "title": assignment.title,
            "instructions": assignment.instructions,
            "due_at": assignment.due_at,
        },
    )
    done = save_form(
        request,
        form,
        partial(services.assignment_save, module=assignment.module, assignment=assignment),
        success="Assignment saved.",
        then=assignment,
    )
    return done or form_page(
        request, form, f"Edit “{assignment.title}”", cohort=cohort, back=assignment
    )


@require_http_methods(["GET", "POST"])
def assignment_delete(request, code):
    """GET asks for confirmation (or says why it cannot be done); POST deletes."""
    assignment = get_assignment_for_staff(request.user, code)
    cohort = assignment.module.cohort
    if request.method == "POST":
        try:
            services.assignment_delete(assignment=assignment)
        except ValidationError as exc:
            refused(request, exc)
            return redirect(assignment)
        messages.success(request, f"“{assignment.title}” deleted.")
        return redirect("curriculum:module_list", code=cohort.code)
    return render(
        request,
        "curriculum/confirm_delete.html",
        {
            "cohort": cohort,
            "title": f"Delete “{assignment.title}”?",
            "refusal": assignment.deletion_refusal(),
            "back": assignment,
        },
    )
