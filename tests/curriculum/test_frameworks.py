import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum import services
from curriculum.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    ProficiencyLevel,
)
from curriculum.selectors import framework_export
from tests.factories.curriculum import framework_with_scale

pytestmark = pytest.mark.django_db


def test_new_framework_gets_a_five_level_scale():
    framework = services.framework_create(name="Equity leadership", slug="equity")
    assert [str(level) for level in framework.levels.all()] == [
        "1 Emerging",
        "2 Developing",
        "3 Proficient",
        "4 Advanced",
        "5 Leading",
    ]


def test_competency_keeps_its_behavioural_indicators_in_order():
    framework = framework_with_scale(domains=1, per_domain=0)
    domain = framework.domains.get()
    competency = services.competency_save(
        domain=domain,
        name="Systems thinking",
        indicators=["Maps the whole system", "  ", "Names feedback loops"],
    )
    assert [i.text for i in competency.indicators.all()] == [
        "Maps the whole system",
        "Names feedback loops",
    ]
    services.competency_save(
        domain=domain, competency=competency, name="Systems thinking", indicators=["Only one"]
    )
    assert list(competency.indicators.values_list("text", flat=True)) == ["Only one"]


def test_duplicate_domain_name_is_refused_clearly_and_by_the_database():
    framework = framework_with_scale(domains=1)
    with pytest.raises(ValidationError, match="already exists"):
        services.domain_save(framework=framework, name="Domain 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyDomain.objects.create(framework=framework, name="Domain 1")


def test_scale_must_run_without_gaps_and_used_levels_stay():
    framework = framework_with_scale()
    with pytest.raises(ValidationError, match="without gaps"):
        services.scale_save(framework=framework, levels=[(1, "Low", ""), (3, "High", "")])
    services.scale_save(framework=framework, levels=[(1, "Beginning", ""), (2, "Fluent", "")])
    assert list(framework.levels.values_list("label", flat=True)) == ["Beginning", "Fluent"]


def test_level_value_outside_range_is_refused_by_the_database():
    framework = framework_with_scale()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyLevel.objects.create(framework=framework, value=0, label="Zero")


def test_export_then_import_round_trips():
    framework = framework_with_scale(domains=2, per_domain=2, name="Original", slug="original")
    BehaviouralIndicator.objects.create(competency=Competency.objects.first(), text="Listens")
    data = framework_export(framework)
    copy = services.framework_import(data=json.loads(json.dumps(data)), slug="copy")
    assert copy.name == "Original"
    exported = framework_export(copy)
    assert exported["domains"] == data["domains"]
    assert exported["scale"] == data["scale"]


def test_import_is_all_or_nothing_and_says_where_the_problems_are():
    data = {
        "name": "Broken",
        "slug": "broken",
        "scale": [{"value": 1, "label": "Low"}, {"value": 2, "label": "High"}],
        "domains": [
            {"name": "Good domain", "competencies": [{"name": "Fine"}]},
            {"name": "Bad domain", "competencies": [{"description": "no name"}]},
        ],
    }
    with pytest.raises(ValidationError) as info:
        services.framework_import(data=data)
    assert "domain 2, competency 1: “name” is required." in info.value.messages
    assert not CompetencyFramework.objects.filter(slug="broken").exists()
    assert not CompetencyDomain.objects.filter(name="Good domain").exists()


def test_import_refuses_a_taken_slug_and_a_bad_scale():
    framework_with_scale(slug="taken")
    base = {"name": "X", "scale": [{"value": 1, "label": "A"}, {"value": 2, "label": "B"}]}
    with pytest.raises(ValidationError, match="already exists"):
        services.framework_import(
            data={**base, "slug": "taken", "domains": [{"name": "D", "competencies": []}]}
        )
    with pytest.raises(ValidationError, match="without gaps"):
        services.framework_import(
            data={
                **base,
                "slug": "gappy",
                "scale": [{"value": 1, "label": "A"}, {"value": 4, "label": "D"}],
                "domains": [{"name": "D", "competencies": []}],
            }
        )
    assert not CompetencyFramework.objects.filter(slug="gappy").exists()


def test_import_page_shows_errors_and_imports_nothing(client_for, cast):
    bad = SimpleUploadedFile("fw.json", b'{"name": "Half", "slug": "half", "scale": "x"}')
    response = client_for("staff").post(reverse("curriculum:framework_import"), {"file": bad})
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "“scale” must be a list" in body
    assert not CompetencyFramework.objects.filter(slug="half").exists()


def test_import_page_refuses_a_non_json_file(client_for, cast):
    bad = SimpleUploadedFile("fw.json", b"not json at all")
    response = client_for("staff").post(reverse("curriculum:framework_import"), {"file": bad})
    assert "This is not valid JSON" in response.content.decode()


def test_staff_export_and_import_through_the_pages(client_for, cast):
    framework = framework_with_scale(slug="shared")
    client = client_for("staff")
    exported = client.get(reverse("curriculum:framework_export", args=[framework.code]))
    assert exported["Content-Disposition"] == 'attachment; filename="shared.json"'
    upload = SimpleUploadedFile("shared.json", exported.content)
    response = client.post(
        reverse("curriculum:framework_import"), {"file": upload, "slug": "shared-copy"}
    )
    copy = CompetencyFramework.objects.get(slug="shared-copy")
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.domains.count() == 2


def test_staff_build_a_framework_in_the_browser(client_for, cast):
    client = client_for("staff")
    response = client.post(
        reverse("curriculum:framework_create"),
        {"name": "Collective leadership", "slug": "collective", "description": ""},
    )
    framework = CompetencyFramework.objects.get(slug="collective")
    assert response["Location"] == framework.get_absolute_url()
    client.post(
        reverse("curriculum:domain_create", args=[framework.code]),
        {"name": "Envisioning", "order": 1},
    )
    domain = framework.domains.get()
    client.post(
        reverse("curriculum:competency_create", args=[domain.code]),
        {"name": "Shared vision", "order": 1, "indicators": "Invites many voices\nHolds the why"},
    )
    page = client.get(framework.get_absolute_url()).content.decode()
    assert "Shared vision" in page and "Holds the why" in page


def test_framework_used_by_another_program_is_read_only_for_staff(client_for, cast):
    framework = framework_with_scale()
    cast.other_cohort.framework = framework
    cast.other_cohort.save()
    response = client_for("staff").get(reverse("curriculum:framework_edit", args=[framework.code]))
    assert response.status_code == 403
    page = client_for("staff").get(framework.get_absolute_url()).content.decode()
    assert "only a site administrator can change it" in page


def test_edit_pages_start_from_what_is_saved(client_for, cast, cur):
    from tests.factories.curriculum import BehaviouralIndicatorFactory

    BehaviouralIndicatorFactory(competency=cur.competency, text="Asks who is missing")
    client = client_for("staff")
    page = client.get(reverse("curriculum:competency_edit", args=[cur.competency.code]))
    assert "Asks who is missing" in page.content.decode()
    page = client.get(reverse("curriculum:domain_edit", args=[cur.domain.code])).content.decode()
    assert f'value="{cur.domain.name}"' in page
    page = client.get(reverse("curriculum:domain_create", args=[cur.framework.code]))
    assert 'name="order" value="3"' in page.content.decode()  # after the two domains
    page = client.get(reverse("curriculum:scale_edit", args=[cur.framework.code]))
    assert "Emerging\nDeveloping" in page.content.decode()


def test_a_scale_with_a_used_level_removed_says_so_at_the_field(client_for, cast, cur):
    from tests.factories.curriculum import SelfAssessmentFactory, rate

    rate(
        SelfAssessmentFactory(window=cur.window, enrollment=cast.enrollments["fellow"]),
        {cur.competency: 5},
    )
    response = client_for("staff").post(
        reverse("curriculum:scale_edit", args=[cur.framework.code]),
        {"levels": "Low\nMiddle\nHigh"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_levels"' in body and "cannot be removed" in body
    assert cur.framework.levels.count() == 5


def test_framework_page_names_only_the_viewers_own_cohorts(client_for, cast, cur):
    cast.other_cohort.framework = cur.framework
    cast.other_cohort.save()
    url = reverse("curriculum:framework_detail", args=[cur.framework.code])
    mine = client_for("staff").get(url).content.decode()
    assert cast.cohort.name in mine and cast.other_cohort.name not in mine
    assert "1 cohort of other programs" in mine
    theirs = client_for("other_staff").get(url).content.decode()
    assert cast.other_cohort.name in theirs and cast.cohort.name not in theirs
    assert cast.program.name not in theirs
    everything = client_for("admin").get(url).content.decode()
    assert cast.cohort.name in everything and cast.other_cohort.name in everything
