"""A program in its own words: every page of the permission matrix that a member of the
program opens, rendered with the scholars' words, says none of the default ones."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ..test_permission_matrix import CASES

SCHOLARS_WORDS = {
    "participant_singular": "scholar",
    "participant_plural": "scholars",
    "plan_name": "Advocacy Action Project",
    "plan_short_name": "project",
    "plan_intro": "Your project advances change at your home institution.",
    "group_singular": "peer-coaching pair",
    "group_plural": "peer-coaching pairs",
    "plan_sections": {
        "initiative": {"label": "Project at your institution", "help": "What you bring."},
        "equity_aim": {"label": "Who benefits", "help": ""},
    },
}

# The default words, which a page of the scholars program must not say.
DEFAULT_WORDS = re.compile(
    r"\bfellows?\b|leadership action plan|\bpeer groups?\b|strategic initiative", re.IGNORECASE
)

ROLES_OF_THE_PROGRAM = ("staff", "coach", "fellow")
# The page where staff choose the words names the default ones it replaces.
NAMES_THE_DEFAULTS = {"cohorts:program_terms"}
# Pages that still use the default words: none. A page that says "fellow" or "peer group"
# in a program with other words fails.
NOT_YET_IN_THE_PROGRAMS_WORDS: set[str] = set()


def use_scholars_words(program) -> None:
    for name, value in SCHOLARS_WORDS.items():
        setattr(program, name, value)
    program.save()


class _TextOfMain(HTMLParser):
    """The words a person reads in <main>: text, and the labels of controls and images."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if self.depth:
            for name, value in attrs:
                if name in ("aria-label", "title", "alt", "placeholder") and value:
                    self.words.append(value)
                if tag == "input" and name == "value" and dict(attrs).get("type") == "submit":
                    self.words.append(value or "")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.words.append(data)


def words_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        parser = _TextOfMain()
        parser.feed(text)
        return " ".join(parser.words)
    return text


def without_names(text: str, cast) -> str:
    """People's names and addresses are theirs, not the program's words (Fiona Fellow)."""
    for user in cast.users.values():
        text = text.replace(user.full_name, " ").replace(user.email, " ")
    return text


PAGES = [
    pytest.param(case, role, id=f"{case.id} as {role}")
    for case in CASES
    if case.method == "get" and case.name not in NAMES_THE_DEFAULTS | NOT_YET_IN_THE_PROGRAMS_WORDS
    for role in ROLES_OF_THE_PROGRAM
    if case.status_for(role) == 200
]


@pytest.mark.parametrize(("case", "role"), PAGES)
def test_a_page_speaks_in_the_programs_words(case, role, cast, client_for):
    use_scholars_words(cast.program)
    if case.setup:
        case.setup(cast)
    response = client_for(role).get(case.url(cast))
    assert response.status_code == 200
    if not response.get("Content-Type", "").startswith(("text/html", "text/csv", "text/plain")):
        return
    text = without_names(words_of(response), cast)
    found = [
        " ".join(text[max(0, m.start() - 50) : m.end() + 30].split())
        for m in DEFAULT_WORDS.finditer(text)
    ]
    assert not found, f"{case.id} as {role} says: " + " | ".join(found)
