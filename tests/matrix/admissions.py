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


def question(cast):
    round_ = build_admissions(cast).round
    return {"code": round_.code, "pk": round_.questions.order_by("position").last().pk}


def criterion(cast):
    round_ = build_admissions(cast).round
    return {"code": round_.code, "pk": round_.criteria.order_by("position").last().pk}


# Moving or removing sends staff back to the list (a refusal is said there).
ROUND_STAFF_REDIRECT = {"admin": 302, "staff": 302, "coach": 403}


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
    # The round's questions and rubric.
    Case("admissions:round_questions", ROUND_STAFF, kwargs=round_code),
    Case(
        "admissions:round_questions",
        ROUND_STAFF_INVALID,
        kwargs=round_code,
        method="post",
        data=lambda cast: {"kind": "single", "text": "Pick", "choices": "Only one"},
        label="one option",
    ),
    Case("admissions:question_edit", ROUND_STAFF, kwargs=question),
    Case(
        "admissions:question_edit",
        ROUND_STAFF_INVALID,
        kwargs=question,
        method="post",
        data=lambda cast: {"kind": "essay", "text": ""},
        label="invalid",
    ),
    Case(
        "admissions:question_move",
        ROUND_STAFF_REDIRECT,
        kwargs=question,
        method="post",
        data=lambda cast: {"to": "up"},
    ),
    Case("admissions:question_remove", ROUND_STAFF_REDIRECT, kwargs=question, method="post"),
    Case("admissions:round_rubric", ROUND_STAFF, kwargs=round_code),
    Case(
        "admissions:round_rubric",
        ROUND_STAFF_INVALID,
        kwargs=round_code,
        method="post",
        data=lambda cast: {"name": "", "weight": 0},
        label="invalid",
    ),
    Case("admissions:criterion_edit", ROUND_STAFF, kwargs=criterion),
    Case(
        "admissions:criterion_edit",
        ROUND_STAFF_INVALID,
        kwargs=criterion,
        method="post",
        data=lambda cast: {"name": "Leadership", "weight": 99},
        label="invalid",
    ),
    Case(
        "admissions:criterion_move",
        ROUND_STAFF_REDIRECT,
        kwargs=criterion,
        method="post",
        data=lambda cast: {"to": "up"},
    ),
    Case("admissions:criterion_remove", ROUND_STAFF_REDIRECT, kwargs=criterion, method="post"),
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
