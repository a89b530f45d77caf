"""The layout's own tags (accounts/templatetags/layout.py): a partial parsed into the layout
renders as `{% include %}` would, and static URLs follow the static settings."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings

ENGINE = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "partial.html": "{% if show %}<li>{{ name }}</li>{% endif %}",
                "sets.html": "{% firstof 'set' as inner %}[{{ inner }}]",
                "inline.html": "{% load layout %}<ul>{% inline_include 'partial.html' %}</ul>",
                "include.html": "<ul>{% include 'partial.html' %}</ul>",
                "scoped.html": "{% load layout %}{% inline_include 'sets.html' %}({{ inner }})",
                "base.html": (
                    "{% load layout %}{% inline_include 'partial.html' %}"
                    "{% block body %}b{% endblock %}"
                ),
                "child.html": "{% extends 'base.html' %}{% block body %}c{% endblock %}",
                "static.html": "{% load static layout %}{% static 'css/site.css' %}",
            },
        )
    ],
    libraries={
        "layout": "accounts.templatetags.layout",
        "static": "django.templatetags.static",
    },
)


@pytest.mark.parametrize("show", [True, False])
def test_an_inlined_partial_renders_as_its_include_would(show):
    context = {"show": show, "name": "Tom & Jerry"}
    inlined = ENGINE.get_template("inline.html").render(Context(context))
    assert inlined == ENGINE.get_template("include.html").render(Context(context))
    assert ("<li>Tom &amp; Jerry</li>" in inlined) is show


def test_what_an_inlined_partial_sets_stays_inside_it():
    assert ENGINE.get_template("scoped.html").render(Context()) == "[set]()"


def test_a_page_extending_the_layout_still_fills_its_blocks():
    rendered = ENGINE.get_template("child.html").render(Context({"show": True, "name": "n"}))
    assert rendered == "<li>n</li>c"


def test_an_inlined_partial_is_named_by_a_constant():
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string("{% load layout %}{% inline_include name %}")


def test_static_urls_follow_the_static_settings():
    template = ENGINE.get_template("static.html")
    assert template.render(Context()) == "/static/css/site.css"
    with override_settings(STATIC_URL="/assets/"):
        assert template.render(Context()) == "/assets/css/site.css"
    assert template.render(Context()) == "/static/css/site.css"
