"""A whole framework from an indented outline or a CSV, with a preview; the same formats out."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curriculum.models import BehaviouralIndicator, Competency, CompetencyFramework
from tests.factories.curriculum import CompetencyFactory

URL = reverse("curriculum:framework_from_text")

OUTLINE = """Leading self
  - Self-awareness
      Names their own biases
      Asks for feedback
  - Resilience
Leading change
  - Building coalitions
      Brings unlikely partners to the table
"""

CSV_TEXT = (
    "domain,competency,indicator\n"
    "Leading self,Self-awareness,Names their own biases\n"
    "Leading self,Self-awareness,Asks for feedback\n"
    "Leading self,Resilience,\n"
    "Leading change,Building coalitions,Brings unlikely partners to the table\n"
)


def _post(client, **data):
    return client.post(URL, {"name": "Equity leadership", "slug": "equity-2027", **data})


@pytest.mark.parametrize(
    "data",
    [
        {"format": "outline", "text": OUTLINE},
        {"format": "csv", "text": CSV_TEXT},
        {"format": "outline", "file": SimpleUploadedFile("f.csv", CSV_TEXT.encode())},
    ],
    ids=["outline", "csv pasted", "csv uploaded"],
)
def test_preview_then_create_the_whole_framework(cast, client_for, data):
    client = client_for("staff")
    preview = _post(client, **data)
    body = preview.content.decode()
    assert "Preview: 2 domains" in body
    assert "Brings unlikely partners to the table" in body
    assert not CompetencyFramework.objects.filter(slug="equity-2027").exists()

    data = {**data, "confirm": "on"}
    if "file" in data:
        data["file"] = SimpleUploadedFile("f.csv", CSV_TEXT.encode())
    response = _post(client, **data)
    framework = CompetencyFramework.objects.get(slug="equity-2027")
    assert response.status_code == 302 and response["Location"] == framework.get_absolute_url()
    names = list(
        Competency.objects.filter(domain__framework=framework)
        .order_by("domain__order", "order")
        .values_list("domain__name", "name")
    )
    assert names == [
        ("Leading self", "Self-awareness"),
        ("Leading self", "Resilience"),
        ("Leading change", "Building coalitions"),
    ]
    assert BehaviouralIndicator.objects.filter(competency__domain__framework=framework).count() == 3
    assert framework.levels.count() == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"format": "csv", "text": "domain,competency\nA,B\n"},
            "The file has no “indicator” column",
        ),
        (
            {"format": "csv", "text": "domain,competency,indicator\nA,B,x\nC,B,y\n"},
            "Line 3: the competency “B” is already in “A” (line 2)",
        ),
        (
            {"format": "outline", "text": "A\n  B\nC\n  b\n"},
            "Line 4: the competency “b” is already in “A”",
        ),
        ({"format": "outline", "text": ""}, "Paste the framework here"),
    ],
)
def test_bad_frameworks_are_refused_next_to_the_text_and_nothing_is_saved(
    cast, client_for, data, message
):
    before = CompetencyFramework.objects.count()
    response = _post(client_for("staff"), confirm="on", **data)
    body = response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert response.status_code == 200
    assert message in body
    assert "Create the framework" not in body
    assert CompetencyFramework.objects.count() == before


def test_user_text_in_the_preview_is_escaped(cast, client_for):
    body = _post(client_for("staff"), format="outline", text="<b>A</b>\n  <i>B</i>\n")
    assert "&lt;i&gt;B&lt;/i&gt;" in body.content.decode()


def test_export_as_csv_and_outline_reads_back_the_same(cast, client_for):
    competency = CompetencyFactory(name="Systems thinking")
    competency.indicators.create(text="Maps the system", order=1)
    framework = competency.domain.framework
    client = client_for("staff")
    url = reverse("curriculum:framework_export", args=[framework.code])
    csv_body = b"".join(client.get(url + "?format=csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(csv_body.lstrip("\ufeff"))))
    assert rows == [
        ["domain", "competency", "indicator"],
        [competency.domain.name, "Systems thinking", "Maps the system"],
    ]
    outline = client.get(url + "?format=outline").content.decode()
    assert outline == f"{competency.domain.name}\n  Systems thinking\n    Maps the system\n"
