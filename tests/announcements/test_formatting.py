"""The body's Markdown, shown as sanitised HTML: what a writer needs works, nothing that runs
or loads something reaches the page."""

from html.parser import HTMLParser

import pytest

from announcements.formatting import plain_text, render


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.attributes.extend(attrs)


def test_markdown_gives_paragraphs_emphasis_lists_and_links():
    html = render(
        "Room **4B**, *east wing*.\n\n- badges\n- lunch\n\n1. one\n2. two\n\n"
        "[agenda](https://example.org/agenda) or [mail us](mailto:team@example.org)"
    )
    assert "<strong>4B</strong>" in html and "<em>east wing</em>" in html
    assert "<ul>\n<li>badges</li>" in html and "<ol>\n<li>one</li>" in html
    assert (
        '<a href="https://example.org/agenda" rel="noopener noreferrer nofollow">agenda</a>' in html
    )
    assert 'href="mailto:team@example.org"' in html


def test_headings_start_below_the_pages_own():
    html = render("# Big\n\n## Smaller\n\n#### Tiny")
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html and "<h4>Tiny</h4>" in html
    assert "<h1>" not in html and "<h2>" not in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src='https://evil.example'></iframe>",
        "<a href='javascript:alert(1)'>x</a>",
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "![pic](https://evil.example/track.png)",
        "<div onclick='alert(1)'>click</div>",
        "<style>body{display:none}</style>",
        '[x](https://example.org "a" onmouseover="alert(1)")',
    ],
)
def test_html_that_runs_or_loads_anything_never_gets_through(body):
    tags = _Tags()
    tags.feed(render(f"Hello {body} there"))
    assert tags.names <= {"p", "a"}, tags.names
    for name, value in tags.attributes:
        assert name in {"href", "title", "rel"}, name
        if name == "href":
            assert value.startswith(("https:", "http:", "mailto:")), value


def test_typed_html_shows_as_the_text_it_is():
    assert "&lt;b&gt;bold?&lt;/b&gt;" in render("<b>bold?</b>")


def test_the_plain_text_for_emails_keeps_the_words_and_cuts_long_bodies():
    assert plain_text("Room **4B** & <b>lunch</b>") == "Room 4B & <b>lunch</b>"
    long = plain_text("word " * 1000, limit=50)
    assert len(long) == 50 and long.endswith("…")
