"""Staff set-up: the program's question bank and the forms built from it (edited until
someone answers, then only closed or copied), and for a cohort the evaluations attached to
its sessions and its survey windows. Access first (access.py), then a form and a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.form_helpers import apply_errors, posted
from cohorts.access import get_cohort_for_staff
from cohorts.terms import terms_for_request

from .. import access, selectors, services
from ..forms import BuildForm, EvaluationForm, QuestionForm, SurveyForm

LOCKED = (
    "People have answered this form, so it can no longer change. Close it, or copy it and "
    "change the copy."
)


def _try(form, save) -> bool:
    """Calls the service with a valid form; its errors go next to the fields."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


@require_http_methods(["GET", "POST"])
def form_list(request, slug):
    """The program's forms; build a new one from the bank here."""
    program = access.get_program_for_building(request.user, slug)
    bank = selectors.bank_of(program)
    form = BuildForm(posted(request), bank=bank)
    terms_for_request(request).speak_form(form)
    if request.method == "POST":
        made = {}

        def save():
            made["form"] = services.form_create(
                program=program,
                purpose=form.cleaned_data["purpose"],
                by=request.user,
                **form.service_args(),
            )

        if _try(form, save):
            messages.success(request, f"“{made['form'].title}” saved.")
            return redirect(reverse("feedback:form_list", kwargs={"slug": program.slug}))
    return render(
        request,
        "feedback/manage_forms.html",
        {"program": program, "bank": bank, "forms": selectors.forms_of(program), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def question_create(request, slug):
    program = access.get_program_for_building(request.user, slug)
    form = QuestionForm(posted(request))
    if request.method == "POST" and _try(
        form,
        lambda: services.question_create(program=program, by=request.user, **form.cleaned_data),
    ):
        messages.success(request, "Question added to the bank.")
        return redirect(reverse("feedback:form_list", kwargs={"slug": program.slug}))
    return render(
        request,
        "feedback/manage_question.html",
        {"program": program, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def form_edit(request, code):
    """A form nobody has answered changes here; an answered one only shows its questions,
    with the buttons to close or copy it."""
    target = access.get_form_for_staff(request.user, code)
    program = target.program
    items = list(target.items.select_related("question").order_by("position", "pk"))
    if selectors.has_answers(target):
        if request.method == "POST":
            messages.error(request, LOCKED)
        return render(
            request,
            "feedback/manage_form_locked.html",
            {"target": target, "program": program, "items": items, "message": LOCKED},
            status=409 if request.method == "POST" else 200,
        )
    initial = {
        "title": target.title,
        "intro": target.intro,
        "anonymous": target.anonymous,
        "questions": [str(i.question_id) for i in items],
        "first": str(items[0].question_id) if items else "",
        "optional": [str(i.question_id) for i in items if not i.required],
    }
    form = BuildForm(
        posted(request), bank=selectors.bank_of(program), fixed_purpose=True, initial=initial
    )
    terms_for_request(request).speak_form(form)
    if request.method == "POST" and _try(
        form, lambda: services.form_update(form=target, by=request.user, **form.service_args())
    ):
        messages.success(request, "Form saved.")
        return redirect(reverse("feedback:form_list", kwargs={"slug": program.slug}))
    return render(
        request,
        "feedback/manage_form_edit.html",
        {"target": target, "program": program, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def form_close(request, code):
    target = access.get_form_for_staff(request.user, code)
    services.form_close(form=target, by=request.user)
    messages.success(request, f"“{target.title}” is closed: nothing more is sent or recorded.")
    return redirect(reverse("feedback:form_list", kwargs={"slug": target.program.slug}))


@require_POST
def form_copy(request, code):
    target = access.get_form_for_staff(request.user, code)
    copy = services.form_copy(form=target, by=request.user)
    messages.success(request, f"Copied: change “{copy.title}” before using it.")
    return redirect(reverse("feedback:form_edit", kwargs={"code": copy.code}))


def _setup(request, cohort, *, evaluation_form=None, survey_form=None):
    page = selectors.cohort_setup_page(cohort)
    evaluation_form = evaluation_form or EvaluationForm(
        forms_open=page["evaluation_forms"], sessions=page["sessions"]
    )
    survey_form = survey_form or SurveyForm(forms_open=page["survey_forms"])
    terms = terms_for_request(request)
    terms.speak_form(evaluation_form)
    terms.speak_form(survey_form)
    failed = evaluation_form.is_bound or survey_form.is_bound
    return render(
        request,
        "feedback/manage_cohort.html",
        {**page, "evaluation_form": evaluation_form, "survey_form": survey_form},
        status=400 if failed else 200,
    )


@require_http_methods(["GET"])
def cohort_setup(request, code):
    """The cohort's evaluations and survey windows, with the forms to add them."""
    return _setup(request, get_cohort_for_staff(request.user, code))


@require_POST
def evaluation_attach(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    page = selectors.cohort_setup_page(cohort)
    form = EvaluationForm(
        request.POST, forms_open=page["evaluation_forms"], sessions=page["sessions"]
    )
    if _try(
        form,
        lambda: services.evaluation_attach(cohort=cohort, by=request.user, **form.service_args()),
    ):
        messages.success(request, "Evaluation attached: it is sent when each session ends.")
        return redirect(reverse("feedback:cohort_setup", kwargs={"code": cohort.code}))
    return _setup(request, cohort, evaluation_form=form)


@require_POST
def survey_open(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    page = selectors.cohort_setup_page(cohort)
    form = SurveyForm(request.POST, forms_open=page["survey_forms"])
    if _try(
        form, lambda: services.survey_open(cohort=cohort, by=request.user, **form.service_args())
    ):
        messages.success(request, "Survey window saved: fellows are asked on its first morning.")
        return redirect(reverse("feedback:cohort_setup", kwargs={"code": cohort.code}))
    return _setup(request, cohort, survey_form=form)
