"""Writes of 360° feedback: the program's policy, windows, nominations and their approval,
sharing a report, and a rater's answers. Each refuses bad input with a message saying what
is wrong and saves nothing then.

Sensitive actions (for the audit log): `policy_save`, `nominations_decide` (approval),
`window_close`, `circle_share` (consent to share with the coach)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.updates import model_update
from audit.services import record
from cohorts.models import Cohort, Enrollment, EnrollmentStatus, Program
from curriculum.models import AssessmentPhase, Competency, ProficiencyLevel
from notifications.hooks import notify

from .models import (
    MAX_NOMINATIONS,
    MIN_GROUP_SIZE,
    OPEN_ANSWER_LENGTH,
    FeedbackPolicy,
    FeedbackWindow,
    Nomination,
    NominationStatus,
    RaterCircle,
    RaterRating,
    RaterResponse,
    Relationship,
)
from .notices import decided_rows

# LinkUnusable is what response_submit raises: callers catch it from here.
from .selectors import LinkUnusable as LinkUnusable
from .selectors import link_refusal, policy_for, shortfalls_of_window

# --- Policy and windows ----------------------------------------------------------------------


@transaction.atomic
def policy_save(*, program: Program, by: User | None = None, **fields: Any) -> FeedbackPolicy:
    """Saves the program's policy (`by` None: the signed-in user of the current request)."""
    policy = FeedbackPolicy.objects.filter(program=program).first() or FeedbackPolicy(
        program=program
    )
    model_update(policy, data=fields)
    record(
        action="feedback360.policy_saved",
        by=by,
        target=program,
        program=program,
        details={name: str(value) for name, value in fields.items()},
    )
    return policy


@transaction.atomic
def window_save(
    *,
    cohort: Cohort,
    phase: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    window: FeedbackWindow | None = None,
) -> FeedbackWindow:
    window = window or FeedbackWindow(cohort=cohort)
    if window.closed_at is not None:
        raise ValidationError("This window was closed; its dates can no longer change.")
    window.phase, window.opens_on, window.closes_on = phase, opens_on, closes_on
    window.full_clean(validate_constraints=False)
    if FeedbackWindow.objects.filter(cohort=cohort, phase=phase).exclude(pk=window.pk).exists():
        raise ValidationError(
            {
                "phase": (
                    f"This cohort already has a {AssessmentPhase(phase).label.lower()} "
                    "360° feedback window."
                )
            }
        )
    window.save()
    return window


@transaction.atomic
def window_close(
    *,
    window: FeedbackWindow,
    by: User,
    confirm_short: bool = False,
    now: datetime.datetime | None = None,
) -> FeedbackWindow:
    """Closes the window now: rater links stop working and reports appear. When some fellows
    have fewer raters than the program asks (or fewer than 3 answers, so their report will
    show no rater figure), staff must confirm; otherwise nothing changes."""
    now = now or timezone.now()
    window = FeedbackWindow.objects.select_for_update().get(pk=window.pk)
    if window.closed_at is not None:
        raise ValidationError("This window is already closed.")
    if window.opens_on > window.cohort.local_date(now):
        raise ValidationError("This window has not opened yet: change its dates instead.")
    short = shortfalls_of_window(window)
    if short and not confirm_short:
        names = ", ".join(s.enrollment.user.full_name for s in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise ValidationError(
            {
                "confirm_short": (
                    f"{len(short)} fellow{'s have' if len(short) > 1 else ' has'} too few "
                    f"raters ({names}{more}). Tick the box to close the window anyway."
                )
            }
        )
    window.closed_at, window.closed_by = now, by
    window.save(update_fields=["closed_at", "closed_by", "updated_at"])
    record(
        action="feedback360.window_closed",
        by=by,
        target=window,
        program=window.cohort.program_id,
        details={"short_of_raters": len(short)},
    )
    return window


# --- Nominations -----------------------------------------------------------------------------


def _require_open(window: FeedbackWindow, now: datetime.datetime) -> None:
    if not window.is_open_on(window.cohort.local_date(now)):
        raise ValidationError(
            f"The {window.get_phase_display().lower()} 360° feedback window is closed "
            f"({window.opens_on:%d %b} – {window.closes_on:%d %b %Y}): nominations can no "
            "longer change."
        )


def _require_active_fellow(window: FeedbackWindow, enrollment: Enrollment) -> None:
    if enrollment.cohort_id != window.cohort_id or enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError("Only active fellows of this cohort nominate raters.")


def circle_for(*, window: FeedbackWindow, enrollment: Enrollment) -> RaterCircle:
    circle, _ = RaterCircle.objects.get_or_create(window=window, enrollment=enrollment)
    return circle


@transaction.atomic
def nomination_add(
    *,
    window: FeedbackWindow,
    enrollment: Enrollment,
    name: str,
    email: str,
    relationship: str,
    now: datetime.datetime | None = None,
) -> Nomination:
    now = now or timezone.now()
    _require_active_fellow(window, enrollment)
    _require_open(window, now)
    name, email = (name or "").strip(), (email or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the rater's name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Give a valid email address."
    if relationship not in Relationship.values:
        errors["relationship"] = "Choose how this person knows you."
    if errors:
        raise ValidationError(errors)
    if email.lower() == enrollment.user.email.lower():
        raise ValidationError({"email": "You cannot rate yourself here: nominate someone else."})
    circle = circle_for(window=window, enrollment=enrollment)
    circle = RaterCircle.objects.select_for_update().get(pk=circle.pk)
    existing = list(circle.nominations.values_list("email", flat=True))
    if email.lower() in {e.lower() for e in existing}:
        raise ValidationError({"email": "You have already nominated this email address."})
    if len(existing) >= MAX_NOMINATIONS:
        raise ValidationError(f"You can nominate at most {MAX_NOMINATIONS} raters.")
    nomination = Nomination(circle=circle, name=name, email=email, relationship=relationship)
    nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:  # the same address added at the same moment
        raise ValidationError({"email": "You have already nominated this email address."}) from exc
    return nomination


@transaction.atomic
def nomination_remove(*, nomination: Nomination, now: datetime.datetime | None = None) -> None:
    """A fellow takes back a nomination that has not been emailed."""
    now = now or timezone.now()
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not nomination.can_be_removed:
        raise ValidationError(
            f"{nomination.name} has already been invited, so the nomination stays."
        )
    _require_open(nomination.circle.window, now)
    nomination.delete()


@transaction.atomic
def nominations_send(*, circle: RaterCircle, now: datetime.datetime | None = None) -> int:
    """Sends the fellow's new nominations on: for approval, or straight to the raters when
    the program does not ask for approval. Refused until the program's minimums are met
    (counting every nomination that is not declined)."""
    from .emails import invite

    now = now or timezone.now()
    circle = (
        RaterCircle.objects.select_for_update().select_related("window__cohort").get(pk=circle.pk)
    )
    _require_active_fellow(circle.window, circle.enrollment)
    _require_open(circle.window, now)
    nominations = list(circle.nominations.exclude(status=NominationStatus.DECLINED))
    drafts = [n for n in nominations if n.status == NominationStatus.DRAFT]
    if not drafts:
        raise ValidationError("There are no new nominations to send.")
    counts: dict[str, int] = {}
    for n in nominations:
        counts[n.relationship] = counts.get(n.relationship, 0) + 1
    policy = policy_for(circle.window.cohort.program)
    missing = policy.shortfalls(counts)
    if missing:
        raise ValidationError(f"Your program asks for more raters: nominate {', '.join(missing)}.")
    if sum(counts.values()) < MIN_GROUP_SIZE:
        raise ValidationError(f"Nominate at least {MIN_GROUP_SIZE} raters in all.")
    ids = [n.pk for n in drafts]
    if policy.approval_required:
        Nomination.objects.filter(pk__in=ids).update(
            status=NominationStatus.PENDING, updated_at=now
        )
    else:
        Nomination.objects.filter(pk__in=ids).update(
            status=NominationStatus.INVITED, invited_at=now, updated_at=now
        )
        invite(ids, now)
    return len(ids)


@transaction.atomic
def nominations_decide(
    *,
    window: FeedbackWindow,
    codes: Iterable[str],
    approve: bool,
    by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Staff approve (the raters are emailed) or decline (with a reason the fellow sees)
    nominations waiting for approval in this window."""
    from .emails import invite

    now = now or timezone.now()
    _require_open(window, now)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": "Say why, so the fellow can nominate someone else."})
    nominations = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("circle__enrollment", "circle__window")
        .filter(circle__window=window, code__in=list(codes), status=NominationStatus.PENDING)
    )
    if not nominations:
        raise ValidationError(
            {"nominations": "Choose at least one nomination waiting for approval."}
        )
    ids = [n.pk for n in nominations]
    if approve:
        Nomination.objects.filter(pk__in=ids).update(
            status=NominationStatus.INVITED,
            decided_by=by,
            decided_at=now,
            invited_at=now,
            updated_at=now,
        )
        invite(ids, now)
    else:
        Nomination.objects.filter(pk__in=ids).update(
            status=NominationStatus.DECLINED,
            decided_by=by,
            decided_at=now,
            decline_reason=reason[:300],
            updated_at=now,
        )
    # Each fellow hears of the decision (sent once this commits).
    per_circle = Counter(n.circle for n in nominations)
    notify(decided_rows(circles=per_circle, approved=approve, reason=reason[:300], now=now))
    # Who decided what, how many: never which raters (they stay out of the log).
    record(
        action="feedback360.nominations_approved"
        if approve
        else "feedback360.nominations_declined",
        by=by,
        target=window,
        program=window.cohort.program_id,
        details={"count": len(ids), "fellows": len(per_circle)},
    )
    return len(ids)


@transaction.atomic
def circle_share(
    *, circle: RaterCircle, share: bool, now: datetime.datetime | None = None
) -> RaterCircle:
    """The fellow shares their report with their coach, or stops sharing it."""
    now = now or timezone.now()
    circle.shared_with_coach_at = now if share else None
    circle.save(update_fields=["shared_with_coach_at", "updated_at"])
    enrollment = circle.enrollment
    record(
        action="feedback360.report_shared" if share else "feedback360.report_unshared",
        target=enrollment,
        program=enrollment.cohort.program_id,
        details={"with": "coach", "window": str(circle.window_id)},
    )
    return circle


# --- A rater's answers -----------------------------------------------------------------------


@transaction.atomic
def response_submit(
    *,
    nomination: Nomination,
    ratings: dict,
    strengths: str = "",
    to_develop: str = "",
    shown_alone_notice: bool = False,
    now: datetime.datetime | None = None,
) -> RaterResponse:
    """Saves one rater's answers, once. `ratings` maps competency pk → level value; every
    competency of the cohort's framework must be rated on its scale. The answer keeps the
    relationship but no link to the nomination. `shown_alone_notice`: the form told this
    supervisor that their ratings may be shown on their own (kept only if the program still
    allows it)."""
    now = now or timezone.now()
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("circle__window__cohort__program", "circle__enrollment")
        .get(pk=nomination.pk)
    )
    refusal = link_refusal(nomination, now)
    if refusal is not None:
        raise refusal
    circle = nomination.circle
    framework_id = circle.window.cohort.framework_id
    if framework_id is None:
        raise ValidationError("This cohort has no competency framework.")
    competencies = {c.pk: c for c in Competency.objects.filter(domain__framework_id=framework_id)}
    levels = set(
        ProficiencyLevel.objects.filter(framework_id=framework_id).values_list("value", flat=True)
    )
    if set(ratings) - set(competencies):
        raise ValidationError("Some ratings are for competencies outside this framework.")
    errors = {}
    for pk, competency in competencies.items():
        value = ratings.get(pk)
        if value is None:
            errors[str(pk)] = f"Rate “{competency.name}”."
        elif value not in levels:
            errors[str(pk)] = f"{value} is not on the scale ({min(levels)}–{max(levels)})."
    strengths, to_develop = (strengths or "").strip(), (to_develop or "").strip()
    if len(strengths) > OPEN_ANSWER_LENGTH:
        errors["strengths"] = f"Keep this under {OPEN_ANSWER_LENGTH} characters."
    if len(to_develop) > OPEN_ANSWER_LENGTH:
        errors["to_develop"] = f"Keep this under {OPEN_ANSWER_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    policy = policy_for(circle.window.cohort.program)
    response = RaterResponse.objects.create(
        circle=circle,
        relationship=nomination.relationship,
        told_shown_alone=(
            shown_alone_notice
            and nomination.relationship == Relationship.SUPERVISOR
            and policy.supervisor_shown_alone
        ),
        strengths=strengths,
        to_develop=to_develop,
    )
    RaterRating.objects.bulk_create(
        [RaterRating(response=response, competency_id=pk, value=ratings[pk]) for pk in competencies]
    )
    nomination.answered_at = now
    nomination.save(update_fields=["answered_at", "updated_at"])
    return response
