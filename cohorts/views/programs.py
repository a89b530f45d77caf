"""Programs and cohorts: the staff start page, create and edit, staff membership."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from accounts.roles import viewer_roles

from .. import roles as cohort_roles
from ..access import (
    get_cohort_for_staff,
    get_cohort_for_viewer,
    get_facilitator_for_staff,
    get_program_for_staff,
    get_staff_membership_for_staff,
)
from ..forms import (
    CohortForm,
    PersonInviteForm,
    PlanTemplateForm,
    ProgramForm,
    ProgramTermsForm,
    StaffRoleForm,
)
from ..invitations import invite_person
from ..models import Cohort, Program
from ..plan_template import skeleton_text
from ..selectors import program_overview, program_people, programs_for_staff, status_counts
from ..services import (
    DIRECTOR_ONLY_FIELDS,
    cohort_create,
    cohort_update,
    program_create,
    program_facilitator_remove,
    program_plan_template_update,
    program_staff_change_role,
    program_staff_remove,
    program_terms_update,
    program_update,
)
from ..terms import Terms, terms_for_request


@require_GET
def staff_home(request):
    roles = viewer_roles(request.user)
    return render(
        request,
        "cohorts/staff_home.html",
        {
            "programs": programs_for_staff(request.user),
            "can_create_program": roles.staff or roles.admin,
        },
    )


def _program_data(form):
    data = dict(form.cleaned_data)
    return {
        "data": data,
        "partners": data.pop("partners", []),
        "new_partner_names": data.pop("new_partners", []),
    }


@require_http_methods(["GET", "POST"])
def program_create_view(request):
    """Program staff (and site admins) start new programs; the creator becomes director."""
    roles = viewer_roles(request.user)
    if not (roles.staff or roles.admin):
        raise PermissionDenied("Only program staff can create programs.")
    form = ProgramForm(posted(request))
    terms_for_request(request).speak_form(form)
    program = save_form(form, lambda _: program_create(by=request.user, **_program_data(form)))
    if program is not None:
        messages.success(request, f"{program.name} is created; you are its director.")
        return redirect(program)
    return render(request, "cohorts/program_form.html", {"form": form})


@require_GET
def program_detail(request, slug):
    program = get_program_for_staff(request.user, slug)
    return render(
        request,
        "cohorts/program_detail.html",
        {"program": program, **program_overview(program)},
    )


@require_http_methods(["GET", "POST"])
def program_edit(request, slug):
    program = get_program_for_staff(request.user, slug)
    form = ProgramForm(posted(request), instance=program)
    terms_for_request(request).speak_form(form)
    if not cohort_roles.manages_staff(request.user, program):
        for name in DIRECTOR_ONLY_FIELDS:  # shown, but only a director changes them
            form.fields[name].disabled = True
            form.fields[name].help_text += " Only a director changes this."
    if save_form(
        form, lambda _: program_update(program=program, by=request.user, **_program_data(form))
    ):
        messages.success(request, "The program settings are saved.")
        return redirect(program)
    return render(request, "cohorts/program_form.html", {"form": form, "program": program})


@require_http_methods(["GET", "POST"])
def program_people_view(request, slug):
    """The program's staff (each with a role to change), its peer-group facilitators, and
    everyone invited to it but fellows, with a form to invite one more."""
    program = get_program_for_staff(request.user, slug)
    manages_staff = cohort_roles.manages_staff(request.user, program)
    form = PersonInviteForm(posted(request), may_invite_staff=manages_staff)
    invitation = save_form(
        form, lambda data: invite_person(program=program, by=request.user, **data)
    )
    if invitation is not None:
        messages.success(request, f"An invitation to {invitation.user.email} is on its way.")
        return redirect("cohorts:program_people", slug=program.slug)
    return render(
        request,
        "cohorts/program_people.html",
        {
            "program": program,
            "form": form,
            "roles": StaffRoleForm.base_fields["role"].choices,
            "manages_staff": manages_staff,
            **program_people(program),
        },
    )


def _message_refusal(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_POST
def program_staff_role_view(request, slug, user_code):
    membership = get_staff_membership_for_staff(request.user, slug, user_code)
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["role"]))
        return redirect("cohorts:program_people", slug=slug)
    try:
        program_staff_change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as exc:
        _message_refusal(request, exc)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("cohorts:program_people", slug=slug)


@require_POST
def program_staff_remove_view(request, slug, user_code):
    membership = get_staff_membership_for_staff(request.user, slug, user_code)
    try:
        program_staff_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        _message_refusal(request, exc)
    else:
        messages.success(request, f"{membership.user} is no longer on the staff.")
        if membership.user_id == request.user.pk and not request.user.is_superuser:
            return redirect("cohorts:staff_home")  # the people page is not theirs any more
    return redirect("cohorts:program_people", slug=slug)


@require_POST
def program_facilitator_remove_view(request, slug, user_code):
    program, facilitator = get_facilitator_for_staff(request.user, slug, user_code)
    program_facilitator_remove(program=program, user=facilitator)
    messages.success(
        request,
        f"{facilitator} is no longer a facilitator of {program}; choose a new facilitator "
        "for any group they led.",
    )
    return redirect("cohorts:program_people", slug=slug)


@require_http_methods(["GET", "POST"])
def cohort_create_view(request, slug):
    program = get_program_for_staff(request.user, slug)
    form = CohortForm(
        posted(request),
        instance=Cohort(program=program),
        initial={"time_zone": program.default_time_zone},
    )
    terms_for_request(request).speak_form(form)
    cohort = save_form(
        form, lambda data: cohort_create(program=program, data=data, by=request.user)
    )
    if cohort is not None:
        messages.success(request, f"{cohort.name} is created. Add its fellows next.")
        return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"form": form, "program": program})


@require_GET
def cohort_detail(request, code):
    cohort, permissions = get_cohort_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "can_manage": can_manage,
            "counts": status_counts(cohort) if can_manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
def cohort_edit(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = CohortForm(posted(request), instance=cohort)
    terms_for_request(request).speak_form(form)
    new_alumni = save_form(
        form, lambda data: cohort_update(cohort=cohort, data=data, by=request.user)
    )
    if new_alumni is not None:
        messages.success(request, "The cohort is saved.")
        if new_alumni:
            messages.info(
                request,
                f"The cohort is completed: {new_alumni} fellow{pluralize(new_alumni)} "
                f"{pluralize(new_alumni, 'is,are')} alumni.",
            )
        return redirect(cohort)
    return render(
        request,
        "cohorts/cohort_form.html",
        {"form": form, "program": cohort.program, "cohort": cohort},
    )


@require_http_methods(["GET", "POST"])
def program_terms_view(request, slug):
    """The program's words, with a preview of how pages read in them; "Preview" shows the
    words typed without saving them."""
    program = get_program_for_staff(request.user, slug)
    saved = Terms.of(program)  # before the form puts what was typed on the program
    form = ProgramTermsForm(posted(request), instance=program)
    preview, previewing = saved, False
    if "preview" in request.POST and form.is_valid():
        preview, previewing = Terms.of(_unsaved(program, form.terms_data())), True
    elif "preview" not in request.POST and save_form(
        form,
        lambda _: program_terms_update(program=program, data=form.terms_data(), by=request.user),
    ):
        messages.success(request, "The program’s words are saved.")
        return redirect("cohorts:program_terms", slug=program.slug)
    return render(
        request,
        "cohorts/program_terms.html",
        {
            "form": form,
            "program": program,
            "preview": preview,
            "previewing": previewing,
            "terms": saved,
        },
    )


def _unsaved(program, data):
    """A copy of the program holding the words typed, for the preview only."""
    copy = Program(pk=program.pk)
    for key, value in data.items():
        setattr(copy, key, value)
    return copy


@require_http_methods(["GET", "POST"])
def program_plan_template_view(request, slug):
    """The skeleton of every new plan: sections shown, goals and milestones with their days
    after the cohort starts; the page shows what a plan would start with."""
    program = get_program_for_staff(request.user, slug)
    terms = Terms.of(program)
    template = program.plan_template or {}
    form = PlanTemplateForm(
        posted(request),
        terms=terms,
        initial={
            "hidden": template.get("hidden", []),
            "skeleton": skeleton_text(template.get("goals", [])),
        },
    )
    if save_form(
        form,
        lambda data: program_plan_template_update(
            program=program, hidden=data["hidden"], goals=data["skeleton"], by=request.user
        ),
    ):
        messages.success(request, "The plan template is saved; new plans start from it.")
        return redirect("cohorts:program_plan_template", slug=program.slug)
    return render(
        request,
        "cohorts/program_plan_template.html",
        {"form": form, "program": program, "terms": terms, "goals": template.get("goals", [])},
    )
