"""Permission matrix of the reports app (PRODUCT.md: reports and exports — staff of the
program yes, coaches for their own fellows, nobody else; other programs' staff get 404)."""

from . import Case

STAFF = {"admin": 200, "staff": 200}
# Both cast coaches coach a fellow of the current cohort: each sees their own fellows.
STAFF_AND_COACHES = {**STAFF, "coach": 200, "other_coach": 200}


def cohort_code(cast):
    return {"code": cast.cohort.code}


def past_cohort_code(cast):
    return {"code": cast.past_cohort.code}


def export_kwargs(kind):
    return lambda cast: {"code": cast.cohort.code, "kind": kind}


CASES = [
    # Staff of the other program have a start page too: with their own program only.
    Case("reports:index", {**STAFF_AND_COACHES, "other_staff": 200}),
    Case("reports:cohort_dashboard", STAFF_AND_COACHES, kwargs=cohort_code),
    # Nobody coaches in the past cohort: coaches see nothing of it.
    Case("reports:cohort_dashboard", STAFF, kwargs=past_cohort_code, label="past cohort"),
    Case("reports:at_risk", STAFF_AND_COACHES, kwargs=cohort_code),
    Case("reports:cohort_report", STAFF_AND_COACHES, kwargs=cohort_code),
    Case("reports:export", STAFF_AND_COACHES, kwargs=export_kwargs("roster")),
    Case(
        "reports:export",
        STAFF_AND_COACHES,
        kwargs=export_kwargs("coaching-hours"),
        label="coaching-hours",
    ),
    Case(
        "reports:export",
        {},  # an unknown kind is 404 for everybody
        kwargs=export_kwargs("private-notes"),
        label="unknown kind",
    ),
    Case("reports:program_dashboard", STAFF, kwargs=lambda cast: {"slug": cast.program.slug}),
]
