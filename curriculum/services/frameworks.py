"""Writes of the framework library: frameworks, domains, competencies, the scale, import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from ..models import (
    EXPORT_FORMAT,
    BehaviouralIndicator,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    ProficiencyLevel,
)

DEFAULT_SCALE = [
    (1, "Emerging", "Aware of the competency; beginning to practise it."),
    (2, "Developing", "Practises it with support, in familiar situations."),
    (3, "Proficient", "Practises it reliably on one's own."),
    (4, "Advanced", "Practises it in complex situations and helps others grow in it."),
    (5, "Leading", "Shapes how the organization and its partners practise it."),
]

# --- Frameworks ----------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *,
    name: str,
    slug: str,
    description: str = "",
    levels: Iterable[tuple[int, str, str]] = DEFAULT_SCALE,
) -> CompetencyFramework:
    framework = CompetencyFramework(name=name, slug=slug, description=description)
    framework.full_clean()
    framework.save()
    for value, label, level_description in levels:
        level = ProficiencyLevel(
            framework=framework, value=value, label=label, description=level_description
        )
        level.full_clean()
        level.save()
    return framework


@transaction.atomic
def framework_update(
    *, framework: CompetencyFramework, name: str, slug: str, description: str
) -> CompetencyFramework:
    framework.name, framework.slug, framework.description = name, slug, description
    framework.full_clean()
    framework.save()
    return framework


@transaction.atomic
def domain_save(
    *,
    framework: CompetencyFramework,
    name: str,
    description: str = "",
    order: int = 0,
    domain: CompetencyDomain | None = None,
) -> CompetencyDomain:
    domain = domain or CompetencyDomain(framework=framework)
    domain.name, domain.description, domain.order = name, description, order
    domain.full_clean()
    domain.save()
    return domain


@transaction.atomic
def competency_save(
    *,
    domain: CompetencyDomain,
    name: str,
    description: str = "",
    order: int = 0,
    indicators: Iterable[str] = (),
    competency: Competency | None = None,
) -> Competency:
    competency = competency or Competency(domain=domain)
    competency.domain = domain
    competency.name, competency.description, competency.order = name, description, order
    competency.full_clean()
    competency.save()
    competency.indicators.all().delete()
    texts = [text.strip() for text in indicators if text.strip()]
    for position, text in enumerate(texts, start=1):
        indicator = BehaviouralIndicator(competency=competency, text=text, order=position)
        indicator.full_clean(exclude=["competency"])
        indicator.save()
    return competency


@transaction.atomic
def scale_save(*, framework: CompetencyFramework, levels: list[tuple[int, str, str]]) -> None:
    """Replaces the framework's scale. Levels fellows have already used cannot be removed."""
    values = [value for value, _, _ in levels]
    if len(levels) < 2:
        raise ValidationError("A scale needs at least two levels.")
    if len(set(values)) != len(values):
        raise ValidationError("Each level needs its own value.")
    if sorted(values) != list(range(1, len(values) + 1)):
        raise ValidationError("Level values must run 1, 2, 3, … without gaps.")
    existing = {level.value: level for level in framework.levels.all()}
    for value, label, description in levels:
        level = existing.pop(value, None) or ProficiencyLevel(framework=framework, value=value)
        level.label, level.description = label, description
        level.full_clean()
        level.save()
    for level in existing.values():
        try:
            level.delete()
        except ProtectedError as exc:
            raise ValidationError(
                f"Level {level.value} ({level.label}) has been used in self-assessments "
                "and cannot be removed."
            ) from exc


@transaction.atomic
def framework_import(*, data: Any, name: str = "", slug: str = "") -> CompetencyFramework:
    """Builds a new framework from exported JSON: everything or nothing. Raises a
    ValidationError listing every problem found, each with where it is."""
    errors: list[str] = []

    def need(obj: Any, key: str, where: str, kind: type[Any] = str, required: bool = True) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None or (kind is str and isinstance(value, str) and not value.strip()):
            if required:
                errors.append(f"{where}: “{key}” is required.")
            return kind() if kind in (str, list) else None
        if not isinstance(value, kind):
            errors.append(f"{where}: “{key}” must be a {kind.__name__}.")
            return kind() if kind in (str, list) else None
        return value

    if not isinstance(data, dict):
        raise ValidationError("The file must hold one JSON object (a framework).")
    if data.get("format") not in (None, EXPORT_FORMAT):
        raise ValidationError(f"This is not a competency framework export ({EXPORT_FORMAT}).")
    name = name or need(data, "name", "framework")
    slug = slug or need(data, "slug", "framework")
    description = need(data, "description", "framework", required=False)
    raw_levels = need(data, "scale", "framework", kind=list)
    levels = []
    for i, raw in enumerate(raw_levels):
        where = f"scale level {i + 1}"
        value = need(raw, "value", where, kind=int)
        label = need(raw, "label", where)
        levels.append((value, label, need(raw, "description", where, required=False)))
    raw_domains = need(data, "domains", "framework", kind=list)
    if not raw_domains and "domains" in data:
        errors.append("framework: a framework needs at least one domain.")
    if errors:
        raise ValidationError(errors)
    if CompetencyFramework.objects.filter(slug=slug).exists():
        raise ValidationError(
            f"A framework with the short name “{slug}” already exists: choose another."
        )
    try:
        framework = framework_create(name=name, slug=slug, description=description, levels=[])
        scale_save(framework=framework, levels=levels)
    except ValidationError as exc:
        raise ValidationError([f"framework: {m}" for m in exc.messages]) from exc
    for d, raw_domain in enumerate(raw_domains):
        where = f"domain {d + 1}"
        domain_name = need(raw_domain, "name", where)
        competencies = need(raw_domain, "competencies", where, kind=list)
        if errors:
            continue
        try:
            domain = domain_save(
                framework=framework,
                name=domain_name,
                description=need(raw_domain, "description", where, required=False),
                order=d + 1,
            )
        except ValidationError as exc:
            errors.extend(f"{where}: {m}" for m in exc.messages)
            continue
        for c, raw_comp in enumerate(competencies):
            cwhere = f"{where}, competency {c + 1}"
            comp_name = need(raw_comp, "name", cwhere)
            indicators = need(raw_comp, "indicators", cwhere, kind=list, required=False)
            if not all(isinstance(text, str) for text in indicators):
                errors.append(f"{cwhere}: indicators must be text.")
            if errors:
                continue
            try:
                competency_save(
                    domain=domain,
                    name=comp_name,
                    description=need(raw_comp, "description", cwhere, required=False),
                    order=c + 1,
                    indicators=indicators,
                )
            except ValidationError as exc:
                errors.extend(f"{cwhere}: {m}" for m in exc.messages)
    if errors:
        # Raising inside the atomic block rolls back everything created above.
        raise ValidationError(errors)
    return framework
