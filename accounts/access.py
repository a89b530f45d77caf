"""The one shape every access helper returns (`<app>/access.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from django.core.exceptions import PermissionDenied

T = TypeVar("T")
P = TypeVar("P")


class Access(NamedTuple, Generic[T, P]):
    """An object a viewer may read, and what they may do with it (`P`, a frozen dataclass
    of booleans named `<Object>Permissions`). Unpacks as `obj, permissions = ...`."""

    obj: T
    permissions: P


@dataclass(frozen=True)
class ManagePermissions:
    """What a viewer may do with an object whose only question is "may they change it?"."""

    can_manage: bool = False

    def require(self, right: str, message: str) -> None:
        if not getattr(self, right):
            raise PermissionDenied(message)
