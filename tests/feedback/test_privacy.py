"""A person's data download holds their named survey answers and the record of what they
answered; erasure deletes both. Anonymous answers are tied to nobody, so neither finds them."""

from feedback.models import FormPurpose, Response
from privacy.erasure import person_erase
from privacy.export import personal_data

from ..factories.feedback import FormFactory
from .conftest import answer_as


def test_named_answers_are_exported_and_erased_anonymous_ones_stay(cast, session, evaluation):
    named = FormFactory(
        program=cast.program, purpose=FormPurpose.SURVEY, anonymous=False, kinds=["long_text"]
    )
    answer_as(cast.fellow, named, key="survey:1", cohort=cast.cohort, comment="My own words")
    answer_as(
        cast.fellow,
        evaluation.form,
        key=f"session:{session.pk}",
        cohort=cast.cohort,
        session=session,
        comment="Anonymous words",
    )
    data = personal_data(cast.fellow)
    assert [a["text"] for a in data["survey_answers_named"]] == ["My own words"]
    assert sorted(r["occasion"] for r in data["evaluations_and_surveys_answered"]) == [
        f"session:{session.pk}",
        "survey:1",
    ]
    assert "Anonymous words" not in str(data)

    summary = person_erase(user=cast.fellow, by=cast.admin)
    assert summary["deleted"]["records of evaluations answered"] == 2
    assert not Response.objects.filter(form=named).exists()
    assert Response.objects.filter(form=evaluation.form).count() == 1
