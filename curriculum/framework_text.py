"""Competency frameworks as text people already have: an indented outline (domains,
competencies under them, indicators under those) or a CSV with the columns domain,
competency, indicator (one row per indicator). Both read into the structure of the JSON
export (`selectors.framework_export`), so `services.framework_import` creates the whole
framework at once, everything or nothing, and both are written back from it.

Outline: one item per line; what is indented further belongs to the line above it. A
leading "-", "*" or "•" is ignored. Blank lines are ignored.

    Leading self
      Self-awareness
        Names their own biases
      Resilience
    Leading change
      Building coalitions
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError

CSV_COLUMNS = ["domain", "competency", "indicator"]
BULLETS = "-*•"


def _tree_to_data(domains: list[tuple[str, list[tuple[str, list[str]]]]]) -> dict:
    return {
        "domains": [
            {
                "name": name,
                "competencies": [
                    {"name": comp, "indicators": indicators} for comp, indicators in comps
                ],
            }
            for name, comps in domains
        ],
        "scale": [],
    }


def _refuse_duplicates(domains, where) -> list[str]:
    errors: list[str] = []
    seen: dict[str, str] = {}
    for name, comps in domains:
        for comp, _ in comps:
            key = " ".join(comp.split()).casefold()
            if key in seen:
                errors.append(
                    f"{where(comp)}: the competency “{comp}” is already in {seen[key]}; "
                    "each competency appears once."
                )
            else:
                seen[key] = f"“{name}”"
    return errors


def parse_outline(text: str) -> dict:
    """The outline as framework data; a ValidationError names each line that cannot be read."""
    domains: list = []
    errors: list[str] = []
    levels: list[int] = []  # the indentation of each depth seen so far
    lines_of: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        item = raw.strip().lstrip(BULLETS).strip()
        while levels and indent < levels[-1]:
            levels.pop()
        if not levels or indent > levels[-1]:
            levels.append(indent)
        depth = len(levels) - 1
        if depth == 0:
            domains.append((item, []))
        elif depth == 1 and domains:
            domains[-1][1].append((item, []))
            lines_of.setdefault(item, number)
        elif depth == 2 and domains and domains[-1][1]:
            domains[-1][1][-1][1].append(item)
        else:
            errors.append(
                f"Line {number}: “{item}” is indented deeper than a domain, a competency "
                "and an indicator."
            )
    if not domains and not errors:
        errors.append("The outline is empty: write at least one domain and its competencies.")
    errors += _refuse_duplicates(domains, lambda comp: f"Line {lines_of.get(comp, '?')}")
    if errors:
        raise ValidationError(errors)
    return _tree_to_data(domains)


def parse_csv(text: str) -> dict:
    """The CSV as framework data: columns domain, competency, indicator (any order, any
    letter case); the indicator may be empty for a competency without indicators."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError("The file is empty.")
    header = [cell.strip().casefold() for cell in rows[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            f"The file has no {', '.join('“' + c + '”' for c in missing)} column: its first "
            f"row must name the columns {', '.join(CSV_COLUMNS)}."
        )
    at = {c: header.index(c) for c in CSV_COLUMNS}
    domains: dict[str, dict[str, list[str]]] = {}
    domain_of: dict[str, tuple[str, int]] = {}
    errors: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in at.items()}
        if not cells["domain"] or not cells["competency"]:
            errors.append(f"Line {number}: give both a domain and a competency.")
            continue
        key = " ".join(cells["competency"].split()).casefold()
        if key in domain_of and domain_of[key][0] != cells["domain"]:
            errors.append(
                f"Line {number}: the competency “{cells['competency']}” is already in "
                f"“{domain_of[key][0]}” (line {domain_of[key][1]}); each competency appears once."
            )
            continue
        domain_of.setdefault(key, (cells["domain"], number))
        comps = domains.setdefault(cells["domain"], {})
        indicators = comps.setdefault(cells["competency"], [])
        if cells["indicator"]:
            indicators.append(cells["indicator"])
    if errors:
        raise ValidationError(errors)
    return _tree_to_data([(name, list(comps.items())) for name, comps in domains.items()])


def to_outline(data: dict) -> str:
    lines = []
    for domain in data["domains"]:
        lines.append(domain["name"])
        for comp in domain["competencies"]:
            lines.append(f"  {comp['name']}")
            lines.extend(f"    {text}" for text in comp["indicators"])
    return "\n".join(lines) + "\n"


def to_csv_rows(data: dict):
    for domain in data["domains"]:
        for comp in domain["competencies"]:
            for text in comp["indicators"] or [""]:
                yield [domain["name"], comp["name"], text]
