"""The rules of recording results and demographics, at the service (and database) level."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from outcomes import services
from outcomes.models import Consent, DemographicProfile, Result

from ..factories.action_plans import CompetencyFactory
from ..factories.outcomes import ResultFactory
from .conftest import TODAY, docx, pdf


def record(plan, by, **overrides):
    data = {
        "kind": "policy",
        "title": "Medicaid now pays community health workers",
        "story": "CMS approved the state plan amendment.",
        "achieved_on": datetime.date(2027, 2, 10),
        "jurisdiction": "HI",
        "focus_levels": ["community"],
        "people_reached": 4800,
        "reach_source": "Medicaid enrollment data",
    }
    data.update(overrides)
    return services.result_create(plan=plan, by=by, **data)


def refused(field, plan, by, **overrides):
    with pytest.raises(ValidationError) as caught:
        record(plan, by, **overrides)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert not Result.objects.exists()
    return caught.value.message_dict[field]


def test_the_fellow_records_a_result_with_levels_competencies_and_consent(cast, plan, framework):
    competency = framework.domains.get().competencies.first()
    result = record(
        plan,
        cast.fellow,
        focus_levels=["community", "societal"],
        competencies=[competency],
        consent=Consent.PUBLIC,
    )
    assert result.focus_level_values() == ["community", "societal"]
    assert list(result.competencies.all()) == [competency]
    assert result.consent == Consent.PUBLIC
    assert result.recorded_by == cast.fellow
    assert not result.is_verified


def test_a_date_before_the_cohort_started_is_refused(cast, plan):
    (message,) = refused("achieved_on", plan, cast.fellow, achieved_on=datetime.date(2026, 8, 31))
    assert "before the cohort started (1 September 2026)" in message


def test_a_date_in_the_future_is_refused(cast, plan):
    (message,) = refused(
        "achieved_on", plan, cast.fellow, achieved_on=TODAY + datetime.timedelta(1)
    )
    assert message == "The date cannot be in the future."


def test_today_is_the_cohorts_day(cast, plan, time_machine):
    # 15 March 03:00 UTC: already the 15th in UTC, still the 14th in Honolulu.
    time_machine.move_to(datetime.datetime(2027, 3, 15, 3, 0, tzinfo=datetime.UTC))
    cohort = plan.enrollment.cohort
    cohort.time_zone = "Pacific/Honolulu"
    cohort.save()
    refused("achieved_on", plan, cast.fellow, achieved_on=datetime.date(2027, 3, 15))
    assert record(plan, cast.fellow, achieved_on=datetime.date(2027, 3, 14)).pk


def test_a_negative_reach_is_refused(cast, plan):
    refused("people_reached", plan, cast.fellow, people_reached=-5)


def test_a_reach_needs_its_source_and_a_source_its_reach(cast, plan):
    (message,) = refused("reach_source", plan, cast.fellow, reach_source="  ")
    assert message == "Say where the estimate of people reached comes from."
    refused("people_reached", plan, cast.fellow, people_reached=None)


def test_the_database_refuses_a_negative_reach_or_an_estimate_without_source(plan):
    result = ResultFactory(plan=plan, people_reached=10, reach_source="count")
    for changes in ({"people_reached": -1}, {"reach_source": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Result.objects.filter(pk=result.pk).update(**changes)


def test_at_least_one_level_from_the_list(cast, plan):
    refused("focus_levels", plan, cast.fellow, focus_levels=[])
    refused("focus_levels", plan, cast.fellow, focus_levels=["galactic"])


def test_competencies_come_from_the_cohorts_framework(cast, plan, framework):
    stranger = CompetencyFactory(name="From another framework")
    refused("competencies", plan, cast.fellow, competencies=[stranger])


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("map.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("memo.pdf", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("notes.txt", b"  <svg onload='alert(1)'/>"),
        SimpleUploadedFile("photo.png", b"%PDF-1.4 not a png"),
        SimpleUploadedFile("brief.docx", b"PK\x03\x04 not really a zip"),
        SimpleUploadedFile("data.csv", b"\x00\x01\x02binary"),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00"),
    ],
    ids=[
        "svg",
        "html",
        "html-as-pdf",
        "svg-as-txt",
        "pdf-as-png",
        "fake-docx",
        "binary-csv",
        "exe",
    ],
)
def test_evidence_of_a_refused_type_is_refused_whatever_its_name(cast, plan, upload):
    (message,) = refused("evidence_file", plan, cast.fellow, evidence_file=upload)
    assert "cannot be uploaded" in message


def test_evidence_over_the_limit_is_refused(cast, plan, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    (message,) = refused("evidence_file", plan, cast.fellow, evidence_file=pdf(size=2048))
    assert message.replace("\xa0", " ") == "The file is 2.0 KB; the limit is 1.0 KB."


def test_evidence_files_keep_their_checked_type_and_name(cast, plan):
    result = record(plan, cast.fellow, evidence_file=pdf("SPA approval.pdf"))
    assert result.evidence_type == "application/pdf"
    assert result.evidence_name == "SPA approval.pdf"
    assert result.evidence_file.name.startswith("result-evidence/")
    assert "SPA" not in result.evidence_file.name  # stored under a random name
    other = record(plan, cast.fellow, evidence_file=docx())
    assert other.evidence_type.endswith("wordprocessingml.document")


def test_staff_record_on_the_fellows_behalf_but_consent_stays_the_fellows(cast, plan):
    result = record(plan, cast.staff)
    assert result.consent == Consent.INTERNAL
    assert result.recorded_by == cast.staff
    Result.objects.all().delete()
    refused("consent", plan, cast.staff, consent=Consent.PUBLIC)


@pytest.mark.parametrize("role", ["coach", "peer", "other_staff", "withdrawn"])
def test_nobody_else_records_results(cast, plan, role):
    with pytest.raises(PermissionDenied):
        record(plan, cast.user(role))


def test_alumni_record_results_on_their_past_plan_after_the_year(cast, alumnus_plan):
    # The past cohort ended on 31 August 2026; results keep coming.
    result = record(alumnus_plan, cast.alumnus, achieved_on=datetime.date(2027, 1, 20))
    assert result.plan == alumnus_plan


def test_only_the_fellow_changes_consent(cast, plan):
    result = ResultFactory(plan=plan, consent=Consent.INTERNAL)
    for role in ("staff", "coach", "admin"):
        with pytest.raises(PermissionDenied):
            services.result_set_consent(result=result, by=cast.user(role), consent=Consent.PUBLIC)
    services.result_set_consent(result=result, by=cast.fellow, consent=Consent.PUBLIC)
    result.refresh_from_db()
    assert result.consent == Consent.PUBLIC
    assert result.consent_changed_at is not None


def test_only_staff_verify(cast, plan):
    result = ResultFactory(plan=plan)
    for role in ("fellow", "coach"):
        with pytest.raises(PermissionDenied):
            services.result_verify(result=result, by=cast.user(role))
    services.result_verify(result=result, by=cast.staff)
    assert result.is_verified and result.verified_by == cast.staff
    services.result_verify(result=result, by=cast.staff, verified=False)
    result.refresh_from_db()
    assert not result.is_verified and result.verified_by is None


def _update(result, by, **changes):
    fields = {
        name: getattr(result, name)
        for name in ("kind", "title", "story", "achieved_on", "jurisdiction")
    }
    fields.update(people_reached=result.people_reached, reach_source=result.reach_source)
    fields.update(changes)
    levels = fields.pop("focus_levels", result.focus_level_values())
    consent = fields.pop("consent", None)
    return services.result_update(
        result=result, by=by, focus_levels=levels, consent=consent, **fields
    )


def test_changing_what_a_verified_result_says_removes_the_verification(cast, plan):
    result = ResultFactory(plan=plan)
    services.result_verify(result=result, by=cast.staff)
    _update(result, cast.fellow, consent=Consent.PUBLIC)  # consent alone: still verified
    result.refresh_from_db()
    assert result.is_verified and result.consent == Consent.PUBLIC
    _update(result, cast.fellow, title="A bigger claim")
    result.refresh_from_db()
    assert not result.is_verified


def test_an_invalid_edit_saves_nothing(cast, plan):
    result = ResultFactory(plan=plan, title="As it was")
    with pytest.raises(ValidationError):
        _update(result, cast.fellow, title="Changed", people_reached=-3)
    result.refresh_from_db()
    assert result.title == "As it was"


def test_deleting_a_result_deletes_its_evidence_file_after_commit(
    cast, plan, django_capture_on_commit_callbacks
):
    result = record(plan, cast.fellow, evidence_file=pdf())
    storage, name = result.evidence_file.storage, result.evidence_file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.result_delete(result=result, by=cast.fellow)
    assert not storage.exists(name)
    assert not Result.objects.exists()


# --- Demographics -----------------------------------------------------------------------------


def test_demographic_answers_are_saved_and_replaced(cast):
    services.demographics_save(
        user=cast.fellow,
        by=cast.fellow,
        race_ethnicity=["nhpi", "asian"],
        gender="woman",
        lived_experience=["rural"],
        career_sector="state",
    )
    services.demographics_save(
        user=cast.fellow, by=cast.fellow, race_ethnicity=["prefer_not"], gender=""
    )
    profile = DemographicProfile.objects.get(user=cast.fellow)
    assert profile.race_values() == ["prefer_not"]
    assert profile.gender == "" and profile.career_sector == ""
    assert profile.lived_values() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("race_ethnicity", ["martian"]),
        ("race_ethnicity", ["prefer_not", "white"]),
        ("lived_experience", ["prefer_not", "rural"]),
        ("lived_experience", ["astronaut"]),
        ("gender", "robot"),
        ("career_sector", "pirate"),
    ],
)
def test_a_demographic_answer_not_in_the_list_is_refused_and_nothing_saved(cast, field, value):
    with pytest.raises(ValidationError) as caught:
        services.demographics_save(user=cast.fellow, by=cast.fellow, **{field: value})
    assert field in caught.value.message_dict
    assert not DemographicProfile.objects.exists()


def test_only_the_person_answers_for_themselves(cast):
    with pytest.raises(PermissionDenied):
        services.demographics_save(user=cast.fellow, by=cast.staff, gender="woman")
