"""How an app low in the layering asks a question or announces an event that apps above it
answer, without importing them (docs/ARCHITECTURE.md, "Layers").

The lower app owns a `Hook` and calls it; each higher app registers its function in its
`AppConfig.ready()`. With nothing registered a question's answer is no and an event has no
listener, so a lower app works (and is tested) on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, purpose: str):
        self.purpose = purpose
        self._functions: list[Callable[..., Any]] = []

    def __repr__(self) -> str:
        return f"<Hook: {self.purpose}>"

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Adds a function (once, however often an app's ready() runs); usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    @property
    def functions(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._functions)

    def any(self, *args: Any, **kwargs: Any) -> bool:
        """A question: true when one registered answer says so (the rest are not asked)."""
        return any(function(*args, **kwargs) for function in self._functions)

    def call(self, *args: Any, **kwargs: Any) -> None:
        """An event: every registered function is called, in registration order."""
        for function in self._functions:
            function(*args, **kwargs)
