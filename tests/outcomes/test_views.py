"""Result pages as people use them: forms with their errors next to the fields, who sees
which result on the plan page, evidence downloads, demographics kept to staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outcomes.models import Consent, DemographicProfile, Result

from ..factories.outcomes import DemographicProfileFactory, ResultFactory
from .conftest import pdf, result_data


def add_url(plan):
    return reverse("outcomes:result_add", kwargs={"code": plan.code})


def test_the_fellow_records_a_result_through_the_form(cast, client_for, plan, framework):
    competency = framework.domains.get().competencies.first()
    data = result_data(competencies=[competency.pk], evidence_file=pdf())
    response = client_for("fellow").post(add_url(plan), data)
    result = Result.objects.get()
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    assert result.consent == Consent.FUNDERS
    assert result.people_reached == 4800
    assert result.evidence_name == "memo.pdf"
    assert list(result.competencies.all()) == [competency]


def test_the_form_starts_from_the_plan(cast, client_for, plan):
    form = client_for("fellow").get(add_url(plan)).context["form"]
    assert form.initial["jurisdiction"] == "HI"  # the fellow's state
    assert form.initial["focus_levels"] == ["community", "societal"]
    assert "consent" in form.fields


def test_staff_get_no_consent_question(cast, client_for, plan):
    response = client_for("staff").get(add_url(plan))
    assert "consent" not in response.context["form"].fields
    assert b"stays internal" in response.content
    client_for("staff").post(add_url(plan), result_data(consent="public"))
    assert Result.objects.get().consent == Consent.INTERNAL


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"achieved_on": "2026-08-01"}, "achieved_on", "before the cohort started"),
        ({"achieved_on": "2027-03-16"}, "achieved_on", "cannot be in the future"),
        ({"people_reached": "-40"}, "people_reached", "cannot be a negative number"),
        ({"reach_source": ""}, "reach_source", "Say where the estimate"),
        ({"jurisdiction": "XX"}, "jurisdiction", "Select a valid choice"),
        ({"focus_levels": []}, "focus_levels", "Choose at least one level"),
        ({"kind": "miracle"}, "kind", "Select a valid choice"),
        (
            {"evidence_file": SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>")},
            "evidence_file",
            "cannot be uploaded",
        ),
        (
            {"evidence_file": SimpleUploadedFile("x.pdf", b"<!doctype html><p>hi")},
            "evidence_file",
            "not what its name says",
        ),
        ({"consent": "everyone"}, "consent", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_saved(
    cast, client_for, plan, changes, field, message
):
    response = client_for("fellow").post(add_url(plan), result_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in errors[field][0]
    assert not Result.objects.exists()
    assert message.encode() in response.content or field == "jurisdiction"


def test_an_evidence_file_over_the_limit_is_refused_next_to_its_field(
    cast, client_for, plan, settings
):
    settings.MAX_UPLOAD_BYTES = 1024
    response = client_for("fellow").post(add_url(plan), result_data(evidence_file=pdf(size=4096)))
    assert "limit is 1.0" in response.context["form"].errors["evidence_file"][0]
    assert not Result.objects.exists()


def test_user_text_is_escaped(cast, client_for, plan):
    ResultFactory(plan=plan, title="<script>alert(1)</script>", consent=Consent.PUBLIC)
    response = client_for("peer").get(plan.get_absolute_url())
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_the_plan_page_shows_each_viewer_the_results_they_may_see(cast, client_for, plan):
    ResultFactory(plan=plan, title="Kept internal", consent=Consent.INTERNAL)
    ResultFactory(plan=plan, title="For funders", consent=Consent.FUNDERS)
    ResultFactory(plan=plan, title="Told publicly", consent=Consent.PUBLIC)
    everything = {"Kept internal", "For funders", "Told publicly"}
    for role, expected in [
        ("fellow", everything),
        ("coach", everything),
        ("staff", everything),
        ("peer", {"Told publicly"}),
    ]:
        page = client_for(role).get(plan.get_absolute_url()).content.decode()
        seen = {title for title in everything if title in page}
        assert seen == expected, role


def test_each_plan_page_lists_its_own_results(cast, client_for, plan, alumnus_plan):
    # The panel's SQL is kept between requests: each page must still read its own plan.
    ResultFactory(plan=plan, title="Adopted by the county", consent=Consent.PUBLIC)
    ResultFactory(plan=alumnus_plan, title="Doulas reimbursed", consent=Consent.PUBLIC)
    client = client_for("staff")
    titles = {plan: "Adopted by the county", alumnus_plan: "Doulas reimbursed"}
    for shown, other in [(plan, alumnus_plan), (alumnus_plan, plan), (plan, alumnus_plan)]:
        page = client.get(shown.get_absolute_url()).content.decode()
        assert titles[shown] in page and titles[other] not in page, shown.title


def test_the_fellow_changes_consent_from_the_result_page(cast, client_for, plan):
    result = ResultFactory(plan=plan, consent=Consent.INTERNAL)
    url = reverse("outcomes:result_consent", kwargs={"code": result.code})
    bad = client_for("fellow").post(url, {"consent": "shout-it"})
    assert bad.status_code == 400
    assert "consent" in bad.context["consent_form"].errors
    client_for("fellow").post(url, {"consent": "public"})
    result.refresh_from_db()
    assert result.consent == Consent.PUBLIC


def test_staff_verify_and_unverify(cast, client_for, plan):
    result = ResultFactory(plan=plan)
    url = reverse("outcomes:result_verify", kwargs={"code": result.code})
    client_for("staff").post(url, {"verified": "1"})
    result.refresh_from_db()
    assert result.is_verified
    client_for("staff").post(url, {"verified": "0"})
    result.refresh_from_db()
    assert not result.is_verified


def test_evidence_downloads_as_an_attachment_of_its_checked_type(cast, client_for, plan):
    client_for("fellow").post(add_url(plan), result_data(evidence_file=pdf("SPA approval.pdf")))
    result = Result.objects.get()
    response = client_for("coach").get(reverse("outcomes:evidence", kwargs={"code": result.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "SPA approval.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_fellow_edits_and_deletes_a_result(cast, client_for, plan):
    result = ResultFactory(plan=plan, title="First draft")
    client = client_for("fellow")
    edit = reverse("outcomes:result_edit", kwargs={"code": result.code})
    response = client.post(edit, result_data(title="Said better", achieved_on="2027-01-05"))
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.title == "Said better"
    client.post(reverse("outcomes:result_delete", kwargs={"code": result.code}))
    assert not Result.objects.exists()


def test_an_alumnus_adds_a_result_to_the_past_plan(cast, client_for, alumnus_plan):
    response = client_for("alumnus").post(
        add_url(alumnus_plan), result_data(jurisdiction="NM", achieved_on="2027-01-20")
    )
    assert response.status_code == 302
    assert Result.objects.get().plan == alumnus_plan
    page = client_for("alumnus").get(alumnus_plan.get_absolute_url())
    assert b"Your year has ended" in page.content


# --- Demographics -----------------------------------------------------------------------------


def test_the_fellow_answers_the_optional_questions(cast, client_for):
    url = reverse("outcomes:demographics")
    page = client_for("fellow").get(url)
    assert b"Prefer not to say" in page.content
    assert b"Middle Eastern or North African" in page.content
    response = client_for("fellow").post(
        url, {"race_ethnicity": ["nhpi", "asian"], "gender": "woman", "career_sector": "state"}
    )
    assert response.status_code == 302
    profile = DemographicProfile.objects.get(user=cast.fellow)
    assert profile.race_values() == ["asian", "nhpi"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"race_ethnicity": ["martian"]}, "race_ethnicity"),
        ({"race_ethnicity": ["prefer_not", "black"]}, "race_ethnicity"),
        ({"gender": "robot"}, "gender"),
        ({"lived_experience": ["prefer_not", "rural"]}, "lived_experience"),
        ({"career_sector": "pirate"}, "career_sector"),
    ],
)
def test_a_demographics_choice_not_in_the_list_is_refused_next_to_it(cast, client_for, data, field):
    response = client_for("fellow").post(reverse("outcomes:demographics"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not DemographicProfile.objects.exists()


def test_demographics_are_for_program_staff_only(cast, client_for):
    DemographicProfileFactory(user=cast.fellow, gender="nonbinary", race=["mena"])
    enrollment = cast.enrollments["fellow"]
    url = reverse("cohorts:enrollment_detail", kwargs={"code": enrollment.code})
    staff_page = client_for("staff").get(url).content.decode()
    assert "Middle Eastern or North African" in staff_page and "Non-binary" in staff_page
    for role in ("coach", "fellow", "peer", "classmate"):
        response = client_for(role).get(url)
        text = response.content.decode()
        assert "Middle Eastern or North African" not in text, role
        assert "Non-binary" not in text, role
    directory = reverse("cohorts:directory", kwargs={"slug": cast.program.slug})
    for role in ("staff", "coach", "peer", "alumnus"):
        text = client_for(role).get(directory).content.decode()
        assert "Middle Eastern or North African" not in text and "Non-binary" not in text


def test_replacing_or_removing_evidence_deletes_the_old_file(
    cast, client_for, plan, django_capture_on_commit_callbacks
):
    client = client_for("fellow")
    client.post(add_url(plan), result_data(evidence_file=pdf("first.pdf")))
    result = Result.objects.get()
    storage, first = result.evidence_file.storage, result.evidence_file.name
    edit = reverse("outcomes:result_edit", kwargs={"code": result.code})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, result_data(evidence_file=pdf("second.pdf")))
    result.refresh_from_db()
    assert result.evidence_name == "second.pdf" and not storage.exists(first)
    second = result.evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, result_data(remove_evidence="on"))
    result.refresh_from_db()
    assert not result.evidence_file and result.evidence_name == ""
    assert not storage.exists(second)
