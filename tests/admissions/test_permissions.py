"""The roles the shared matrix has no persona for (tests/matrix/admissions.py walks the
rest): the applicant, another applicant, a referee (anonymous, with their link), an outside
reviewer and another program's staff, on every admissions URL."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.admissions import build_admissions

STAFF_ONLY = "staff-only"


def _urls(adm, cast):
    app, rnd = adm.application.code, adm.round.code
    q, c = adm.round.questions.first().pk, adm.round.criteria.first().pk
    return {
        "program_rounds": reverse("admissions:program_rounds", kwargs={"slug": cast.program.slug}),
        "round_detail": reverse("admissions:round_detail", kwargs={"code": rnd}),
        "round_edit": reverse("admissions:round_edit", kwargs={"code": rnd}),
        "ranking": reverse("admissions:ranking", kwargs={"code": rnd}),
        "questions": reverse("admissions:round_questions", kwargs={"code": rnd}),
        "question_edit": reverse("admissions:question_edit", kwargs={"code": rnd, "pk": q}),
        "rubric": reverse("admissions:round_rubric", kwargs={"code": rnd}),
        "criterion_edit": reverse("admissions:criterion_edit", kwargs={"code": rnd, "pk": c}),
        "decide": reverse("admissions:decide", kwargs={"code": app}),
        "round_public": reverse("admissions:round_public", kwargs={"code": rnd}),
        "apply": reverse("admissions:apply", kwargs={"code": rnd}),
        "application_status": reverse("admissions:application_status", kwargs={"code": app}),
        "cv": reverse("admissions:document", kwargs={"code": app, "kind": "cv"}),
        "letter_file": reverse(
            "admissions:document", kwargs={"code": app, "kind": adm.letter.document_kind}
        ),
        "letter": reverse("admissions:letter", kwargs={"token": adm.token}),
        "my_reviews": reverse("admissions:my_reviews", kwargs={"code": rnd}),
        "review": reverse("admissions:review", kwargs={"code": adm.assignment.code}),
    }


# GET status per URL and role. The applicant's submitted application sends them from the
# form to its status page (302).
EXPECTED = {
    "applicant": {
        "program_rounds": 404, "round_detail": 404, "round_edit": 404, "ranking": 404,
        "questions": 404, "question_edit": 404, "rubric": 404, "criterion_edit": 404,
        "decide": 404, "round_public": 200, "apply": 302, "application_status": 200,
        "cv": 200, "letter_file": 404, "letter": 200, "my_reviews": 404, "review": 404,
    },
    "other_applicant": {
        "program_rounds": 404, "round_detail": 404, "round_edit": 404, "ranking": 404,
        "questions": 404, "question_edit": 404, "rubric": 404, "criterion_edit": 404,
        "decide": 404, "round_public": 200, "apply": 200, "application_status": 404,
        "cv": 404, "letter_file": 404, "letter": 200, "my_reviews": 404, "review": 404,
    },
    "referee": {
        "program_rounds": "login", "round_detail": "login", "round_edit": "login",
        "ranking": "login", "questions": "login", "question_edit": "login", "rubric": "login",
        "criterion_edit": "login", "decide": "login", "round_public": 200, "apply": "login",
        "application_status": "login", "cv": "login", "letter_file": "login", "letter": 200,
        "my_reviews": "login", "review": "login",
    },
    "reviewer": {
        "program_rounds": 404, "round_detail": 403, "round_edit": 403, "ranking": 403,
        "questions": 403, "question_edit": 403, "rubric": 403, "criterion_edit": 403,
        "decide": 404, "round_public": 200, "apply": 200, "application_status": 404,
        "cv": 200, "letter_file": 200, "letter": 200, "my_reviews": 200, "review": 200,
    },
    "other_staff": {
        "program_rounds": 404, "round_detail": 404, "round_edit": 404, "ranking": 404,
        "questions": 404, "question_edit": 404, "rubric": 404, "criterion_edit": 404,
        "decide": 404, "round_public": 200, "apply": 200, "application_status": 404,
        "cv": 404, "letter_file": 404, "letter": 200, "my_reviews": 404, "review": 404,
    },
}  # fmt: skip


def _client(role, adm, cast):
    from tests.mfa import mark_mfa_done

    client = Client()
    user = {
        "applicant": adm.applicant,
        "other_applicant": adm.other_applicant,
        "reviewer": adm.reviewer,
        "other_staff": cast.other_staff,
    }.get(role)
    if user is not None:
        client.force_login(user)
        mark_mfa_done(client)
    return client


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_admissions_url_for_the_roles_of_intake(role, cast):
    adm = build_admissions(cast)
    from django.core.files.base import ContentFile

    adm.letter.letter_file.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=False)
    adm.letter.letter_name, adm.letter.letter_type = "letter.pdf", "application/pdf"
    adm.letter.save()
    client = _client(role, adm, cast)
    for name, url in _urls(adm, cast).items():
        response = client.get(url)
        expected = EXPECTED[role][name]
        if expected == "login":
            assert response.status_code == 302, (role, name, response.status_code)
            assert response["Location"].startswith(reverse("account_login")), (role, name)
        else:
            assert response.status_code == expected, (role, name, response.status_code)


def test_a_reviewer_and_the_applicant_never_see_decisions_or_scores(cast, login, client_for):
    adm = build_admissions(cast)
    from admissions import services

    services.decide(
        application=adm.application, outcome="waitlist", reason="SECRET-REASON", by=cast.staff
    )
    for user in (adm.reviewer, adm.applicant):
        client = login(user)
        for url in (
            reverse("admissions:my_reviews", kwargs={"code": adm.round.code}),
            reverse("admissions:review", kwargs={"code": adm.assignment.code}),
            reverse("admissions:application_status", kwargs={"code": adm.application.code}),
        ):
            response = client.get(url)
            assert "SECRET-REASON" not in response.content.decode()


def test_another_applicant_cannot_add_a_referee_to_someone_elses_application(cast, login):
    adm = build_admissions(cast)
    url = reverse("admissions:application_status", kwargs={"code": adm.application.code})
    response = login(adm.other_applicant).post(url, {"name": "X", "email": "x@example.org"})
    assert response.status_code == 404
    assert adm.application.references.count() == 2


@pytest.mark.parametrize("role", list(EXPECTED))
def test_only_the_programs_staff_change_a_rounds_questions_and_rubric(role, cast):
    adm = build_admissions(cast)
    rnd = adm.round.code
    question = adm.round.questions.order_by("position").last()
    criterion = adm.round.criteria.order_by("position").last()
    before = (
        list(adm.round.questions.values_list("pk", "text", "position")),
        list(adm.round.criteria.values_list("pk", "name", "weight", "position")),
    )
    client = _client(role, adm, cast)
    q, c = {"code": rnd, "pk": question.pk}, {"code": rnd, "pk": criterion.pk}
    posts = [
        ("round_questions", {"code": rnd}, {"kind": "short_text", "text": "Sneaky"}),
        ("question_edit", q, {"kind": "short_text", "text": "Changed"}),
        ("question_move", q, {"to": "up"}),
        ("question_remove", q, {}),
        ("round_rubric", {"code": rnd}, {"name": "Sneaky", "weight": 3}),
        ("criterion_edit", c, {"name": "Changed", "weight": 9}),
        ("criterion_move", c, {"to": "up"}),
        ("criterion_remove", c, {}),
    ]
    expected = {"reviewer": 403, "referee": 302}.get(role, 404)
    for name, kwargs, data in posts:
        response = client.post(reverse(f"admissions:{name}", kwargs=kwargs), data)
        assert response.status_code == expected, (role, name, response.status_code)
        if role == "referee":
            assert response["Location"].startswith(reverse("account_login"))
    after = (
        list(adm.round.questions.values_list("pk", "text", "position")),
        list(adm.round.criteria.values_list("pk", "name", "weight", "position")),
    )
    assert after == before
