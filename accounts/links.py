"""Links built without a `reverse()` per link.

`reverse()` walks the URL patterns on every call (~17 µs); a page listing a hundred fellows,
milestones or sessions, and the navigation of every page, reversed the same few patterns
over and over. `fast_reverse` reverses a pattern once with a stand-in UUID (or with no
argument) and puts each link's UUID in its place: the URL `reverse()` gives for the same
name and argument. It is kept per URL configuration, script prefix and current application,
so a site served under a sub-path or a test that swaps the URL configuration gets its own
(the site's URLs do not depend on the language: URL patterns translated per language would
need the language in that key).
Anything else (several arguments, an argument that is not a UUID, a pattern the stand-in
does not fit) goes to `reverse()` as before.

The site's `{% url %}` tag (accounts/templatetags/links.py) and the models'
`get_absolute_url` use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# No object has this code; it only marks where the code goes.
_STAND_IN = uuid.UUID(int=0)
_STAND_IN_TEXT = str(_STAND_IN)


@lru_cache(maxsize=4096)
def _halves(
    name: str, key: str | None, nargs: int, current_app: str | None, urlconf, prefix: str
) -> tuple[str, str] | None:
    """The URL of `name` around its one UUID argument (positional, or the keyword `key`),
    or the whole URL when it takes none; None when the stand-in does not fit."""
    args, kwargs = ([_STAND_IN] * nargs, None) if key is None else ((), {key: _STAND_IN})
    try:
        url = reverse(name, args=args, kwargs=kwargs, current_app=current_app, urlconf=urlconf)
    except NoReverseMatch:
        return None  # reverse() says why, each time
    if not nargs and key is None:
        return url, ""
    head, found, tail = url.partition(_STAND_IN_TEXT)
    if not found or _STAND_IN_TEXT in tail:
        return None
    return head, tail


def fast_reverse(
    name,
    args: Sequence = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse(name, args=args, kwargs=kwargs, current_app=current_app)`, without walking
    the patterns again for a name with no argument or one UUID."""
    if isinstance(name, str):
        halves = None
        if not args and not kwargs:
            halves = _halves(name, None, 0, current_app, get_urlconf(), get_script_prefix())
            if halves is not None:
                return halves[0]
        elif len(args) == 1 and not kwargs and isinstance(args[0], uuid.UUID):
            value = args[0]
            halves = _halves(name, None, 1, current_app, get_urlconf(), get_script_prefix())
        elif kwargs and len(kwargs) == 1 and not args:
            ((key, value),) = kwargs.items()
            if isinstance(value, uuid.UUID):
                halves = _halves(name, key, 0, current_app, get_urlconf(), get_script_prefix())
        if halves is not None:
            return f"{halves[0]}{value}{halves[1]}"
    return reverse(name, args=args, kwargs=kwargs, current_app=current_app)


def code_url(name: str, code: uuid.UUID | str) -> str:
    """The URL of `name` for the object whose UUID code is `code` (its only argument)."""
    if not isinstance(code, uuid.UUID):
        code = uuid.UUID(str(code))  # a malformed code fails here, as reverse() would
    return fast_reverse(name, [code])


def _forget(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _halves.cache_clear()


setting_changed.connect(_forget, dispatch_uid="accounts.links.forget")
