"""The accessibility sweep's own checks find what they are for, whichever width the browser
was left at by the page before (tests/browser/a11y.py checks each page at both widths with
one change of width)."""

import pytest
from django.http import HttpResponse

from .a11y import NARROW, WIDE, InProcessSite, at_both_widths, axe_findings, install_axe

PAGE = """<!doctype html><html lang="en"><head><title>A page</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>A page</h1>{}</main></body></html>"""
TOO_WIDE_AND_UNLABELLED = PAGE.format('<div style="width: 900px">Wide</div><input type="text">')
FINE = PAGE.format('<p>Fits.</p><label for="name">Name</label><input id="name" type="text">')


@pytest.mark.parametrize("left_at", [NARROW, WIDE], ids=["left narrow", "left wide"])
def test_a_page_too_wide_with_an_unlabelled_field_fails_and_a_fine_one_passes(browser, left_at):
    context = browser.new_context(viewport=left_at)
    try:
        install_axe(context)
        page = context.new_page()
        site = InProcessSite()
        site.attach(page)
        site.show(page, "/too-wide/", HttpResponse(TOO_WIDE_AND_UNLABELLED))
        problems = at_both_widths(page, axe_findings)
        assert [p for p in problems if p.startswith("reflow: the page is 9")], problems
        assert [p for p in problems if p.startswith("label (critical)")], problems
        site.show(page, "/fine/", HttpResponse(FINE))
        assert at_both_widths(page, axe_findings) == []
        assert site.unexpected() == []
    finally:
        context.close()
