"""Accessibility checks in Chromium: axe-core (shipped by the axe-playwright-python package,
never copied into the repository) and a check that a page does not scroll sideways at 320 px.

`InProcessSite` shows the browser responses of Django's test client instead of a live
server's: each page is made in this thread, inside the test's transaction, and handed to a
loopback server that also serves the static files. A sweep of hundreds of pages then needs no
Django server thread, no flushed tables, and each page's set-up can be rolled back before the
next.
"""

from __future__ import annotations

import functools
import mimetypes
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_FILE_PATH
from django.contrib.staticfiles import finders

ORIGIN = "http://testserver"
BLOCKING = ("serious", "critical")
# What axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def install_axe(context) -> None:
    """axe-core in every document the context opens (once, not per page)."""
    context.add_init_script(path=str(AXE_FILE_PATH))


def axe_findings(page, *, include: str | None = None) -> list[str]:
    """One line per serious or critical axe-core violation: rule, impact, where."""
    context = f"{{include: [[{include!r}]]}}" if include else "document"
    # Only the violations come back: the rest of axe's results (every rule that passed or
    # did not apply) is most of what would otherwise be serialized for each page.
    violations = page.evaluate(
        f"axe.run({context}, {_js(_blocking_rules_only(page))}).then(results => results.violations)"
    )
    lines = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" (+{len(targets) - 3} more)" if len(targets) > 3 else ""
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            f"{', '.join(targets[:3])}{more}"
        )
    return lines


def _blocking_rules_only(page) -> dict:
    """AXE_OPTIONS without the rules that can only report a minor or moderate finding (a
    quarter of them, among them some of the slowest: region, landmarks, heading order):
    such a finding never fails a page, so running them is time spent for nothing. Asked of
    the axe-core the browser runs, so that a rule whose impact a new version raises is run."""
    global _axe_options
    if _axe_options is None:
        not_blocking = page.evaluate(RULES_BELOW_SERIOUS)
        assert not_blocking, "axe-core names no rule below serious: its internals changed"
        _axe_options = {
            **AXE_OPTIONS,
            "rules": {rule: {"enabled": False} for rule in not_blocking},
        }
    return _axe_options


_axe_options: dict | None = None

# The rules whose worst finding is minor or moderate: a rule's own impact when it sets one,
# else the worst impact of its checks (axe-core 4's metadata, as it computes a finding's).
RULES_BELOW_SERIOUS = """() => {
  const order = ["minor", "moderate", "serious", "critical"];
  const checks = axe._audit.data.checks;
  const impactOf = id => (checks[id] && checks[id].impact) || "critical";
  const worst = impacts => impacts.reduce(
    (a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), "minor");
  return axe._audit.rules
    .filter(rule => {
      const ids = [...rule.any, ...rule.all, ...rule.none].map(c => c.id || c);
      return order.indexOf(rule.impact || worst(ids.map(impactOf))) < 2;
    })
    .map(rule => rule.id);
}"""


def at_both_widths(page, *wide_checks) -> list[str]:
    """`wide_checks` (axe-core, ...) at 1280 px and the reflow check at 320 px, with one
    change of the window's width per page rather than two: each page is checked first at
    the width the page before it was left at. Every change of width lays the page out and
    paints it again, about a sixth of the browser's work for a page."""
    if page.viewport_size == NARROW:
        reflow = sideways_scroll(page)
        page.set_viewport_size(WIDE)
        return [problem for check in wide_checks for problem in check(page)] + reflow
    found = [problem for check in wide_checks for problem in check(page)]
    page.set_viewport_size(NARROW)
    return found + sideways_scroll(page)


def sideways_scroll(page) -> list[str]:
    """At 320 px wide (400% zoom of a 1280 px screen) nothing but a table's own scroll box
    may be wider than the window (WCAG 1.4.10, Reflow). The page is shown at that width."""
    assert page.viewport_size == NARROW, "the reflow check is made at 320 px"
    width, culprits = page.evaluate(WIDEST)
    if width <= NARROW["width"]:
        return []
    return [f"reflow: the page is {width} px wide at 320 px, past the edge: {culprits}"]


def error_links_without_a_target(page) -> list[str]:
    """Each link of the error summary leads to its field: its #anchor names an element of the
    page even without the script that falls back on the field's name."""
    missing = page.evaluate(LINKS_WITHOUT_TARGET)
    return [f"error summary: {href} names no element of the page" for href in missing]


def errors_announced_twice(page) -> list[str]:
    """The error summary, focused when the page loads, says what is wrong; a second alert on
    the page about the same form would make a screen reader say it all again."""
    alerts = page.evaluate(SECOND_ALERTS)
    return [f"errors announced twice: the summary and {alert}" for alert in alerts]


SECOND_ALERTS = """() => document.getElementById("error-summary") ?
  [...document.querySelectorAll("main [role='alert']:not(.alert-dismissible)")]
    .filter(e => e.offsetParent !== null)
    .map(e => e.outerHTML.slice(0, 120)) : []"""

LINKS_WITHOUT_TARGET = """() => [...document.querySelectorAll("#error-summary a[href^='#']")]
  .map(a => a.getAttribute("href"))
  .filter(href => !document.getElementById(decodeURIComponent(href.slice(1))))"""


# The page's width, and the first elements that reach past the window's right edge.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const names = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.getBoundingClientRect().right <= edge + 1) continue;
    if (e.closest(".table-responsive, pre")) continue;
    if ([...e.children].some(c => c.getBoundingClientRect().right > edge + 1)) continue;
    const classes = typeof e.className === "string" ? e.className.trim().split(/\\s+/) : [];
    names.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
      classes.filter(Boolean).map(c => "." + c).join(""));
    if (names.length === 3) break;
  }
  return [document.documentElement.scrollWidth, names.join(", ")];
}"""


@functools.cache
def _static_file(name: str) -> tuple[bytes, str] | None:
    """A static file's bytes and type, read once: every page asks for the same few."""
    found = finders.find(name)
    if not found:
        return None
    with open(found, "rb") as source:
        return source.read(), mimetypes.guess_type(found)[0] or "application/octet-stream"


def _js(value) -> str:
    import json

    return json.dumps(value)


@dataclass
class InProcessSite:
    """Shows responses prepared in this thread by Django's test client, inside the
    test's transaction: `show` hands the response to the loopback server below, which serves
    it to the next navigation to its path, with the page's static files from the finders.

    The pages are shown at that server's origin (a secure context, as the site is over HTTPS).
    Nothing is routed through Playwright: routing any request turns the browser's cache off,
    and each page then fetched, parsed and compiled every stylesheet and script again. Any
    other request to the site (a fetch, htmx, a form) cannot be answered from that thread in
    the test's transaction, so it is answered with an error and `unexpected` names it: the
    sweep reports it rather than checking a page that is not what people see."""

    origin: str = field(default_factory=lambda: _static_server_origin())
    _strays: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        # Absolute links the test client builds name http://testserver, which the browser
        # cannot reach; a request for one is reported as the server reports its own.
        page.on(
            "request",
            lambda request: (
                self._strays.append(f"{request.method} {request.url}")
                if request.url.startswith(f"{ORIGIN}/")
                else None
            ),
        )

    def show(self, page, path: str, response) -> None:
        # The body is read here: a streaming response may read the database as it goes.
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", "set-cookie", "cache-control")
        ]
        # Shown once: the same path shown again (a form, then its errors) is fetched again.
        headers.append(("Cache-Control", "no-store"))
        _PAGES.put(path, (response.status_code, headers, body))
        try:
            page.goto(self.origin + path)
        finally:
            left = _PAGES.take(path)
        assert left is None, f"{path}: the browser did not ask for the page it was to show"

    def unexpected(self) -> list[str]:
        """The requests to the site, other than the pages shown, since the last call."""
        strays = self._strays + _PAGES.strays()
        self._strays.clear()
        return [
            f"the page asked the site for {stray}, not answered by the sweep" for stray in strays
        ]


class _Pages:
    """Responses waiting for their navigation, by path, and the requests that found none:
    written in the test's thread, read in the server's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        self._strays: list[str] = []

    def put(self, path: str, page: tuple[int, list[tuple[str, str]], bytes]) -> None:
        with self._lock:
            self._waiting[path] = page

    def take(self, path: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        with self._lock:
            return self._waiting.pop(path, None)

    def stray(self, request: str) -> None:
        with self._lock:
            self._strays.append(request)

    def strays(self) -> list[str]:
        with self._lock:
            strays, self._strays = self._strays, []
        return strays


_PAGES = _Pages()
# Static files do not change while the tests run: kept by the browser for the whole sweep.
STATIC_CACHE = "public, max-age=31536000, immutable"


class _StaticFiles(BaseHTTPRequestHandler):
    """The static files, and each prepared page once, for the path it was prepared for."""

    protocol_version = "HTTP/1.1"  # keeps the connection open from one request to the next

    def do_GET(self) -> None:  # noqa: N802 -- the name http.server calls
        # The browser asks for /favicon.ico by itself (the site names no icon): not the page's.
        if not self.path.startswith("/static/") and self.path != "/favicon.ico":
            self._page()
            return
        found = (
            _static_file(urlsplit(self.path).path.removeprefix("/static/"))
            if self.path.startswith("/static/")
            else None  # the favicon: answered "not found", as the site has none
        )
        body, kind = found if found else (b"", "text/plain")
        self._send(
            200 if found else 404, [("Content-Type", kind), ("Cache-Control", STATIC_CACHE)], body
        )

    def _page(self) -> None:
        page = _PAGES.take(self.path) if self.command == "GET" else None
        if page is None:
            _PAGES.stray(f"{self.command} {self.path}")
            self._send(500, [("Content-Type", "text/plain")], b"Not answered in the test's thread")
            return
        self._send(*page)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # a request's body, not to be read as the next request
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _page  # noqa: N815 -- as http.server calls them

    def log_message(self, format, *args) -> None:  # noqa: A002 -- http.server's signature
        pass


@functools.cache
def _static_server_origin() -> str:
    """One server per test process, on a free port, for as long as the process lives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StaticFiles)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="static files", daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
