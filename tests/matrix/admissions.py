"""Permission matrix of admissions (PRODUCT.md, "an application": program staff read, score
if reviewers, decide; the applicant edits until submitted and sees the status; reviewers
read their assigned applications only; referees write their own letter only, through their
link). None of the cast's personas is an applicant, referee or reviewer of the round: those
roles are walked in tests/admissions/test_permissions.py; here the withdrawn fellow applies
again and the coach reviews. Anyone signed in may apply."""

from ..factories.admissions import build_admissions
from . import LOGIN, Case, all_roles

STAFF = {"admin": 200, "staff": 200}
STAFF_INVALID = {"admin": 400, "staff": 400}
# A reviewer of the round (here the coach) knows it exists, so a staff page of it says 403.
ROUND_STAFF = {**STAFF, "coach": 403}
ROUND_STAFF_INVALID = {**STAFF_INVALID, "coach": 403}


def adm(attr):
    def kwargs(cast):
        return {"code": getattr(build_admissions(cast), attr).code}

    return kwargs


def round_code(cast):
    return {"code": build_admissions(cast).round.code}


def slug(cast):
    build_admissions(cast)
    return {"slug": cast.program.slug}


CASES = [
    # Staff.
    Case("admissions:program_rounds", STAFF, kwargs=slug),
    Case(
        "admissions:program_rounds",
        STAFF_INVALID,
        kwargs=slug,
        method="post",
        data=lambda cast: {
            "title": "",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-01T09:00",
        },
        label="invalid",
    ),
    Case("admissions:round_detail", ROUND_STAFF, kwargs=round_code),
    Case(
        "admissions:round_detail",
        ROUND_STAFF_INVALID,
        kwargs=round_code,
        method="post",
        data=lambda cast: {"action": "add_reviewer", "full_name": "", "email": "nope"},
        label="invalid reviewer",
    ),
    Case("admissions:round_edit", ROUND_STAFF, kwargs=round_code),
    Case(
        "admissions:round_edit",
        ROUND_STAFF_INVALID,
        kwargs=round_code,
        method="post",
        data=lambda cast: {"title": ""},
        label="invalid",
    ),
    Case("admissions:ranking", ROUND_STAFF, kwargs=round_code),
    Case("admissions:decide", STAFF, kwargs=adm("application")),
    Case(
        "admissions:decide",
        STAFF_INVALID,
        kwargs=adm("application"),
        method="post",
        data=lambda cast: {"outcome": "accept", "reason": ""},
        label="no reason",
    ),
    # Applicants: the public page is for everyone; applying takes an account.
    Case("admissions:round_public", all_roles(200), kwargs=round_code),
    Case("admissions:apply", all_roles(200, anonymous=LOGIN), kwargs=round_code),
    Case(
        "admissions:apply",
        all_roles(400, anonymous=LOGIN),
        kwargs=round_code,
        method="post",
        data=lambda cast: {"action": "save", "state": "ZZ", "agency": ""},
        label="invalid",
    ),
    # The applicant's own: the withdrawn fellow's new application, nobody else's.
    Case("admissions:application_status", {"withdrawn": 200}, kwargs=adm("returning")),
    Case(
        "admissions:application_status",
        {"withdrawn": 400},
        kwargs=adm("returning"),
        method="post",
        data=lambda cast: {"name": "", "email": "x"},
        label="invalid",
    ),
    # Documents: program staff and the assigned reviewers (and the applicant).
    Case(
        "admissions:document",
        {**STAFF, "coach": 200},
        kwargs=lambda cast: {**adm("application")(cast), "kind": "cv"},
    ),
    # Referees: the link is the key, whoever holds it.
    Case(
        "admissions:letter",
        all_roles(200),
        kwargs=lambda cast: {"token": build_admissions(cast).token},
    ),
    Case(
        "admissions:letter",
        all_roles(400),
        kwargs=lambda cast: {"token": build_admissions(cast).token},
        method="post",
        data=lambda cast: {"letter_text": ""},
        label="empty",
    ),
    Case(
        "admissions:letter",
        all_roles(404),
        kwargs=lambda cast: {"token": build_admissions(cast).token[:-2] + "xx"},
        label="tampered",
    ),
    # Reviewers: their seat and own assignments only (staff use the committee pages).
    Case("admissions:my_reviews", {"coach": 200}, kwargs=round_code),
    Case("admissions:review", {"coach": 200}, kwargs=adm("coach_assignment")),
    Case("admissions:review", {}, kwargs=adm("assignment"), label="someone else's"),
    Case(
        "admissions:review",
        {"coach": 400},
        kwargs=adm("coach_assignment"),
        method="post",
        data=lambda cast: {"action": "score"},
        label="empty",
    ),
]

__all__ = ["CASES", "LOGIN"]
