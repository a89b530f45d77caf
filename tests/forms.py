"""What a browser would send back for a form on a page, untouched: `submitted(html, "field")`
reads the form holding that field, so a test can press Save without changing anything."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._option_selected = False
        self._select_values: list[str] = []
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.append((a["name"], a.get("value", default) or default))
        elif tag == "select" and a.get("name"):
            self._select, self._select_values, self._select_first = a["name"], [], None
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            self._text = ""
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None or self._select:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else self._text.strip()
            if self._select_first is None:
                self._select_first = value
            if self._option_selected:
                self._select_values.append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple:
                values = [self._select_first or ""]
            self._form.extend((self._select, v) for v in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def submitted(html: str | bytes, field: str) -> dict[str, list[str] | str]:
    """The data of the form holding `field`, as a browser would post it unchanged."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _ in form):
            data: dict[str, list[str]] = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
    raise AssertionError(f"No form on the page has a field named {field!r}.")
