"""Staff pages for a round's questions and rubric: list, add, edit, reorder, remove, with
the types evaluations use; what answers or scores hold no longer changes meaning."""

from django.urls import reverse

from admissions import services
from admissions.models import Application, QuestionKind, RoundQuestion, RubricCriterion
from audit.models import AuditEntry
from tests.factories.admissions import make_application


def _url(name, round_, item=None):
    kwargs = {"code": round_.code}
    if item is not None:
        kwargs["pk"] = item.pk
    return reverse(f"admissions:{name}", kwargs=kwargs)


def _fresh_round(adm):
    """The cast's round without its applications: nothing answered or scored yet."""
    Application.objects.filter(round=adm.round).delete()
    return adm.round


def test_staff_add_a_question_of_an_evaluation_type_and_applicants_answer_it(
    adm, client_for, login
):
    round_ = _fresh_round(adm)
    client = client_for("staff")
    response = client.post(
        _url("round_questions", round_),
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "Which areas do you lead?",
            "choices": "Medicaid\nPublic health\n\nHousing",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = round_.questions.get(text="Which areas do you lead?")
    assert question.choices == ["Medicaid", "Public health", "Housing"]
    assert question.position == 2  # after the two there
    assert AuditEntry.objects.filter(action="admissions.question_added").exists()
    page = client.get(_url("round_questions", round_)).content.decode()
    assert "Which areas do you lead?" in page and "Multiple choice" in page
    # The applicant's form offers the options as checkboxes and keeps what was picked.
    from tests.factories.accounts import UserFactory

    applicant = login(UserFactory())
    form = applicant.get(reverse("admissions:apply", kwargs={"code": round_.code}))
    assert f'type="checkbox" name="q{question.pk}"' in form.content.decode()
    first = round_.questions.order_by("position").first()
    applicant.post(
        reverse("admissions:apply", kwargs={"code": round_.code}),
        {
            "action": "save",
            "state": "NM",
            "agency": "NM Health",
            "full_name": "Nia",
            "sector": "medicaid",
            f"q{first.pk}": "Prenatal care.",
            f"q{question.pk}": ["Housing", "Medicaid"],
        },
    )
    saved = Application.objects.get(round=round_)
    assert saved.answers[str(question.pk)] == ["Medicaid", "Housing"]
    # The committee reads the options picked.
    decide = client.get(reverse("admissions:decide", kwargs={"code": saved.code}))
    assert "Medicaid, Housing" in decide.content.decode()


def test_a_choice_question_without_options_is_refused_next_to_the_field(adm, client_for):
    round_ = _fresh_round(adm)
    response = client_for("staff").post(
        _url("round_questions", round_),
        {"kind": QuestionKind.SINGLE, "text": "Pick one", "choices": "Only one"},
    )
    assert response.status_code == 400
    assert "Give at least two options." in response.content.decode()
    assert not round_.questions.filter(text="Pick one").exists()


def test_a_bad_type_or_empty_wording_is_refused(adm, client_for):
    round_ = _fresh_round(adm)
    client = client_for("staff")
    response = client.post(_url("round_questions", round_), {"kind": "essay", "text": ""})
    assert response.status_code == 400
    assert round_.questions.count() == 2
    criterion = round_.criteria.first()
    response = client.post(_url("criterion_edit", round_, criterion), {"name": "X", "weight": 11})
    assert response.status_code == 400
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_an_answered_question_keeps_its_meaning_and_says_why(adm, client_for):
    question = adm.round.questions.order_by("position").first()  # the cast's answers hold it
    client = client_for("staff")
    url = _url("question_edit", adm.round, question)
    page = client.get(url).content.decode()
    assert "Applications have answered this question" in page
    response = client.post(
        url, {"kind": QuestionKind.SHORT_TEXT, "text": "Something else", "required": "on"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "its type no longer changes" in body and "its wording no longer changes" in body
    question.refresh_from_db()
    assert question.kind == QuestionKind.LONG_TEXT
    assert question.text == "What equity initiative will you lead?"
    # Its help text may change.
    response = client.post(
        url,
        {
            "kind": question.kind,
            "text": question.text,
            "help_text": "Two paragraphs.",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.help_text == "Two paragraphs."
    # And it is not removed.
    response = client.post(_url("question_remove", adm.round, question), follow=True)
    assert "removing it would lose their answers" in response.content.decode()
    assert RoundQuestion.objects.filter(pk=question.pk).exists()


def test_questions_are_reordered_and_removed(adm, client_for):
    round_ = _fresh_round(adm)
    first, second = list(round_.questions.order_by("position"))
    client = client_for("staff")
    client.post(_url("question_move", round_, second), {"to": "up"})
    assert list(round_.questions.order_by("position")) == [second, first]
    client.post(_url("question_move", round_, second), {"to": "up"})  # already first
    assert list(round_.questions.order_by("position")) == [second, first]
    client.post(_url("question_remove", round_, second))
    assert list(round_.questions.all()) == [first]
    first.refresh_from_db()
    assert first.position == 0


def test_a_scored_criterion_keeps_its_weight_and_no_criterion_is_added(adm, client_for):
    leadership = adm.round.criteria.get(name="Leadership")
    services.review_submit(
        assignment=adm.assignment,
        raw_scores={f"c{c.pk}": "4" for c in adm.round.criteria.all()},
        comments="",
    )
    client = client_for("staff")
    url = _url("criterion_edit", adm.round, leadership)
    assert "Reviewers have scored on this criterion" in client.get(url).content.decode()
    response = client.post(url, {"name": "Leadership", "weight": 5, "guidance": ""})
    assert response.status_code == 400
    assert "its weight no longer changes" in response.content.decode()
    leadership.refresh_from_db()
    assert leadership.weight == 2
    response = client.post(url, {"name": "Leadership", "weight": 2, "guidance": "Led teams"})
    assert response.status_code == 302
    leadership.refresh_from_db()
    assert leadership.guidance == "Led teams"
    response = client.post(_url("round_rubric", adm.round), {"name": "New", "weight": 1})
    assert response.status_code == 400
    assert "leave their scores incomplete" in response.content.decode()
    assert not adm.round.criteria.filter(name="New").exists()
    client.post(_url("criterion_remove", adm.round, leadership))
    assert RubricCriterion.objects.filter(pk=leadership.pk).exists()


def test_criteria_are_added_moved_and_removed_before_scoring(adm, client_for):
    round_ = adm.round
    client = client_for("staff")
    response = client.post(
        _url("round_rubric", round_), {"name": "Vision", "weight": 3, "guidance": "Where to?"}
    )
    assert response.status_code == 302
    vision = round_.criteria.get(name="Vision")
    assert vision.position == 2
    client.post(_url("criterion_move", round_, vision), {"to": "up"})
    assert [c.name for c in round_.criteria.order_by("position")] == [
        "Leadership",
        "Vision",
        "Equity focus",
    ]
    client.post(_url("criterion_remove", round_, vision))
    assert not round_.criteria.filter(name="Vision").exists()
    assert [c.position for c in round_.criteria.order_by("position")] == [0, 1]


def test_the_round_page_links_to_its_questions_and_rubric(adm, client_for):
    page = client_for("staff").get(adm.round.get_absolute_url()).content.decode()
    assert _url("round_questions", adm.round) in page
    assert _url("round_rubric", adm.round) in page


def test_another_rounds_question_is_not_reached_through_this_round(adm, cast, client_for):
    from tests.factories.admissions import make_round

    other = make_round(cast.sibling_cohort)
    question = other.questions.first()
    make_application(other)
    response = client_for("staff").get(_url("question_edit", adm.round, question))
    assert response.status_code == 404


def test_a_move_without_a_direction_moves_nothing_and_says_so(adm, client_for):
    client = client_for("staff")
    before = list(adm.round.criteria.order_by("position"))
    response = client.post(
        _url("criterion_move", adm.round, before[0]), {"to": "sideways"}, follow=True
    )
    assert "Choose up or down." in response.content.decode()
    assert list(adm.round.criteria.order_by("position")) == before
    questions = list(adm.round.questions.order_by("position"))
    client.post(_url("question_move", adm.round, questions[0]), {})
    assert list(adm.round.questions.order_by("position")) == questions
