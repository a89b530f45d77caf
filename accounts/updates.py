"""The one way a service changes an existing row's fields (CONTRIBUTING.md, "Services")."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(
    instance: M,
    *,
    data: Mapping[str, Any],
    fields: Iterable[str] | None = None,
    also: Iterable[str] = (),
) -> bool:
    """Sets each of `fields` that `data` holds (every key of `data` when `fields` is None),
    runs `full_clean()` and saves those fields, the ones named in `also` (set by the caller
    itself) and the model's `auto_now` timestamps. Returns whether any value set differed from
    the instance's. The row is saved even when nothing differed: a ModelForm may already have
    changed the instance in memory, so the comparison cannot prove the database is current."""
    names = [name for name in (data if fields is None else fields) if name in data]
    changed = False
    for name in names:
        value = data[name]
        if getattr(instance, name) != value:
            changed = True
        setattr(instance, name, value)
    instance.full_clean()
    if instance._state.adding:
        instance.save()
        return True
    stamps = [
        field.name for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)
    ]
    update_fields = list(dict.fromkeys([*names, *also, *stamps]))
    instance.save(update_fields=update_fields)
    return changed
