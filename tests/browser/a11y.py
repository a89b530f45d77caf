"""Accessibility checks in Chromium: axe-core (shipped by the axe-playwright-python package,
never copied into the repository) and a check that a page does not scroll sideways at 320 px.

`InProcessSite` lets the browser talk to Django's test client instead of a live server: every
request the page makes to the site (but for static files) is answered in this thread, inside
the test's transaction. A sweep of hundreds of pages then needs no server thread, no flushed
tables, and each page's set-up can be rolled back before the next.
"""

from __future__ import annotations

import contextvars
import functools
import mimetypes
import re
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
        f"axe.run({context}, {_js(AXE_OPTIONS)}).then(results => results.violations)"
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


def sideways_scroll(page) -> list[str]:
    """At 320 px wide (400% zoom of a 1280 px screen) nothing but a table's own scroll box
    may be wider than the window (WCAG 1.4.10, Reflow)."""
    page.set_viewport_size(NARROW)
    try:
        width, culprits = page.evaluate(WIDEST)
    finally:
        page.set_viewport_size(WIDE)
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
    """Answers the page's requests with `client` (a Django test client), and its static files
    from the finders. `show` serves a prepared response (a form posted with bad data) to the
    next navigation, so it is seen with its styles and scripts.

    The pages are shown at the origin of a static file server on the loopback (a secure
    context, as the site is over HTTPS): their stylesheets and scripts load from it without a
    round trip through this thread, which answers only what Django serves. Routing any request
    turns the browser's cache off, so each page fetches them again."""

    client: object
    prepared: dict = field(default_factory=dict)
    origin: str = field(default_factory=lambda: _static_server_origin())

    def attach(self, page) -> None:
        # Playwright calls back from a greenlet of its own, with a context of its own; Django
        # keeps its database connection in a context variable, so the answers run in this
        # test's context to see (and stay inside) the test's transaction.
        context = contextvars.copy_context()

        def answer(route):
            context.copy().run(self._answer, route)

        page.route(re.compile(f"^{re.escape(self.origin)}/(?!static/)"), answer)
        # Absolute links the test client builds name http://testserver.
        page.route(f"{ORIGIN}/**", answer)

    def show(self, page, path: str, response) -> None:
        self.prepared[path] = response
        page.goto(self.origin + path)

    def _answer(self, route) -> None:
        request = route.request
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith("/static/"):
            found = _static_file(parts.path.removeprefix("/static/"))
            if found is None:
                route.fulfill(status=404, body="")
                return
            body, kind = found
            route.fulfill(body=body, headers={"Content-Type": kind})
            return
        response = self.prepared.pop(path, None) if request.is_navigation_request() else None
        if response is None:
            response = self._forward(request, path)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in ("content-length", "set-cookie")
        }
        route.fulfill(status=response.status_code, headers=headers, body=body)

    def _forward(self, request, path):
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower().startswith("hx-") or name.lower() == "accept"
        }
        body = request.post_data_buffer or b""
        return self.client.generic(
            request.method,
            path,
            data=body,
            content_type=request.headers.get("content-type", "application/octet-stream"),
            headers=headers,
        )


class _StaticFiles(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 -- the name http.server calls
        found = _static_file(urlsplit(self.path).path.removeprefix("/static/"))
        body, kind = found if found else (b"", "text/plain")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 -- http.server's signature
        pass


@functools.cache
def _static_server_origin() -> str:
    """One server per test process, on a free port, for as long as the process lives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StaticFiles)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="static files", daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
