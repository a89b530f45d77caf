"""Permission matrix of the outcomes URLs (PRODUCT.md: "results (outcomes)" — staff read and
verify, the coach reads, the fellow manages their own, others see public stories where
they may read the plan; "self-identified demographics" — the fellow's own answers, staff
only in reports). The fellow's plan is shared with their peer group (the default)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from action_plans.models import ActionPlan
from outcomes.models import Consent, Result

from ..factories.action_plans import ActionPlanFactory
from ..factories.outcomes import ResultFactory
from . import Case

FULL_READERS = {"admin": 200, "staff": 200, "coach": 200, "fellow": 200}
RECORDERS_GET = {"admin": 200, "staff": 200, "fellow": 200, "coach": 403, "peer": 403}
RECORDERS_POST = {"admin": 302, "staff": 302, "fellow": 302, "coach": 403}
STAFF = {"admin": 200, "staff": 200}
FELLOWS = {"fellow": 200, "peer": 200, "classmate": 200, "other_cohort_fellow": 200, "alumnus": 200}


def _plan(cast):
    plan = ActionPlan.objects.filter(enrollment=cast.enrollments["fellow"]).first()
    return plan or ActionPlanFactory(enrollment=cast.enrollments["fellow"])


def _result(consent, with_file=False):
    def kwargs(cast):
        plan = _plan(cast)
        result = Result.objects.filter(plan=plan, consent=consent).first()
        if result is None:
            extra = {}
            if with_file:
                extra = {
                    "evidence_file": SimpleUploadedFile("memo.pdf", b"%PDF-1.4 memo"),
                    "evidence_name": "memo.pdf",
                    "evidence_type": "application/pdf",
                }
            result = ResultFactory(plan=plan, consent=consent, **extra)
        return {"code": result.code}

    return kwargs


def _alumnus_plan(cast):
    plan = ActionPlan.objects.filter(enrollment=cast.enrollments["alumnus"]).first()
    plan = plan or ActionPlanFactory(enrollment=cast.enrollments["alumnus"])
    return {"code": plan.code}


def _cohort(cast):
    return {"code": cast.cohort.code}


def _program(cast):
    return {"slug": cast.program.slug}


CASES = [
    # Recording a result: the fellow, and staff on their behalf; the coach and the peer group
    # read the plan but do not record on it (403); anyone else does not see it (404).
    Case("outcomes:result_add", RECORDERS_GET, kwargs=lambda cast: {"code": _plan(cast).code}),
    Case(
        "outcomes:result_add",
        {**RECORDERS_GET, "fellow": 200, "staff": 200, "admin": 200},
        kwargs=lambda cast: {"code": _plan(cast).code},
        method="post",
        data=lambda cast: {"title": ""},  # refused next to the fields: the form again
        label="post invalid",
    ),
    # Alumni keep recording results on their past plan.
    Case(
        "outcomes:result_add",
        {"admin": 200, "staff": 200, "alumnus": 200},
        kwargs=_alumnus_plan,
        label="alumnus plan",
    ),
    # An internal result: staff, coach and fellow; the peer group never sees it.
    Case("outcomes:result_detail", FULL_READERS, kwargs=_result(Consent.INTERNAL)),
    # A public story: also the peer group (who may read the plan); not the other classmates.
    Case(
        "outcomes:result_detail",
        {**FULL_READERS, "peer": 200},
        kwargs=_result(Consent.PUBLIC),
        label="public",
    ),
    Case(
        "outcomes:result_edit",
        {"admin": 200, "staff": 200, "fellow": 200, "coach": 403},
        kwargs=_result(Consent.INTERNAL),
    ),
    Case(
        "outcomes:result_edit",
        {"admin": 200, "staff": 200, "fellow": 200, "coach": 403},
        kwargs=_result(Consent.INTERNAL),
        method="post",
        label="invalid",
    ),
    Case(
        "outcomes:result_edit",
        {"admin": 200, "staff": 200, "fellow": 200, "coach": 403, "peer": 403},
        kwargs=_result(Consent.PUBLIC),
        label="public",
    ),
    # Consent is the fellow's own choice: staff and the coach read it and get 403.
    Case(
        "outcomes:result_consent",
        {"fellow": 302, "admin": 403, "staff": 403, "coach": 403},
        kwargs=_result(Consent.INTERNAL),
        method="post",
        data=lambda cast: {"consent": "public"},
    ),
    Case(
        "outcomes:result_verify",
        {"admin": 302, "staff": 302, "fellow": 403, "coach": 403},
        kwargs=_result(Consent.INTERNAL),
        method="post",
        data=lambda cast: {"verified": "1"},
    ),
    Case(
        "outcomes:result_verify",
        {"admin": 302, "staff": 302, "fellow": 403, "coach": 403, "peer": 403},
        kwargs=_result(Consent.PUBLIC),
        method="post",
        data=lambda cast: {"verified": "1"},
        label="public",
    ),
    Case(
        "outcomes:result_delete",
        {"admin": 200, "staff": 200, "fellow": 200, "coach": 403},
        kwargs=_result(Consent.INTERNAL),
    ),
    Case(
        "outcomes:result_delete",
        RECORDERS_POST,
        kwargs=_result(Consent.INTERNAL),
        method="post",
        label="post",
    ),
    # Evidence: to those who read the result in full; a public story's reader gets no file.
    Case("outcomes:evidence", FULL_READERS, kwargs=_result(Consent.INTERNAL, with_file=True)),
    Case(
        "outcomes:evidence",
        FULL_READERS,
        kwargs=_result(Consent.PUBLIC, with_file=True),
        label="public",
    ),
    # The working list: staff, and each coach for their own fellows (reports' rule).
    Case(
        "outcomes:cohort_results",
        {**STAFF, "coach": 200, "other_coach": 200},
        kwargs=_cohort,
    ),
    # Impact reports and their exports: program staff only.
    Case("outcomes:impact_mine", {**STAFF, "other_staff": 200}),
    Case("outcomes:export_mine", {**STAFF, "other_staff": 200}),
    Case("outcomes:impact_program", STAFF, kwargs=_program),
    Case("outcomes:export_program", STAFF, kwargs=_program),
    Case("outcomes:impact_cohort", STAFF, kwargs=_cohort),
    Case("outcomes:export_cohort", STAFF, kwargs=_cohort),
    # Focus levels year over year: the same readers as the impact reports.
    Case("outcomes:levels_mine", {**STAFF, "other_staff": 200}),
    Case("outcomes:export_levels_mine", {**STAFF, "other_staff": 200}),
    Case("outcomes:levels_program", STAFF, kwargs=_program),
    Case("outcomes:export_levels_program", STAFF, kwargs=_program),
    Case(
        "outcomes:levels_program",
        {"admin": 200, "other_staff": 200},
        kwargs=lambda cast: {"slug": cast.other_program.slug},
        label="other program",
    ),
    Case(
        "outcomes:impact_cohort",
        {"admin": 200, "other_staff": 200},
        kwargs=lambda cast: {"code": cast.other_cohort.code},
        label="other program",
    ),
    # Demographics: fellows and alumni answer for themselves; nobody else has a form.
    Case("outcomes:demographics", FELLOWS),
    Case(
        "outcomes:demographics",
        dict.fromkeys(FELLOWS, 302),
        method="post",
        data=lambda cast: {"gender": "prefer_not"},
        label="post",
    ),
]
