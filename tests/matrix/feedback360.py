"""Permission matrix of the 360° feedback app (PRODUCT.md, "360° answers": staff see cohort
aggregates only; the coach reads the report if the fellow shares it; the fellow reads their
own report; raters only their own answers, through their link). Windows are managed by the
program's staff; the cohort's active fellows nominate; people who may read the cohort but
not do the thing get 403, everyone else 404."""

from ..factories.feedback360 import build_feedback
from . import LOGIN, Case, all_roles

READERS = ["admin", "staff", "coach", "other_coach", "fellow", "peer", "classmate"]
COHORT_STAFF = ["admin", "staff"]
FELLOWS = ["fellow", "peer", "classmate"]


def manage(status=200):
    table = dict.fromkeys(READERS, 403)
    table.update(dict.fromkeys(COHORT_STAFF, status))
    return table


def nominators(status=200):
    table = dict.fromkeys(READERS, 403)
    table.update(dict.fromkeys(FELLOWS, status))
    return table


def f360(attr):
    def kwargs(cast):
        return {"code": build_feedback(cast).__dict__[attr].code}

    return kwargs


def cohort_code(cast):
    build_feedback(cast)
    return {"code": cast.cohort.code}


def token(cast):
    return {"token": build_feedback(cast).token}


def _share(cast):
    from django.utils import timezone

    report = build_feedback(cast).report
    report.shared_with_coach_at = timezone.now()
    report.save()


# The report of the fellow: only they (and their coach once shared) read it; staff, the
# site admin included, and the unshared coach know the fellow, so they get 403.
REPORT = {"fellow": 200, "staff": 403, "admin": 403, "coach": 403}

CASES = [
    # Staff.
    Case("feedback360:cohort_windows", manage(), kwargs=cohort_code),
    # The CSV of cohort figures: the program's staff only, like the windows page.
    Case("feedback360:cohort_export", manage(), kwargs=cohort_code),
    Case(
        "feedback360:cohort_windows",
        manage(200),
        kwargs=cohort_code,
        method="post",
        data=lambda cast: {"phase": "baseline", "opens_on": "", "closes_on": ""},
        label="invalid",
    ),
    Case(
        "feedback360:policy_edit",
        {"admin": 200, "staff": 200},
        kwargs=lambda cast: {"slug": cast.program.slug},
    ),
    Case(
        "feedback360:policy_edit",
        {"admin": 200, "staff": 200},
        kwargs=lambda cast: {"slug": cast.program.slug},
        method="post",
        data=lambda cast: {"min_supervisor": 1, "min_peer": 99},
        label="invalid",
    ),
    Case("feedback360:window_detail", manage(), kwargs=f360("window")),
    Case("feedback360:window_detail", manage(), kwargs=f360("closed"), label="closed"),
    Case(
        "feedback360:window_detail",
        manage(200),
        kwargs=f360("window"),
        method="post",
        data=lambda cast: {"action": "approve"},
        label="nothing chosen",
    ),
    Case("feedback360:window_edit", manage(), kwargs=f360("window")),
    Case(
        "feedback360:window_edit",
        manage(200),
        kwargs=f360("window"),
        method="post",
        data=lambda cast: {"opens_on": "2026-12-01", "closes_on": "2026-11-01"},
        label="invalid",
    ),
    Case("feedback360:window_close", manage(), kwargs=f360("window")),
    Case(
        "feedback360:window_close",
        manage(200),
        kwargs=f360("window"),
        method="post",
        data=lambda cast: {},
        label="too few raters, not confirmed",
    ),
    # The fellow.
    Case("feedback360:nominate", nominators(), kwargs=f360("window")),
    Case(
        "feedback360:nominate",
        nominators(200),
        kwargs=f360("window"),
        method="post",
        data=lambda cast: {"name": "", "email": "not an email", "relationship": "peer"},
        label="invalid",
    ),
    Case("feedback360:nominations_send", nominators(302), kwargs=f360("window"), method="post"),
    Case("feedback360:nomination_remove", {"fellow": 302}, kwargs=f360("draft"), method="post"),
    Case("feedback360:report", REPORT, kwargs=f360("report")),
    Case(
        "feedback360:report",
        {**REPORT, "coach": 200},
        kwargs=f360("report"),
        setup=_share,
        label="shared with the coach",
    ),
    Case(
        "feedback360:report_share",
        {"fellow": 302, "staff": 403, "admin": 403, "coach": 403},
        kwargs=f360("report"),
        method="post",
        data=lambda cast: {"share": "yes"},
    ),
    # The rater: the link is the key, whoever holds it (no login).
    Case("feedback360:rate", all_roles(200), kwargs=token),
    Case(
        "feedback360:rate",
        all_roles(200),
        kwargs=token,
        method="post",
        data=lambda cast: {"strengths": "Listens well."},
        label="incomplete",
    ),
    Case(
        "feedback360:rate",
        all_roles(404),
        kwargs=lambda cast: {"token": _tampered(build_feedback(cast).token)},
        label="tampered",
    ),
]

__all__ = ["CASES", "LOGIN"]


def _tampered(token: str) -> str:
    """The token with its last two characters changed (whatever they were)."""
    return token[:-2] + ("yy" if token.endswith("xx") else "xx")
