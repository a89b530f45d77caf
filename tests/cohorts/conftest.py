"""Helpers for the cohorts tests: CSV files, invitation links from sent emails."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.cohorts import CohortFactory

HEADER = ["email", "full_name", "pronouns", "state", "agency", "title", "sector"]
# About 20 states and territories, Hawaii to Puerto Rico and Guam.
STATES = [
    "HI",
    "PR",
    "GU",
    "NY",
    "CA",
    "TX",
    "NM",
    "WA",
    "GA",
    "IL",
    "MN",
    "AZ",
    "MI",
    "NC",
    "CO",
    "OR",
    "LA",
    "MD",
    "VI",
    "AK",
]
SECTORS = ["Medicaid", "Public health", "Child welfare", "Governor's office", "Legislature"]
LINK = re.compile(r"https?://[^/\s]+(/me/invitation/[\w-]+/)")


def person_row(n: int, **overrides) -> dict:
    state = STATES[n % len(STATES)]
    row = {
        "email": f"fellow{n}@agency.example.gov",
        "full_name": f"Fellow Number{n}",
        "pronouns": ["she/her", "he/him", "they/them", ""][n % 4],
        "state": state,
        "agency": f"{state} Department of Health",
        "title": "Deputy Director",
        "sector": SECTORS[n % len(SECTORS)],
    }
    row.update(overrides)
    return row


def to_csv(rows, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def upload(text: str | bytes, name="roster.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def invitation_links(to: str | None = None) -> list[str]:
    """The accept-links (paths) of the invitation emails sent so far, to one address or all."""
    links = []
    for message in mail.outbox:
        if to is None or to in message.to:
            links.extend(LINK.findall(message.body))
    return links


@pytest.fixture
def new_cohort(cast):
    """An empty planned cohort of the cast's program."""
    return CohortFactory(program=cast.program, name="2027–2028 cohort", status="planned")
