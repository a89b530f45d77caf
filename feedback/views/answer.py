"""Answering: the form page for a signed-in fellow, the one-click link from an email (no
sign-in) and the rest of the form after it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.questions import answer_input

from .. import selectors, services
from ..links import LinkError, continue_token, read_continue, read_one_click
from ..models import Form, FormQuestion, Response
from ..occasions import Unavailable, resolve


def _items(form_id):
    return list(
        FormQuestion.objects.filter(form_id=form_id)
        .select_related("question")
        .order_by("position", "pk")
    )


def _fields(items, data, errors):
    """What the template shows for each question: its values, what was given, its errors
    (the input of its type, accounts.questions.answer_input)."""
    fields = []
    for item in items:
        name = f"q{item.question_id}"
        question = item.question
        given = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        shown = answer_input(question, list(given))
        fields.append(
            {
                "item": item,
                "question": question,
                "name": name,
                "given": shown.given,
                "text": shown.text,
                "values": shown.values,
                "errors": errors.get(name, []),
            }
        )
    return fields


def _raw(request, items) -> dict:
    raw = {}
    for item in items:
        name = f"q{item.question_id}"
        values = request.POST.getlist(name)
        raw[name] = values if item.question.kind == "multiple" else (values[0] if values else "")
    return raw


def _unavailable(request, reason: str, message: str, status: int):
    return render(
        request, "feedback/unavailable.html", {"reason": reason, "message": message}, status=status
    )


def _link_refused(request, exc: LinkError):
    return _unavailable(request, exc.reason, exc.message, 410 if exc.reason == "expired" else 404)


@require_http_methods(["GET", "POST"])
def answer(request, code, occasion):
    form = Form.objects.select_related("program").filter(code=code).first()
    if form is None:
        raise Http404("No such form.")
    now = timezone.now()
    try:
        found = resolve(request.user, form, occasion, now)
    except Unavailable as exc:
        # Whether the form exists is no secret to whoever holds its link; what it is about is.
        return _unavailable(request, "unavailable", str(exc), 404)
    items = _items(form.pk)
    errors = {}
    if request.method == "POST":
        try:
            answers = selectors.clean_answers(items, _raw(request, items), require=True)
            services.response_submit(
                occasion=found, by=request.user, answers=answers, complete=True, now=now
            )
        except services.AlreadyAnswered as exc:
            return _unavailable(request, "used", str(exc), 409)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return render(request, "feedback/thanks.html", {"form": form})
    return render(
        request,
        "feedback/answer.html",
        {
            "form": form,
            "occasion": found,
            "fields": _fields(items, request.POST if request.method == "POST" else {}, errors),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def one_click(request, token):
    """The answer clicked in the email, already selected, with one button to record it.

    Mail scanners (Outlook Safe Links and the like) open every link of an email before the
    person does, so following the link records nothing: only the button's POST does, once,
    while the link is valid. Then the rest of the form opens."""
    now = timezone.now()
    try:
        click = read_one_click(token, now)
    except LinkError as exc:
        return _link_refused(request, exc)
    form = Form.objects.filter(pk=click.form_id).first()
    person = User.objects.filter(pk=click.person_id, is_active=True).first()
    if form is None or person is None:
        return _unavailable(request, "tampered", "This link no longer works.", 404)
    try:
        found = resolve(person, form, click.occasion, now)
    except Unavailable as exc:
        reason = "used" if "already answered" in str(exc) else "closed"
        return _unavailable(request, reason, str(exc), 410)
    item = next((i for i in _items(form.pk) if i.question_id == click.question_id), None)
    name = f"q{click.question_id}"
    try:
        if item is None:
            raise ValidationError("no such question")
        selectors.clean_answer(item.question, click.value)
    except ValidationError:
        return _unavailable(request, "tampered", "This link does not match the form.", 404)
    errors = {}
    given = {name: [click.value]}
    if request.method == "POST":
        # The person may have picked another value on the page; the link's value otherwise.
        raw = request.POST.get(name) or click.value
        given = {name: [raw]}
        try:
            answers = {item.question_id: selectors.clean_answer(item.question, raw)}
            response = services.response_submit(
                occasion=found, by=person, answers=answers, complete=False, now=now
            )
        except services.AlreadyAnswered as exc:
            return _unavailable(request, "used", str(exc), 410)
        except ValidationError as exc:
            errors = {name: exc.messages}
        else:
            return redirect(
                reverse("feedback:continue", kwargs={"token": continue_token(response.pk)})
            )
    return render(
        request,
        "feedback/one_click.html",
        {
            "form": form,
            "occasion": found,
            "fields": _fields([item], given, errors),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def continue_form(request, token):
    try:
        response_id = read_continue(token)
    except LinkError as exc:
        return _link_refused(request, exc)
    response = Response.objects.select_related("form").filter(pk=response_id).first()
    if response is None:
        return _unavailable(request, "tampered", "This link no longer works.", 404)
    if response.complete:
        return _unavailable(request, "used", "Your answers are recorded. Thank you.", 410)
    given = set(response.answers.values_list("question_id", flat=True))
    items = [i for i in _items(response.form_id) if i.question_id not in given]
    errors = {}
    if request.method == "POST":
        try:
            answers = selectors.clean_answers(items, _raw(request, items), require=True)
            services.response_complete(response=response, answers=answers)
        except services.AlreadyAnswered as exc:
            return _unavailable(request, "used", str(exc), 410)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return render(request, "feedback/thanks.html", {"form": response.form})
    return render(
        request,
        "feedback/continue.html",
        {
            "form": response.form,
            "fields": _fields(items, request.POST if request.method == "POST" else {}, errors),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
