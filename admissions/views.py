"""Admissions pages: thin views. Access first (admissions/access.py), then a form and a
service, or a selector, then render."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.form_helpers import apply_errors, posted, posted_files
from cohorts.access import get_program_for_staff

from . import selectors, services
from .access import (
    get_application_for_applicant,
    get_application_for_staff,
    get_assignment_for_reviewer,
    get_document,
    get_round_for_staff,
    get_round_public,
    get_seat,
    hides_names_from,
)
from .emails import reference_for_token
from .forms import (
    ApplicationForm,
    ConflictForm,
    DecisionForm,
    LetterForm,
    ReferenceForm,
    RoundForm,
    SeatForm,
)
from .models import Application, Outcome
from .throttle import too_many


def _zone(program):
    return zoneinfo.ZoneInfo(program.default_time_zone)


# --- Staff ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def program_rounds(request, slug):
    program = get_program_for_staff(request.user, slug)
    with timezone.override(_zone(program)):
        form = RoundForm(posted(request), program=program)
        if request.method == "POST" and form.is_valid():
            try:
                round_ = services.round_save(round_=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Round created.")
                return redirect(round_)
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
        if request.method == "POST" and form.is_valid():
            try:
                services.round_save(round_=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
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
        if action == "add_reviewer" and seat_form.is_valid():
            try:
                services.seat_add(round_=round_, by=request.user, **seat_form.cleaned_data)
            except ValidationError as exc:
                apply_errors(seat_form, exc)
            else:
                messages.success(request, "Reviewer added.")
                return redirect(round_)
        elif action != "add_reviewer":
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
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
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


def _question_errors(form, exc: ValidationError) -> dict:
    """Errors of the round's questions (`q<id>`), to show under each; the rest go next to
    the form's own fields, or above the form."""
    if not hasattr(exc, "error_dict"):
        apply_errors(form, exc)
        return {}
    questions = {k: v for k, v in exc.message_dict.items() if k.startswith("q")}
    rest = {k: v for k, v in exc.message_dict.items() if not k.startswith("q")}
    if rest:
        apply_errors(form, ValidationError(rest))
    return questions


def _application_form_initial(user, application):
    initial = {"full_name": user.full_name}
    if application is not None:
        initial.update({name: getattr(application, name) for name in services.PROFILE_FIELDS})
    return initial


@require_http_methods(["GET", "POST"])
def apply(request, code):
    round_ = get_round_public(code)
    now = timezone.now()
    application = Application.objects.filter(round=round_, applicant=request.user).first()
    if application is not None and not application.is_draft:
        return redirect(application)
    questions = list(round_.questions.all())
    form = ApplicationForm(
        posted(request),
        posted_files(request),
        initial=_application_form_initial(request.user, application),
    )
    answers = dict(application.answers) if application else {}
    errors, status = {}, 200
    if request.method == "POST":
        if too_many(request, "apply"):
            return render(request, "admissions/too_many.html", status=429)
        answers = {str(q.pk): request.POST.get(q.field_name, "") for q in questions}
        if form.is_spam:
            # Answered like a success, so a bot learns nothing; nothing is saved.
            return render(request, "admissions/saved.html", {"round": round_}, status=200)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_save(
                    round_=round_,
                    applicant=request.user,
                    profile={k: data[k] for k in [*services.PROFILE_FIELDS, "full_name"]},
                    raw_answers={q.field_name: answers[str(q.pk)] for q in questions},
                    files={"cv": data.get("cv"), "statement": data.get("statement")},
                    submit=request.POST.get("action") == "submit",
                    now=now,
                )
            except ValidationError as exc:
                errors = _question_errors(form, exc)
            else:
                if application.is_draft:
                    messages.success(request, "Draft saved: come back before the deadline.")
                    return redirect("admissions:apply", code=round_.code)
                messages.success(request, "Application submitted. A confirmation is on its way.")
                return redirect(application)
        status = 400
    fields = [
        {"question": q, "value": answers.get(str(q.pk), ""), "errors": errors.get(q.field_name, [])}
        for q in questions
    ]
    return render(
        request,
        "admissions/apply.html",
        {
            "round": round_,
            "program": round_.cohort.program,
            "application": application,
            "form": form,
            "fields": fields,
            "is_open": round_.is_open_at(now),
            "verified": services.has_verified_email(request.user),
            "references": list(application.references.all()) if application else [],
            "reference_form": ReferenceForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def application_status(request, code):
    application = get_application_for_applicant(request.user, code)
    form = ReferenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_add(application=application, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
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
        if form.is_valid():
            try:
                services.letter_submit(
                    reference=reference,
                    text=form.cleaned_data["letter_text"],
                    upload=form.cleaned_data["letter_file"],
                )
            except services.LinkUnusable as exc:
                return _unusable(request, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
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
            if conflict_form.is_valid():
                try:
                    services.conflict_declare(assignment=assignment, **conflict_form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(conflict_form, exc)
                else:
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
