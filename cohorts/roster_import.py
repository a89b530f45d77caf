"""Roster CSV import: read the upload, plan it row by row (the dry run), then apply every
valid row in one transaction, or none.

Applying the same file twice changes nothing: a row that matches the roster is "unchanged".
Whole-file problems (not UTF-8, empty, too big, a required column missing) raise
ImportFileError with a message for the person who uploaded it."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User

from .geography import StateOrTerritory, time_zone_for_state
from .models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    RosterImport,
    Sector,
)
from .services import enrollment_create, enrollment_update, person_for_email

TEMPLATE_COLUMNS = [
    "email",
    "full_name",
    "pronouns",
    "state",
    "agency",
    "title",
    "sector",
    "partner",
]
REQUIRED_COLUMNS = ["email", "full_name", "state", "agency"]
HEADER_ALIASES = {
    "e-mail": "email",
    "email address": "email",
    "name": "full_name",
    "full name": "full_name",
    "state or territory": "state",
    "territory": "state",
    "agency or organization": "agency",
    "organization": "agency",
    "organisation": "agency",
    "job title": "title",
    "sponsoring partner": "partner",
    "sponsor": "partner",
    "partner organization": "partner",
}
MAX_LENGTHS = {"full_name": 150, "pronouns": 40, "agency": 200, "title": 200, "email": 254}
MAX_BYTES = 512 * 1024
MAX_ROWS = 1000
# Cells a spreadsheet would run as a formula when the roster is opened again (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STALE_PREVIEW_AGE = datetime.timedelta(days=1)


class ImportFileError(Exception):
    """The file as a whole cannot be read as a roster."""


class ImportChanged(Exception):
    """The roster changed between the dry run and the import: the user must look again."""


class Outcome:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSE = "refuse"


@dataclass
class PlannedRow:
    line: int
    email: str
    full_name: str
    values: dict
    outcome: str = Outcome.REFUSE
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    user: User | None = None
    enrollment: Enrollment | None = None


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    ignored_columns: list[str] = field(default_factory=list)

    def _with(self, outcome):
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def to_create(self):
        return self._with(Outcome.CREATE)

    @property
    def to_update(self):
        return self._with(Outcome.UPDATE)

    @property
    def unchanged(self):
        return self._with(Outcome.UNCHANGED)

    @property
    def refused(self):
        return self._with(Outcome.REFUSE)

    @property
    def to_import(self):
        return [row for row in self.rows if row.outcome in (Outcome.CREATE, Outcome.UPDATE)]

    @property
    def digest(self) -> str:
        """Names what the import would do; it must not change between dry run and import."""
        text = "\n".join(
            f"{row.line}|{row.outcome}|{row.email}|{';'.join(row.changes)}" for row in self.rows
        )
        return hashlib.sha256(text.encode()).hexdigest()


# --- Reading the file ---------------------------------------------------------------------


def read_upload(upload) -> str:
    """The text of an uploaded roster file, or ImportFileError saying what is wrong with it."""
    name = (upload.name or "").lower()
    if upload.size == 0:
        raise ImportFileError("The file is empty.")
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            f"The file is {upload.size // 1024} KB; the limit is {MAX_BYTES // 1024} KB "
            f"(about {MAX_ROWS} people). Split it into smaller files."
        )
    raw = upload.read(MAX_BYTES + 1)
    if raw.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xls", ".ods")):
        raise ImportFileError(
            "This is a spreadsheet workbook, not a CSV file. In Excel choose File → Save As → "
            "“CSV UTF-8”; in Google Sheets, File → Download → CSV."
        )
    if not name.endswith((".csv", ".txt")):
        raise ImportFileError("Upload a .csv file (comma-separated values).")
    if b"\x00" in raw:
        raise ImportFileError("The file is not text; upload a CSV file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 text (an unreadable byte at position {exc.start}). "
            "In Excel, save it as “CSV UTF-8”; in Google Sheets, File → Download → CSV."
        ) from exc
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerow(TEMPLATE_COLUMNS)
    return out.getvalue()


def _column_name(cell: str) -> str:
    name = " ".join(cell.strip().lower().replace("_", " ").split())
    return HEADER_ALIASES.get(name, name.replace(" ", "_"))


def _read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line number, cells) of each row. Excel in some locales separates
    with semicolons, so a header without commas decides the delimiter."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(f"The file has more than {MAX_ROWS} rows; split it.")
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ImportFileError(f"Line {reader.line_num} cannot be read as CSV: {exc}.") from exc
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError("The file is empty.")
    return header, rows


# --- Planning (the dry run) ---------------------------------------------------------------


def _key(text: str) -> str:
    """How a state or sector is matched: "hi", "Hawaii", "U.S. Virgin Islands", "us virgin
    islands", "Governor's office" and "governors_office" all find theirs."""
    return " ".join(text.lower().replace(".", "").replace("’", "'").replace("_", " ").split())


_STATES_BY_KEY = {
    _key(text): code for code, label in StateOrTerritory.choices for text in (code, label)
}
_SECTORS_BY_KEY = {_key(text): value for value, label in Sector.choices for text in (value, label)}


def _check_row(line: int, columns: list[str], cells: list[str], partners: dict) -> PlannedRow:
    reasons = []
    if len(cells) > len(columns):
        reasons.append(f"{len(cells)} cells, but the header names {len(columns)} columns")
    missing_cells = columns[len(cells) :]
    raw = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)}
    row = PlannedRow(
        line=line,
        email=raw.get("email", "").lower(),
        full_name=raw.get("full_name", ""),
        values={},
        reasons=reasons,
    )
    for col in missing_cells:
        if col in REQUIRED_COLUMNS:
            reasons.append(f"missing column “{col}”")
    for col in columns:
        value = raw[col]
        if value.startswith(FORMULA_PREFIXES):
            reasons.append(
                f"“{col}” starts with “{value[:1].strip() or 'a tab'}”, which spreadsheets run "
                "as a formula"
            )
        elif col in MAX_LENGTHS and len(value) > MAX_LENGTHS[col]:
            reasons.append(f"“{col}” is longer than {MAX_LENGTHS[col]} characters")
    for col in REQUIRED_COLUMNS:
        if col not in missing_cells and not raw.get(col):
            reasons.append(f"missing {col.replace('_', ' ')}")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            reasons.append(f"bad email address “{row.email}”")
    state_text = raw.get("state", "")
    state = _STATES_BY_KEY.get(_key(state_text))
    if state_text and state is None:
        reasons.append(f"unknown state or territory “{state_text}”")
    sector_text = raw.get("sector", "")
    sector = _SECTORS_BY_KEY.get(_key(sector_text)) if sector_text else Sector.OTHER
    if sector is None:
        reasons.append(f"unknown sector “{sector_text}”")
    row.values = {
        "state": state,
        "agency": raw.get("agency", ""),
        "title": raw.get("title", ""),
        "sector": sector,
        "pronouns": raw.get("pronouns", ""),
    }
    # The sponsoring partner: one of the program's partners, by name; changed only by a file
    # that has the column (an empty cell means none).
    if "partner" in columns:
        partner_text = raw.get("partner", "")
        partner = partners.get(_key(partner_text)) if partner_text else None
        if partner_text and partner is None:
            reasons.append(f"“{partner_text}” is not one of the program’s partner organizations")
        row.values["partner"] = partner
    return row


def _changes(row: PlannedRow, enrollment: Enrollment) -> list[str]:
    changes = []
    for key in ("state", "agency", "title", "sector"):
        before, after = getattr(enrollment, key), row.values[key]
        if before != after:
            changes.append(f"{key}: “{before}” → “{after}”")
    if "partner" in row.values and row.values["partner"] != enrollment.partner:
        before, after = enrollment.partner or "none", row.values["partner"] or "none"
        changes.append(f"partner: “{before}” → “{after}”")
    user = enrollment.user
    # Once someone has accepted their invitation, their name is theirs to change, not ours.
    if not user.has_usable_password():
        if user.full_name != row.full_name:
            changes.append(f"name: “{user.full_name}” → “{row.full_name}”")
        if user.pronouns != row.values["pronouns"]:
            changes.append(f"pronouns: “{user.pronouns}” → “{row.values['pronouns']}”")
    return changes


def plan_import(cohort: Cohort, text: str) -> ImportPlan:
    header, cells_by_line = _read_csv(text)
    columns = [_column_name(cell) for cell in header]
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise ImportFileError(f"The header names “{duplicated[0]}” twice.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            f"The file has no {', '.join('“' + c + '”' for c in missing)} column. "
            "The first row must name the columns: download the template to see them."
        )
    if not cells_by_line:
        raise ImportFileError("The file names its columns but has no rows of people.")
    partners = {_key(p.name): p for p in cohort.program.partners.all()}
    rows = [_check_row(line, columns, cells, partners) for line, cells in cells_by_line]

    first_line_of: dict[str, int] = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first_line_of:
            row.reasons.append(
                f"duplicate in the file: same email as line {first_line_of[row.email]}"
            )
        else:
            first_line_of[row.email] = row.line

    _match_roster(cohort, rows)
    ignored = [c for c in columns if c and c not in TEMPLATE_COLUMNS]
    return ImportPlan(rows=rows, ignored_columns=ignored)


def _match_roster(cohort: Cohort, rows: list[PlannedRow]) -> None:
    """Compares the rows with the people and enrollments already there, in three queries."""
    emails = {row.email for row in rows if row.email}
    users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    here = {
        e.user_id: e
        for e in Enrollment.objects.filter(cohort=cohort, user__in=users.values()).select_related(
            "user", "partner"
        )
    }
    elsewhere = {
        e.user_id: e
        for e in Enrollment.objects.filter(
            cohort__program_id=cohort.program_id,
            cohort__status__in=[CohortStatus.PLANNED, CohortStatus.ACTIVE],
            status__in=[EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE],
            user__in=users.values(),
        )
        .exclude(cohort=cohort)
        .select_related("cohort")
    }
    for row in rows:
        if row.reasons:
            row.outcome = Outcome.REFUSE
            continue
        row.user = users.get(row.email)
        enrollment = here.get(row.user.pk) if row.user else None
        other = elsewhere.get(row.user.pk) if row.user else None
        if enrollment is not None:
            row.enrollment = enrollment
            row.changes = _changes(row, enrollment)
            if not row.changes:
                row.outcome = Outcome.UNCHANGED
            elif enrollment.status == EnrollmentStatus.INVITED:
                row.outcome = Outcome.UPDATE
            else:
                row.outcome = Outcome.REFUSE
                row.reasons.append(
                    f"already enrolled in this cohort ({enrollment.get_status_display().lower()})"
                    "; change their record on their page"
                )
        elif other is not None:
            row.outcome = Outcome.REFUSE
            row.reasons.append(f"already enrolled in {other.cohort.name}")
        else:
            row.outcome = Outcome.CREATE


# --- Storing and applying -----------------------------------------------------------------


@transaction.atomic
def roster_import_upload(
    *, cohort: Cohort, by: User, filename: str, text: str, as_alumni: bool = False
) -> RosterImport:
    """Keeps an uploaded file for its dry run (after plan_import accepted it as a whole).
    `as_alumni`: the people completed this (ended) cohort and are loaded as its alumni."""
    if as_alumni and not cohort.has_ended():
        raise ValidationError(
            {"as_alumni": f"{cohort.name} has not ended: load its people as fellows."}
        )
    RosterImport.objects.filter(
        cohort=cohort,
        applied_at__isnull=True,
        created_at__lt=timezone.now() - STALE_PREVIEW_AGE,
    ).delete()
    return RosterImport.objects.create(
        cohort=cohort, uploaded_by=by, filename=filename[:200], content=text, as_alumni=as_alumni
    )


@transaction.atomic
def roster_import_apply(*, roster_import: RosterImport, by: User, digest: str) -> ImportPlan:
    """Imports every valid row, or (on any error) none. `digest` is the dry run's: if the
    roster changed since, nothing is imported and ImportChanged is raised."""
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if roster_import.applied_at is not None:
        raise ImportChanged("This file was already imported.")
    cohort = roster_import.cohort
    plan = plan_import(cohort, roster_import.content)
    if plan.digest != digest:
        raise ImportChanged("The roster changed since the dry run.")
    for row in plan.rows:
        fields = {
            k: row.values[k]
            for k in ("state", "agency", "title", "sector", "partner")
            if k in row.values
        }
        if row.outcome == Outcome.CREATE:
            user = row.user or person_for_email(
                email=row.email,
                full_name=row.full_name,
                pronouns=row.values["pronouns"],
                state=row.values["state"],
            )
            enrollment_create(
                cohort=cohort, user=user, data=fields, by=by, as_alumni=roster_import.as_alumni
            )
        elif row.outcome == Outcome.UPDATE:
            # The plan sets the enrollment of every row it updates.
            assert row.enrollment is not None
            enrollment_update(enrollment=row.enrollment, data=fields)
            user = row.enrollment.user
            if not user.has_usable_password():
                user.full_name = row.full_name
                user.pronouns = row.values["pronouns"]
                user.time_zone = time_zone_for_state(row.values["state"])
                user.full_clean()
                user.save(update_fields=["full_name", "pronouns", "time_zone"])
    roster_import.applied_at = timezone.now()
    roster_import.created_count = len(plan.to_create)
    roster_import.updated_count = len(plan.to_update)
    roster_import.content = ""  # the roster now holds the data; the raw file is not kept
    roster_import.save()
    return plan
