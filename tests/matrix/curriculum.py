"""Permission matrix of the curriculum app (PRODUCT.md: schedule and sessions — staff manage,
coach, fellows and the peer group read their own cohort; self-assessments — the fellow
manages their own, staff and the active coach read; a fellow of another cohort sees nothing)."""

from django.core.files.base import ContentFile

from ..factories.curriculum import build_curriculum
from . import Case

# Everyone who may read the current cohort's schedule (admin is staff everywhere).
READERS = ["admin", "staff", "coach", "other_coach", "fellow", "peer", "classmate"]
COHORT_STAFF = ["admin", "staff"]
LIBRARY = ["admin", "staff", "other_staff"]


def read(status=200):
    return dict.fromkeys(READERS, status)


def manage(status=200, readers=403):
    table = dict.fromkeys(READERS, readers)
    table.update(dict.fromkeys(COHORT_STAFF, status))
    return table


def library(status=200):
    return dict.fromkeys(LIBRARY, status)


def editor(status=200):
    return {"admin": status, "staff": status, "other_staff": 403}


def cur(attr):
    def kwargs(cast):
        return {"code": build_curriculum(cast).__dict__[attr].code}

    return kwargs


def cohort_code(cast):
    build_curriculum(cast)
    return {"code": cast.cohort.code}


def fellow_enrollment(cast):
    build_curriculum(cast)
    return {"code": cast.enrollments["fellow"].code}


def _setup(cast):
    build_curriculum(cast)


def _with_file(cast):
    submission = build_curriculum(cast).submission
    submission.file.save("plan.txt", ContentFile(b"My plan"), save=True)


ENROLLMENT_READERS = {"admin": 200, "staff": 200, "coach": 200, "fellow": 200}

CASES = [
    # The framework library.
    Case("curriculum:framework_list", library()),
    Case("curriculum:framework_create", library()),
    Case(
        "curriculum:framework_create",
        library(200),
        method="post",
        data=lambda cast: {"name": "", "slug": "not a slug"},
        label="invalid",
    ),
    Case("curriculum:framework_import", library()),
    Case("curriculum:framework_import", library(), method="post", label="invalid"),
    Case("curriculum:framework_from_text", library()),
    Case("curriculum:framework_from_text", library(), method="post", label="invalid"),
    Case("curriculum:framework_detail", library(), kwargs=cur("framework")),
    Case("curriculum:framework_export", library(), kwargs=cur("framework")),
    Case("curriculum:framework_edit", editor(), kwargs=cur("framework")),
    Case(
        "curriculum:framework_edit",
        editor(302),
        kwargs=cur("framework"),
        method="post",
        data=lambda cast: {"name": "Renamed", "slug": "psl", "description": ""},
        label="valid",
    ),
    Case("curriculum:scale_edit", editor(), kwargs=cur("framework")),
    Case(
        "curriculum:scale_edit", editor(), kwargs=cur("framework"), method="post", label="invalid"
    ),
    Case("curriculum:domain_create", editor(), kwargs=cur("framework")),
    Case(
        "curriculum:domain_create",
        editor(),
        kwargs=cur("framework"),
        method="post",
        label="invalid",
    ),
    Case("curriculum:domain_edit", editor(), kwargs=cur("domain")),
    Case("curriculum:domain_edit", editor(), kwargs=cur("domain"), method="post", label="invalid"),
    Case("curriculum:competency_create", editor(), kwargs=cur("domain")),
    Case(
        "curriculum:competency_create",
        editor(),
        kwargs=cur("domain"),
        method="post",
        label="invalid",
    ),
    Case("curriculum:competency_edit", editor(), kwargs=cur("competency")),
    Case(
        "curriculum:competency_edit",
        editor(),
        kwargs=cur("competency"),
        method="post",
        label="invalid",
    ),
    # Schedule, sessions, materials.
    Case("curriculum:schedule", read(), kwargs=cohort_code),
    Case("curriculum:session_create", manage(), kwargs=cohort_code),
    Case(
        "curriculum:session_create",
        manage(200),
        kwargs=cohort_code,
        method="post",
        data=lambda cast: {"title": "", "kind": "monthly"},
        label="invalid",
    ),
    Case("curriculum:series_create", manage(), kwargs=cohort_code),
    Case("curriculum:series_create", manage(), kwargs=cohort_code, method="post", label="invalid"),
    Case("curriculum:session_detail", read(), kwargs=cur("session")),
    Case("curriculum:session_edit", manage(), kwargs=cur("session")),
    Case(
        "curriculum:session_edit", manage(), kwargs=cur("session"), method="post", label="invalid"
    ),
    Case("curriculum:session_cancel", manage(302), kwargs=cur("session"), method="post"),
    Case(
        "curriculum:speaker_add",
        manage(302),
        kwargs=cur("session"),
        method="post",
        data=lambda cast: {"name": "Dr. Ana Ruiz", "affiliation": "University of New Mexico"},
    ),
    Case(
        "curriculum:material_add",
        manage(302),
        kwargs=cur("session"),
        method="post",
        data=lambda cast: {"title": "Reading", "url": "https://example.org/reading"},
    ),
    Case("curriculum:material_download", read(302), kwargs=cur("material")),
    Case("curriculum:material_remove", manage(302), kwargs=cur("material"), method="post"),
    Case("curriculum:speaker_edit", manage(), kwargs=cur("speaker")),
    Case(
        "curriculum:speaker_edit",
        manage(302),
        kwargs=cur("speaker"),
        method="post",
        data=lambda cast: {"name": "Dr. Ana Ruiz", "affiliation": "UNM", "bio": ""},
        label="valid",
    ),
    Case(
        "curriculum:speaker_edit",
        manage(200),
        kwargs=cur("speaker"),
        method="post",
        data=lambda cast: {"name": ""},
        label="invalid",
    ),
    Case("curriculum:speaker_remove", manage(302), kwargs=cur("speaker"), method="post"),
    Case("curriculum:attendance_take", manage(), kwargs=cur("session")),
    Case(
        "curriculum:attendance_take",
        manage(200),
        kwargs=cur("session"),
        method="post",
        data=lambda cast: {},
        label="nobody marked",
    ),
    Case("curriculum:attendance_report", manage(), kwargs=cohort_code),
    Case("curriculum:enrollment_attendance", ENROLLMENT_READERS, kwargs=fellow_enrollment),
    # Modules and assignments.
    Case("curriculum:module_list", read(), kwargs=cohort_code),
    Case("curriculum:module_create", manage(), kwargs=cohort_code),
    Case("curriculum:cohort_copy", manage(), kwargs=cohort_code),
    Case(
        "curriculum:cohort_copy",
        manage(),
        kwargs=cohort_code,
        method="post",
        data=lambda cast: {"name": "", "start_date": "x", "end_date": ""},
        label="invalid",
    ),
    Case("curriculum:module_create", manage(), kwargs=cohort_code, method="post", label="invalid"),
    Case("curriculum:module_edit", manage(), kwargs=cur("module")),
    Case("curriculum:module_edit", manage(), kwargs=cur("module"), method="post", label="invalid"),
    Case("curriculum:assignment_create", manage(), kwargs=cur("module")),
    Case(
        "curriculum:assignment_create",
        manage(),
        kwargs=cur("module"),
        method="post",
        label="invalid",
    ),
    Case("curriculum:assignment_detail", read(), kwargs=cur("assignment")),
    Case("curriculum:assignment_edit", manage(), kwargs=cur("assignment")),
    Case(
        "curriculum:assignment_edit",
        manage(200),
        kwargs=cur("assignment"),
        method="post",
        data=lambda cast: {"title": "", "instructions": ""},
        label="invalid",
    ),
    Case("curriculum:assignment_delete", manage(), kwargs=cur("assignment")),
    Case(
        "curriculum:assignment_delete",
        manage(302),
        kwargs=cur("assignment"),
        method="post",
        label="refused: it has a submission",
    ),
    Case(
        "curriculum:assignment_detail",
        {**manage(403, readers=403), "fellow": 302, "peer": 302, "classmate": 302},
        kwargs=cur("assignment"),
        method="post",
        data=lambda cast: {"text": "My revised stakeholder map."},
        label="submit",
    ),
    Case(
        "curriculum:submission_detail",
        {**manage(200, readers=403), "fellow": 200},
        kwargs=cur("submission"),
    ),
    Case(
        "curriculum:submission_detail",
        {**manage(200, readers=403), "fellow": 403},
        kwargs=cur("submission"),
        method="post",
        data=lambda cast: {"feedback": ""},
        label="invalid feedback",
    ),
    Case(
        "curriculum:submission_file",
        {**manage(200, readers=403), "fellow": 200},
        kwargs=cur("submission"),
        setup=_with_file,
    ),
    # Self-assessments.
    Case("curriculum:assessment_overview", manage(), kwargs=cohort_code),
    Case(
        "curriculum:assessment_overview",
        manage(200),
        kwargs=cohort_code,
        method="post",
        data=lambda cast: {
            "phase": "midpoint",
            "opens_on": "2027-02-10",
            "closes_on": "2027-02-01",
        },
        label="closes before it opens",
    ),
    Case(
        "curriculum:self_assessment",
        {**manage(403), "fellow": 200, "peer": 200, "classmate": 200},
        kwargs=cur("window"),
    ),
    Case(
        "curriculum:self_assessment",
        {**manage(403), "fellow": 200, "peer": 200, "classmate": 200},
        kwargs=cur("window"),
        method="post",
        label="invalid",
    ),
    Case("curriculum:window_edit", manage(), kwargs=cur("window")),
    Case(
        "curriculum:window_edit",
        manage(200),
        kwargs=cur("window"),
        method="post",
        data=lambda cast: {"opens_on": "2026-10-10", "closes_on": "2026-10-01"},
        label="closes before it opens",
    ),
    Case("curriculum:window_delete", manage(), kwargs=cur("window")),
    Case("curriculum:window_delete", manage(302), kwargs=cur("window"), method="post"),
    Case("curriculum:growth", ENROLLMENT_READERS, kwargs=fellow_enrollment),
]
