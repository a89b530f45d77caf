"""Tags for the layout every page renders (templates/base.html), where per-request work is
paid on every page of the site.

`{% inline_include "app/partials/nav.html" %}` is `{% include %}` of a template named by a
constant, with that template parsed into the including one when it is parsed: rendering
it then costs its own tags only, not a template lookup and a nested render each time (the
eleven navigation partials cost a third of the layout's rendering as includes). Like
`{% include %}` without `with`, the partial sees the page's context and what it sets stays
inside it. The cached template loader keeps the result; when templates are reloaded
(DEBUG), the including template is parsed again and takes the partial's new text.

`{% static %}` here is Django's tag with each path's URL kept: the URL of a constant path
does not change while the process runs (a manifest is read once), and asking the storage
costs more than the rest of the tag. Changing the static settings (tests) forgets them.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static
from django.templatetags.static import StaticNode

register = template.Library()


class InlineIncludeNode(template.Node):
    # Not searched for `{% block %}`s, as an included template's are not: the layout's
    # children override its blocks only, and each render of a page walks the layout's nodes
    # to find them.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context):
        with context.push():
            return self.nodelist.render(context)


@register.tag
def inline_include(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one template name in quotes (a constant, unlike include)."
        )
    loader = parser.origin.loader if parser.origin else None
    engine = loader.engine if loader is not None else template.Engine.get_default()
    included = engine.get_template(bits[1][1:-1])
    return InlineIncludeNode(included.nodelist)


@lru_cache(maxsize=256)
def _static_url(path: str) -> str:
    return django_static.static(path)


class CachedStaticNode(StaticNode):
    def url(self, context):
        path = self.path.resolve(context)
        return _static_url(path) if isinstance(path, str) else self.handle_simple(path)


@register.tag
def static(parser, token):
    return CachedStaticNode.handle_token(parser, token)


def _forget(*, setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT", "STATICFILES_DIRS", "DEBUG"):
        _static_url.cache_clear()


setting_changed.connect(_forget, dispatch_uid="accounts.layout.forget_static")
