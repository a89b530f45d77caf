"""A program's words: the Terms object, how a page finds its program, the settings page with
its preview, bad input, and what it costs."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cohorts import terms as terms_module
from cohorts.models import Program
from cohorts.services import program_terms_update
from cohorts.terms import DEFAULT_TERMS, Terms, program_of_code
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.cohorts import CohortFactory, ProgramFactory
from tests.queries import assert_stable_queries, count_queries

from .test_terms_everywhere import SCHOLARS_WORDS, use_scholars_words


def _terms_url(cast):
    return reverse("cohorts:program_terms", kwargs={"slug": cast.program.slug})


def _form_data(**changes):
    data = {
        "participant_singular": "scholar",
        "participant_plural": "scholars",
        "plan_name": "Advocacy Action Project",
        "plan_short_name": "project",
        "plan_intro": "Your project advances change at your home institution.",
        "group_singular": "peer-coaching pair",
        "group_plural": "peer-coaching pairs",
        "group_size_min": 2,
        "group_size_max": 3,
    }
    for key in ("initiative", "problem", "equity_aim", "focus_levels", "policy_levers"):
        data[f"section_{key}_label"] = key.replace("_", " ").capitalize()
        data[f"section_{key}_help"] = ""
    data["section_stakeholders_label"] = "Stakeholders"
    data["section_stakeholders_help"] = ""
    data["section_success_measures_label"] = "Success measures"
    data["section_success_measures_help"] = ""
    data["section_initiative_label"] = "Project at your institution"
    data["section_initiative_help"] = "What you bring from home."
    data.update(changes)
    return data


# --- The Terms object ----------------------------------------------------------------------


def test_a_new_program_speaks_in_the_default_words(db):
    terms = ProgramFactory().terms
    assert terms == DEFAULT_TERMS
    assert terms.section["initiative"].label == "Strategic initiative"
    assert terms.a_participant == "a fellow"


def test_terms_say_a_sentence_in_the_programs_words(db):
    program = ProgramFactory(
        participant_singular="intern",
        participant_plural="interns",
        group_singular="accountability network",
        group_plural="accountability networks",
        plan_name="Advocacy Action Project",
    )
    terms = program.terms
    assert terms.a_participant == "an intern"
    assert (
        terms.speak("Add a fellow to the Peer group")
        == "Add an intern to the Accountability network"
    )
    assert terms.speak("Fellows and their Leadership Action Plan") == (
        "Interns and their Advocacy Action Project"
    )
    # Longer words that start alike are not touched.
    assert terms.speak("My fellowship") == "My fellowship"


def test_only_the_sections_a_program_renamed_change(db):
    program = ProgramFactory(
        plan_sections={
            "equity_aim": {"label": "Who benefits"},
            "problem": {"label": "", "help": ""},
        }
    )
    sections = program.terms.section
    assert sections["equity_aim"].label == "Who benefits"
    assert sections["equity_aim"].help.startswith("Which people")  # not given: the default
    assert sections["problem"].label == "Problem or opportunity"  # a section needs a name
    assert sections["problem"].help == ""  # no help text: the program's choice


def test_terms_travel_in_a_payload_and_back(db):
    program = ProgramFactory(participant_singular="scholar", participant_plural="scholars")
    words = program.terms.as_dict()
    assert Terms.from_dict(words).participants == "scholars"
    assert Terms.from_dict(None) == DEFAULT_TERMS


def test_a_page_finds_its_program_from_any_object_its_url_names(cast):
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    assert program_of_code(plan.code) == cast.program
    assert program_of_code(cast.other_cohort.code) == cast.other_program
    assert program_of_code(cast.fellow.code) is None  # a person belongs to no one program


def test_the_plan_page_reads_in_the_words_of_the_plans_program(cast, client_for):
    use_scholars_words(cast.program)
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    html = client_for("coach").get(plan.get_absolute_url()).content.decode()
    assert "Advocacy Action Project" in html
    assert "Project at your institution" in html


def test_the_other_programs_words_stay_its_own(cast, client_for):
    use_scholars_words(cast.other_program)
    html = client_for("staff").get(reverse("reports:at_risk", args=[cast.cohort.code]))
    assert b"scholar" not in html.content
    assert b"fellows at risk" in html.content


# --- Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("participant_singular", ""),
        ("participant_plural", "scholars, fellows"),
        ("group_singular", "   "),
        ("plan_name", "x" * 81),
        ("group_size_min", 1),
        ("group_size_max", 9),
    ],
)
def test_the_service_refuses_words_that_would_not_read(cast, field, value):
    with pytest.raises(ValidationError) as error:
        program_terms_update(program=cast.program, data={field: value}, by=cast.staff)
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "sections",
    [
        {"nonsense": {"label": "x"}},
        {"initiative": {"label": "x" * 81}},
        {"initiative": {"label": 3}},
        ["initiative"],
    ],
)
def test_the_service_refuses_unknown_or_oversized_sections(cast, sections):
    with pytest.raises(ValidationError) as error:
        program_terms_update(program=cast.program, data={"plan_sections": sections}, by=cast.staff)
    assert "plan_sections" in error.value.message_dict


# --- The settings page ---------------------------------------------------------------------


def test_staff_save_the_programs_words_and_it_is_audited(cast, client_for):
    response = client_for("staff").post(_terms_url(cast), _form_data())
    assert response.status_code == 302
    program = Program.objects.get(pk=cast.program.pk)
    assert program.participant_plural == "scholars"
    assert (program.group_size_min, program.group_size_max) == (2, 3)
    assert program.terms.section["initiative"].label == "Project at your institution"
    assert program.terms.section["initiative"].help == "What you bring from home."
    entry = AuditEntry.objects.get(action="cohorts.terms_changed")
    assert entry.actor == cast.staff
    assert entry.program_id == cast.program.pk


def test_the_preview_shows_the_words_typed_without_saving_them(cast, client_for):
    response = client_for("staff").post(
        _terms_url(cast), {**_form_data(participant_plural="residents"), "preview": "1"}
    )
    assert response.status_code == 200
    preview = response.content.decode().split('data-testid="terms-preview"')[1]
    assert "12 residents" in preview
    assert "Project at your institution" in preview
    assert Program.objects.get(pk=cast.program.pk).participant_plural == "fellows"


def test_the_page_previews_the_saved_words(cast, client_for):
    use_scholars_words(cast.program)
    html = client_for("staff").get(_terms_url(cast)).content.decode()
    preview = html.split('data-testid="terms-preview"')[1]
    assert "12 scholars" in preview and "1 scholar</strong>" in preview
    assert "Not in a peer-coaching pair yet" in preview


def test_bad_input_comes_back_next_to_its_field_and_nothing_is_saved(cast, client_for):
    response = client_for("staff").post(
        _terms_url(cast),
        _form_data(
            participant_plural="scholars, fellows",
            section_initiative_label="",
            group_size_min=5,
            group_size_max=3,
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "participant_plural" in form.errors
    assert "section_initiative_label" in form.errors
    assert "group_size_max" in form.errors
    assert Program.objects.get(pk=cast.program.pk).participant_plural == "fellows"


def test_user_text_in_the_words_is_escaped(cast, client_for):
    use_scholars_words(cast.program)
    Program.objects.filter(pk=cast.program.pk).update(plan_name="<b>Project</b>")
    html = client_for("staff").get(_terms_url(cast)).content.decode()
    assert "<b>Project</b>" not in html
    assert "&lt;b&gt;Project&lt;/b&gt;" in html


def test_the_settings_page_costs_the_same_with_more_programs_and_cohorts(cast, client_for):
    client = client_for("staff")

    def grow(times):
        for _ in range(times * 3):
            CohortFactory(program=cast.program)
            ProgramFactory(**{k: v for k, v in SCHOLARS_WORDS.items() if k != "plan_sections"})

    count = assert_stable_queries(lambda: client.get(_terms_url(cast)), grow)
    assert count <= 12


def test_a_page_costs_one_query_more_at_most_for_its_words(cast, client_for):
    """The words of the page's program come in one query, whatever the URL names."""
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    client = client_for("coach")

    def grow(times):
        for _ in range(times * 3):
            CohortFactory(program=cast.program)

    assert_stable_queries(lambda: client.get(plan.get_absolute_url()), grow)


def _reads_programs_alone(sqls) -> list[str]:
    """Queries whose own table is the programs' (not a subquery of another query)."""
    return [sql for sql in sqls if re.match(r'SELECT [^()]*? FROM "cohorts_program"', sql)]


@pytest.mark.parametrize("who", ["fellow", "coach", "staff"])
def test_the_pages_words_come_with_the_navigations_query(cast, client_for, who):
    """The program's words are asked in the query the navigation makes anyway (a request
    probe of the viewer's roles), not in one of their own: the plan page names its plan,
    the start pages nothing (the program of the newest enrollment, else the one program the
    person staffs or coaches in)."""
    use_scholars_words(cast.program)
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    client = client_for(who)
    pages = [(plan.get_absolute_url(), "Advocacy Action Project")]
    # Start pages name no program: the newest enrollment's, else the one program served.
    if who == "fellow":
        pages.append((reverse("cohorts:fellow_home"), "Advocacy Action Project"))
    if who == "coach":
        pages.append((reverse("coaching:coach_home"), "My scholars"))
    for url, words in pages:
        _, sqls, response = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert words in response.content.decode()
        assert _reads_programs_alone(sqls) == [], url


def test_words_read_as_one_json_object_are_the_programs_words(cast):
    """`Terms.of_words` reads what the probe's JSON object holds (SQLite hands it back as
    text, nested JSON fields too)."""
    import json

    use_scholars_words(cast.program)
    program = Program.objects.get(pk=cast.program.pk)
    words = {field: getattr(program, field) for field in terms_module._WORD_FIELDS}
    assert Terms.of_words(words) == Terms.of(program)
    as_text = {**words, "plan_sections": json.dumps(words["plan_sections"])}
    assert Terms.of_words(json.dumps(as_text)) == Terms.of(program)
    assert Terms.of_words(None) is DEFAULT_TERMS
