import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ..factories.action_plans import ActionPlanFactory, CompetencyDomainFactory, CompetencyFactory
from ..factories.curriculum import CompetencyFrameworkFactory

# The middle of the current cohort's year (it runs 1 Sep 2026 – 31 Aug 2027, New York).
NOW = datetime.datetime(2027, 3, 15, 15, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def framework(cast):
    framework = CompetencyFrameworkFactory(name="Equity Leadership Framework")
    domain = CompetencyDomainFactory(framework=framework, name="Leading change")
    CompetencyFactory(domain=domain, name="Building coalitions")
    CompetencyFactory(domain=domain, name="Using data for equity")
    cast.cohort.framework = framework
    cast.cohort.save()
    return framework


@pytest.fixture
def plan(cast):
    """The fellow's plan (shared with the peer group), working at two levels."""
    plan = ActionPlanFactory(
        enrollment=cast.enrollments["fellow"], title="Community health workers in Medicaid"
    )
    plan.focus_levels.create(level="community")
    plan.focus_levels.create(level="societal")
    return plan


@pytest.fixture
def alumnus_plan(cast):
    return ActionPlanFactory(enrollment=cast.enrollments["alumnus"], title="Doula care")


def result_data(**overrides) -> dict:
    """What a fellow types into the result form, valid unless overridden."""
    data = {
        "kind": "policy",
        "title": "Medicaid now pays community health workers",
        "story": "CMS approved the state plan amendment.",
        "achieved_on": "2027-02-10",
        "jurisdiction": "HI",
        "focus_levels": ["community", "societal"],
        "people_reached": "4800",
        "reach_source": "Medicaid enrollment data, January",
        "evidence_url": "https://example.org/spa",
        "consent": "funders",
    }
    data.update(overrides)
    return data


def pdf(name="memo.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% a memo\n"
    if size:
        body += b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name="brief.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())
