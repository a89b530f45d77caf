"""Admissions pages: thin views. Access first (admissions/access.py), then a form and a
service, or a selector, then render."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import apply_errors, posted, posted_files, save_form, save_then_redirect
from cohorts.access import get_program_for_staff

from . import selectors, services
from .access import (
    get_application_for_applicant,
    get_application_for_staff,
    get_assignment_for_reviewer,
    get_criterion_for_staff,
    get_document,
    get_question_for_staff,
    get_round_for_staff,
    get_round_public,
    get_seat,
    hides_names_from,
)
from .emails import reference_for_token
from .forms import (
    ApplicationForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    LetterForm,
    QuestionForm,
    ReferenceForm,
    RoundForm,
    SeatForm,
)
from .models import Application, Outcome, RoundQuestion, RubricCriterion
from .throttle import too_many


def _zone(program):
    return zoneinfo.ZoneInfo(program.default_time_zone)


# --- Staff ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def program_rounds(request, slug):
    program = get_program_for_staff(request.user, slug)
    with timezone.override(_zone(program)):
        form = RoundForm(posted(request), program=program)
        created = save_form(
            form, lambda data: services.round_save(round_=form.save(commit=False), by=request.user)
        )
        if created:
            messages.success(request, "Round created.")
            return redirect(created)
        return render(
            request,
            "admissions/program_rounds.html",
            {
                "program": program,
                "rounds": selectors.rounds_of_program(program),
                "form": form,
                "zone": program.default_time_zone,
                "now": timezone.now(),
            },
            status=400 if form.errors else 200,
        )


@require_http_methods(["GET", "POST"])
def round_edit(request, code):
    round_ = get_round_for_staff(request.user, code)
    program = round_.cohort.program
    with timezone.override(_zone(program)):
        form = RoundForm(posted(request), instance=round_, program=program)
        if save_form(
            form, lambda data: services.round_save(round_=form.save(commit=False), by=request.user)
        ):
            messages.success(request, "Round saved.")
            return redirect(round_)
        return render(
            request,
            "admissions/round_edit.html",
            {"round": round_, "program": program, "form": form, "zone": program.default_time_zone},
            status=400 if form.errors else 200,
        )


@require_http_methods(["GET", "POST"])
def round_detail(request, code):
    round_ = get_round_for_staff(request.user, code)
    seat_form = SeatForm(posted(request) if request.POST.get("action") == "add_reviewer" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "assign":
            made = services.assign_reviewers(round_=round_, by=request.user)
            messages.success(request, f"{made} assignments made.")
            return redirect(round_)
        if action == "add_reviewer":
            if save_form(
                seat_form, lambda data: services.seat_add(round_=round_, by=request.user, **data)
            ):
                messages.success(request, "Reviewer added.")
                return redirect(round_)
        else:
            messages.error(request, "Choose what to do.")
    return render(
        request,
        "admissions/round_detail.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "overview": selectors.round_overview(round_),
            "seat_form": seat_form,
            "now": timezone.now(),
            "public_url": request.build_absolute_uri(round_.get_absolute_url()).replace(
                "/rounds/", "/apply/"
            ),
        },
        status=400 if seat_form.errors else 200,
    )


@require_GET
def ranking(request, code):
    round_ = get_round_for_staff(request.user, code)
    return render(
        request,
        "admissions/ranking.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "applications": selectors.ranking(round_),
            "mix": selectors.accepted_mix(round_),
        },
    )


@require_http_methods(["GET", "POST"])
def decide(request, code):
    application = get_application_for_staff(request.user, code)
    form = DecisionForm(posted(request))
    if save_form(
        form, lambda data: services.decide(application=application, by=request.user, **data)
    ):
        messages.success(request, "Decision recorded; the applicant is told by email.")
        return redirect("admissions:ranking", code=application.round.code)
    application = selectors.application_for_committee(application)
    round_ = application.round
    decision = getattr(application, "decision", None)
    return render(
        request,
        "admissions/decide.html",
        {
            "application": application,
            "round": round_,
            "program": round_.cohort.program,
            "answers": selectors.answered_questions(application, round_.questions.all()),
            "decision": decision,
            "can_decide": decision is None or decision.outcome == Outcome.WAITLIST,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- The round's questions and rubric (staff) ------------------------------------------------


def _items_page(request, round_, *, form, editing=None, kind: str):
    """The list of a round's questions (kind "questions") or criteria ("rubric"), with the
    add form, or the edit form of one of them."""
    items = (
        selectors.round_questions(round_)
        if kind == "questions"
        else selectors.round_criteria(round_)
    )
    return render(
        request,
        f"admissions/round_{kind}.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "items": items,
            "form": form,
            # As saved: a refused edit's form holds what was typed, the heading what is.
            "editing": next((i.item for i in items if editing and i.item.pk == editing.pk), None),
            "scored": kind == "rubric" and any(i.in_use for i in items),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def round_questions(request, code):
    round_ = get_round_for_staff(request.user, code)
    form = QuestionForm(posted(request), instance=RoundQuestion(round=round_))
    saved = save_then_redirect(
        request,
        form,
        lambda **_: services.question_save(question=form.save(commit=False), by=request.user),
        success="Question added.",
        then=reverse("admissions:round_questions", kwargs={"code": round_.code}),
    )
    if saved:
        return saved
    return _items_page(request, round_, form=form, kind="questions")


@require_http_methods(["GET", "POST"])
def question_edit(request, code, pk):
    question = get_question_for_staff(request.user, code, pk)
    round_ = question.round
    locked = str(question.pk) in selectors.answered_question_ids(round_)
    form = QuestionForm(posted(request), instance=question, locked=locked)
    saved = save_then_redirect(
        request,
        form,
        lambda **_: services.question_save(question=form.save(commit=False), by=request.user),
        success="Question saved.",
        then=reverse("admissions:round_questions", kwargs={"code": round_.code}),
    )
    if saved:
        return saved
    return _items_page(request, round_, form=form, editing=question, kind="questions")


@require_POST
def question_move(request, code, pk):
    question = get_question_for_staff(request.user, code, pk)
    direction = request.POST.get("to")
    if direction in ("up", "down"):
        services.question_move(question=question, up=direction == "up", by=request.user)
    else:
        messages.error(request, "Choose up or down.")
    return redirect("admissions:round_questions", code=question.round.code)


@require_POST
def question_remove(request, code, pk):
    question = get_question_for_staff(request.user, code, pk)
    try:
        services.question_remove(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Question removed.")
    return redirect("admissions:round_questions", code=question.round.code)


@require_http_methods(["GET", "POST"])
def round_rubric(request, code):
    round_ = get_round_for_staff(request.user, code)
    form = CriterionForm(posted(request), instance=RubricCriterion(round=round_))
    saved = save_then_redirect(
        request,
        form,
        lambda **_: services.criterion_save(criterion=form.save(commit=False), by=request.user),
        success="Criterion added.",
        then=reverse("admissions:round_rubric", kwargs={"code": round_.code}),
    )
    if saved:
        return saved
    return _items_page(request, round_, form=form, kind="rubric")


@require_http_methods(["GET", "POST"])
def criterion_edit(request, code, pk):
    criterion = get_criterion_for_staff(request.user, code, pk)
    round_ = criterion.round
    locked = str(criterion.pk) in selectors.scored_criterion_ids(round_)
    form = CriterionForm(posted(request), instance=criterion, locked=locked)
    saved = save_then_redirect(
        request,
        form,
        lambda **_: services.criterion_save(criterion=form.save(commit=False), by=request.user),
        success="Criterion saved.",
        then=reverse("admissions:round_rubric", kwargs={"code": round_.code}),
    )
    if saved:
        return saved
    return _items_page(request, round_, form=form, editing=criterion, kind="rubric")


@require_POST
def criterion_move(request, code, pk):
    criterion = get_criterion_for_staff(request.user, code, pk)
    direction = request.POST.get("to")
    if direction in ("up", "down"):
        services.criterion_move(criterion=criterion, up=direction == "up", by=request.user)
    else:
        messages.error(request, "Choose up or down.")
    return redirect("admissions:round_rubric", code=criterion.round.code)


@require_POST
def criterion_remove(request, code, pk):
    criterion = get_criterion_for_staff(request.user, code, pk)
    try:
        services.criterion_remove(criterion=criterion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Criterion removed.")
    return redirect("admissions:round_rubric", code=criterion.round.code)


# --- Applicants -----------------------------------------------------------------------------


@login_not_required
@require_GET
def round_public(request, code):
    round_ = get_round_public(code)
    own = None
    if request.user.is_authenticated:
        own = Application.objects.filter(round=round_, applicant=request.user).first()
    return render(
        request,
        "admissions/round_public.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "state": round_.state_at(timezone.now()),
            "own": own,
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request, code):
    round_ = get_round_public(code)
    now = timezone.now()
    application = selectors.own_application(round_, request.user)
    if application is not None and not application.is_draft:
        return redirect(application)
    form = ApplicationForm(
        posted(request),
        posted_files(request),
        initial=selectors.application_initial(request.user, application),
    )
    answers, errors = None, {}
    if request.method == "POST":
        if too_many(request, "apply"):
            return render(request, "admissions/too_many.html", status=429)
        if form.is_spam:
            # Answered like a success, so a bot learns nothing; nothing is saved.
            return render(request, "admissions/saved.html", {"round": round_}, status=200)
        answers = selectors.posted_answers(round_.questions.all(), request.POST)
        if form.is_valid():
            result = services.application_apply(
                round_=round_,
                applicant=request.user,
                cleaned=form.cleaned_data,
                raw_answers=answers,
                submit=request.POST.get("action") == "submit",
                now=now,
            )
            if result.application is not None:
                messages.success(request, result.message)
                if result.application.is_draft:
                    return redirect("admissions:apply", code=round_.code)
                return redirect(result.application)
            if result.other_errors is not None:
                apply_errors(form, result.other_errors)
            errors = result.question_errors
    page = selectors.apply_page(
        round_=round_,
        user=request.user,
        application=application,
        now=now,
        posted=answers,
        errors=errors,
    )
    return render(
        request,
        "admissions/apply.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "page": page,
            "application": application,
            "form": form,
            "reference_form": ReferenceForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def application_status(request, code):
    application = get_application_for_applicant(request.user, code)
    form = ReferenceForm(posted(request))
    if save_form(form, lambda data: services.reference_add(application=application, **data)):
        messages.success(request, "Referee added: they are emailed their link.")
        if application.is_draft:
            return redirect("admissions:apply", code=application.round.code)
        return redirect(application)
    decision = getattr(application, "decision", None)
    return render(
        request,
        "admissions/application_status.html",
        {
            "application": application,
            "round": application.round,
            "program": application.round.cohort.program,
            # Whether each letter arrived; never what it says.
            "references": list(application.references.only("name", "received_at", "sent_at")),
            "decision": decision,
            "reference_form": form,
        },
        status=400 if form.errors else 200,
    )


# --- Referees -------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def letter(request, token):
    reference = reference_for_token(token)
    if reference is None:
        return render(request, "admissions/letter_unusable.html", {"reason": "invalid"}, status=404)
    refusal = services.link_refusal(reference, timezone.now())
    if refusal is not None:
        return _unusable(request, refusal)
    form = LetterForm(posted(request), posted_files(request))
    if request.method == "POST":
        if too_many(request, "letter"):
            return render(request, "admissions/too_many.html", status=429)
        try:
            sent = save_form(
                form,
                lambda data: services.letter_submit(
                    reference=reference, text=data["letter_text"], upload=data["letter_file"]
                ),
            )
        except services.LinkUnusable as exc:
            return _unusable(request, exc)
        if sent:
            return render(request, "admissions/letter_done.html", {"reference": reference})
    application = reference.application
    return render(
        request,
        "admissions/letter.html",
        {
            "reference": reference,
            "applicant": application.applicant,
            "round": application.round,
            "program": application.round.cohort.program,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _unusable(request, refusal):
    return render(
        request,
        "admissions/letter_unusable.html",
        {"reason": refusal.reason, "message": refusal.message},
        status=410,
    )


# --- Reviewers ------------------------------------------------------------------------------


@require_GET
def my_reviews(request, code):
    seat = get_seat(request.user, code)
    return render(
        request,
        "admissions/my_reviews.html",
        {
            "seat": seat,
            "round": seat.round,
            "assignments": selectors.assignments_of_seat(seat),
            "hide_names": hides_names_from(request.user, seat.round),
        },
    )


@require_http_methods(["GET", "POST"])
def review(request, code):
    assignment = get_assignment_for_reviewer(request.user, code)
    application = assignment.application
    round_ = application.round
    criteria = list(round_.criteria.all())
    conflict_form = ConflictForm(
        posted(request) if request.POST.get("action") == "conflict" else None
    )
    errors = {}
    if request.method == "POST":
        if request.POST.get("action") == "conflict":
            if save_form(
                conflict_form,
                lambda data: services.conflict_declare(assignment=assignment, **data),
            ):
                messages.success(request, "Conflict recorded: it goes to someone else.")
                return redirect("admissions:my_reviews", code=round_.code)
        else:
            try:
                services.review_submit(
                    assignment=assignment,
                    raw_scores=request.POST,
                    comments=request.POST.get("comments", ""),
                )
            except ValidationError as exc:
                errors = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
            else:
                messages.success(request, "Scores saved.")
                return redirect("admissions:my_reviews", code=round_.code)
    given = (
        request.POST
        if request.method == "POST"
        else {f"c{k}": str(v) for k, v in assignment.scores.items()}
    )
    rows = [
        {
            "criterion": c,
            "name": f"c{c.pk}",
            "value": str(given.get(f"c{c.pk}", "")),
            "errors": errors.get(f"c{c.pk}", []),
        }
        for c in criteria
    ]
    return render(
        request,
        "admissions/review.html",
        {
            "assignment": assignment,
            "application": application,
            "round": round_,
            "answers": selectors.answered_questions(application, round_.questions.all()),
            "references": list(application.references.all()),
            "rows": rows,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "comments": request.POST.get("comments", assignment.comments),
            "conflict_form": conflict_form,
            "hide_names": hides_names_from(request.user, round_),
            "scale": range(1, 6),
        },
        status=400 if errors or conflict_form.errors else 200,
    )


@require_GET
def document(request, code, kind):
    field, name, content_type = get_document(request.user, code, kind)
    if not field:
        raise Http404("No such document.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or "document",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
