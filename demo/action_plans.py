"""Demo: a Leadership Action Plan for every current active fellow, spread over every workflow
state. Most plans are on track (past milestones done, the next ones ahead, a recent
update); a few are not, each for a reason staff would recognise (see `Story`), so the
dashboard's at-risk list is short and believable. Milestones are done, due soon, overdue
and blocked somewhere in the cohort; the past cohort's plans are completed. The demo
fellow gets a rich, approved plan. Idempotent: a fellow who already has a plan keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from action_plans.models import (
    ActionPlan,
    FocusLevel,
    Goal,
    Milestone,
    MilestoneStatus,
    PlanComment,
    PlanFocusLevel,
    PlanRevision,
    PlanStatus,
    PlanStatusChange,
    PlanVisibility,
    ProgressSignal,
    ProgressUpdate,
)
from action_plans.notices import MILESTONE_OVERDUE, MILESTONE_SOON
from cohorts.models import EnrollmentStatus
from demo.accounts import DemoContext
from demo.notifications import demo_logins, demo_notification
from notifications.ledger import row


@dataclass(frozen=True)
class Theme:
    title: str
    initiative: str
    problem: str
    equity_aim: str
    levels: tuple
    levers: str
    stakeholders: str
    measures: str
    goals: tuple  # (goal title, (milestone titles…))


THEMES = [
    Theme(
        "Community health workers as a covered Medicaid benefit",
        "Make community health worker (CHW) services a covered, sustainably paid benefit in "
        "{state} Medicaid, delivered through community-based organizations.",
        "CHWs are paid from short-term grants; when grants end, trusted workers leave and "
        "families lose their link to care.",
        "Rural and Indigenous families, whose preventable hospitalisations run at twice the "
        "state rate.",
        (FocusLevel.COMMUNITY, FocusLevel.ORGANIZATIONAL, FocusLevel.SOCIETAL),
        "State plan amendment; managed-care contract language; CHW certification rules.",
        "CHW association, three managed-care plans, tribal health directors, the budget office.",
        "200 CHWs billing Medicaid by year end; CHW visits reach 5,000 members.",
        (
            (
                "Build the case and the coalition",
                (
                    "Map current CHW funding",
                    "Hold a listening session with CHWs",
                    "Brief the director",
                ),
            ),
            (
                "Secure the payment pathway",
                ("Draft the state plan amendment", "Tribal consultation", "Submit the SPA to CMS"),
            ),
        ),
    ),
    Theme(
        "Doula care for every birthing person on Medicaid",
        "Extend Medicaid coverage to doula services across {state}, with a workforce that "
        "reflects the families it serves.",
        "Black and Native birthing people die of pregnancy-related causes at three times the "
        "rate of white birthing people.",
        "Black, Native and Pacific Islander birthing people enrolled in Medicaid.",
        (FocusLevel.PATIENT, FocusLevel.COMMUNITY, FocusLevel.SOCIETAL),
        "Benefit design; reimbursement rate setting; hospital partnership agreements.",
        "Doula collectives, birthing hospitals, the maternal mortality review committee.",
        "Doula-supported births reach 15% of Medicaid births; fewer cases of severe maternal "
        "morbidity.",
        (
            (
                "Design the benefit with doulas",
                ("Convene the doula advisory group", "Set the reimbursement rate"),
            ),
            (
                "Launch and learn",
                (
                    "Enroll the first 50 doulas",
                    "Publish a first-quarter dashboard",
                    "Hospital MOUs",
                ),
            ),
        ),
    ),
    Theme(
        "Language access in child welfare",
        "Guarantee families in {state}'s child welfare system are served in their own language "
        "at every contact.",
        "Families with limited English wait longer for services and are more often separated.",
        "Families who speak Spanish, Chuukese, Marshallese and Vietnamese.",
        (FocusLevel.ORGANIZATIONAL, FocusLevel.PATIENT),
        "Agency policy; interpreter contracts; caseworker training requirements.",
        "Caseworkers' union, interpreter vendors, community cultural brokers, family court.",
        "Interpreter use logged at 95% of contacts; time-to-service equal across languages.",
        (
            (
                "Know where we stand",
                ("Audit last year's case records", "Survey caseworkers on interpreter use"),
            ),
            (
                "Change the practice",
                (
                    "Adopt the language access policy",
                    "Train every intake unit",
                    "Sign new contracts",
                ),
            ),
        ),
    ),
    Theme(
        "Data for equity in public health",
        "Build {state}'s capacity to report health outcomes by race, ethnicity, language and "
        "disability, and to act on what the data show.",
        "Programs cannot target disparities they cannot see: half of our records lack race "
        "and ethnicity.",
        "Communities hidden in aggregate data, especially Pacific Islander and multiracial people.",
        (FocusLevel.ORGANIZATIONAL, FocusLevel.SOCIETAL),
        "Data-collection standards; data-sharing agreements; the annual health equity report.",
        "Epidemiology unit, community data stewards, hospitals, the state CIO.",
        "Race and ethnicity completeness above 90%; two programs retargeted on the evidence.",
        (
            (
                "Fix the data at the source",
                ("Adopt collection standards", "Sign the hospital data-sharing agreement"),
            ),
            (
                "Use it",
                ("Publish the equity dashboard", "Community data walk", "Retarget one program"),
            ),
        ),
    ),
    Theme(
        "Medicaid continuous coverage for young children",
        "Keep {state}'s children enrolled in Medicaid from birth to age six without annual "
        "renewals.",
        "Paperwork churn drops thousands of eligible children each year, interrupting "
        "well-child visits and immunizations.",
        "Children in families working seasonal jobs, who lose coverage most often.",
        (FocusLevel.PATIENT, FocusLevel.SOCIETAL),
        "Section 1115 waiver; eligibility system changes; legislative budget request.",
        "Governor's office, pediatricians' chapter, family advocates, eligibility vendor.",
        "Coverage gaps for under-sixes fall by half; well-child visit rates rise.",
        (
            (
                "Win the authority",
                ("Draft the waiver concept paper", "Public comment period", "Legislative briefing"),
            ),
            (
                "Make it work for families",
                ("Eligibility system change request", "Family outreach campaign"),
            ),
        ),
    ),
]

COMMENTS_BY_COACH = [
    "What would it take to get the budget office on your side early?",
    "I like how the equity aim names the families. Can the measures name them too?",
    "You mentioned feeling stretched: which milestone could a colleague own?",
]
COMMENTS_BY_STAFF = [
    "Strong plan. The peer group on payment reform may have contacts at CMS.",
    "Please make sure the milestones land before the final gathering.",
]
# Progress updates, newest first, by how the fellow's work is going.
UPDATES_ON_TRACK = [
    "Met with the leadership team; they agreed to sponsor the work.",
    "The listening session drew 40 people. Their stories are in the brief.",
    "Budget office read the brief and asked for a cost model: a good sign.",
    "Two partner organizations signed on to co-design the next step.",
]
UPDATE_AT_RISK = "A hiring freeze slowed us down. Re-sequencing two milestones."
UPDATE_OFF_TRACK = "The legislative session ended without a budget; plan B is a waiver."

# Current fellows cycle through these; the demo fellow (first) gets a rich approved plan.
STATUS_CYCLE = [
    PlanStatus.APPROVED,
    PlanStatus.DRAFT,
    PlanStatus.SUBMITTED,
    PlanStatus.CHANGES_REQUESTED,
    PlanStatus.APPROVED,
    PlanStatus.APPROVED,
    PlanStatus.SUBMITTED,
]


class Story:
    """How a current fellow's plan is going. Most are on track: past milestones done, the
    next ones ahead, an update in the last fortnight. The demo fellow is a little behind
    (one overdue milestone, after a hiring freeze) and, out of every `STORY_PERIOD`
    fellows, one has gone quiet (no progress update in six weeks). With the fellows the
    coaching and curriculum demos flag (no coach, no coaching yet, missed sessions),
    about a fifth of a cohort is at risk, each for a reason staff would recognise."""

    ON_TRACK = "on_track"
    QUIET = "quiet"
    RICH = "rich"  # the demo fellow: every milestone state on one page


STORY_PERIOD = 20
QUIET_AT = 13
QUIET_DAYS = 42  # longer than the program's 30-day "no plan update" threshold


def _story(index: int, rich: bool) -> str:
    if rich:
        return Story.RICH
    return Story.QUIET if index % STORY_PERIOD == QUIET_AT else Story.ON_TRACK


# Milestones as (days from today, status), in order. Past dates are done, future ones
# are not started or in progress; a blocked milestone is not late yet (it is due later).
MILESTONES = {
    Story.RICH: [
        (-40, MilestoneStatus.DONE),
        (-12, MilestoneStatus.IN_PROGRESS),  # overdue: the hiring freeze
        (5, MilestoneStatus.NOT_STARTED),  # due soon
        (20, MilestoneStatus.BLOCKED),
        (60, MilestoneStatus.NOT_STARTED),
        (120, MilestoneStatus.NOT_STARTED),
    ],
    Story.ON_TRACK: [
        (-45, MilestoneStatus.DONE),
        (-10, MilestoneStatus.DONE),
        (9, MilestoneStatus.IN_PROGRESS),
        (30, MilestoneStatus.NOT_STARTED),
        (75, MilestoneStatus.NOT_STARTED),
        (130, MilestoneStatus.NOT_STARTED),
    ],
    Story.QUIET: [
        (-30, MilestoneStatus.DONE),
        (12, MilestoneStatus.NOT_STARTED),
        (40, MilestoneStatus.NOT_STARTED),
        (80, MilestoneStatus.NOT_STARTED),
        (120, MilestoneStatus.NOT_STARTED),
        (160, MilestoneStatus.NOT_STARTED),
    ],
}
# A draft is still being written: every milestone lies ahead.
DRAFT_MILESTONES = [(30, MilestoneStatus.NOT_STARTED), (75, MilestoneStatus.NOT_STARTED)] * 3
# Some on-track fellows wait on someone else for a milestone that is not due yet.
BLOCKED_SOON = (25, MilestoneStatus.BLOCKED)


def _at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _clamp(day: date, cohort) -> date:
    return min(max(day, cohort.start_date), cohort.end_date)


def seed(ctx: DemoContext) -> None:
    competencies = _competencies(ctx.current_cohort)
    for index, enrollment in enumerate(ctx.current_enrollments):
        if enrollment.status != EnrollmentStatus.ACTIVE:
            continue
        story = _story(index, rich=enrollment.user == ctx.fellow)
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        if story in (Story.RICH, Story.QUIET):
            status = PlanStatus.APPROVED  # only an approved plan is expected to report
        _plan(ctx, enrollment, index, status, competencies, story=story)
    past_competencies = _competencies(ctx.past_cohort)
    for index, enrollment in enumerate(ctx.past_enrollments):
        if enrollment.status == EnrollmentStatus.WITHDRAWN:
            continue
        status, story = PlanStatus.COMPLETED, Story.ON_TRACK
        _plan(ctx, enrollment, index + 3, status, past_competencies, story=story)
    _sample_notifications(ctx, timezone.now().replace(microsecond=0))


def _sample_notifications(ctx, now) -> None:
    """Each demo fellow has unread nudges about their next two open milestones."""
    for user in demo_logins(ctx):
        enrollment = user.enrollments.filter(status=EnrollmentStatus.ACTIVE).first()
        if enrollment is None:
            continue
        milestones = (
            Milestone.objects.filter(goal__plan__enrollment=enrollment)
            .exclude(status=MilestoneStatus.DONE)
            .select_related("goal__plan")
            .order_by("due_date")[:2]
        )
        for offset, milestone in enumerate(milestones):
            overdue = milestone.due_date < now.date()
            note = row(
                recipient_id=user.pk,
                kind=(MILESTONE_OVERDUE if overdue else MILESTONE_SOON).key,
                subject_type="action_plans.milestone",
                subject_id=milestone.pk,
                occurrence=f"demo:{milestone.due_date}",
                due_at=now - timedelta(hours=3 + offset),
                enrollment_id=enrollment.pk,
                title=f"{'Overdue' if overdue else 'Due soon'}: {milestone.title}",
                url=milestone.goal.plan.get_absolute_url(),
                payload={
                    "milestone": milestone.title,
                    "due_date": milestone.due_date.isoformat(),
                    "plan": milestone.goal.plan.title,
                },
            )
            demo_notification(note, sent_at=now - timedelta(hours=3 + offset), read=False)


def _competencies(cohort) -> list:
    if cohort is None or cohort.framework_id is None:
        return []
    from curriculum.models import Competency

    return list(Competency.objects.filter(domain__framework_id=cohort.framework_id))


def _plan(ctx, enrollment, index, status, competencies, *, story) -> ActionPlan:
    existing = ActionPlan.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    rich = story == Story.RICH
    cohort = enrollment.cohort
    theme = THEMES[index % len(THEMES)]
    state = enrollment.get_state_display()
    today = min(ctx.today, cohort.end_date)
    visibility = [PlanVisibility.PEER_GROUP, PlanVisibility.COHORT, PlanVisibility.PRIVATE][
        index % 3
    ]
    plan = ActionPlan.objects.create(
        enrollment=enrollment,
        title=theme.title,
        initiative=theme.initiative.format(state=state),
        problem=theme.problem,
        equity_aim=theme.equity_aim,
        policy_levers=theme.levers,
        stakeholders=theme.stakeholders,
        success_measures=theme.measures,
        visibility=PlanVisibility.PEER_GROUP if rich else visibility,
        status=status,
    )
    PlanFocusLevel.objects.bulk_create(PlanFocusLevel(plan=plan, level=lv) for lv in theme.levels)
    if competencies:
        plan.competencies.set(
            competencies[index % len(competencies) :: max(1, len(competencies) // 3)][:3]
        )
    started = cohort.start_date + timedelta(days=14 + index % 10)
    # A quiet fellow's plan was approved, and last heard of, six weeks ago and more.
    last_news = today - timedelta(days=QUIET_DAYS) if story == Story.QUIET else today
    _history(ctx, plan, status, started, last_news)
    _revisions(plan, started, rich)
    _goals(plan, theme, index, today, story)
    _updates(plan, index, started, last_news, story)
    _comments(ctx, plan, index, started, today, rich)
    return plan


def _history(ctx, plan, status, started, today) -> None:
    fellow, staff = plan.enrollment.user, ctx.staff
    steps = [("", PlanStatus.DRAFT, fellow, "")]
    if status != PlanStatus.DRAFT:
        steps.append((PlanStatus.DRAFT, PlanStatus.SUBMITTED, fellow, ""))
    if status == PlanStatus.CHANGES_REQUESTED:
        steps.append(
            (
                PlanStatus.SUBMITTED,
                PlanStatus.CHANGES_REQUESTED,
                staff,
                "Please name the families the equity aim is about, and add a measure we "
                "can report to funders.",
            )
        )
    if status in (PlanStatus.APPROVED, PlanStatus.COMPLETED):
        steps.append((PlanStatus.SUBMITTED, PlanStatus.APPROVED, staff, ""))
    if status == PlanStatus.COMPLETED:
        steps.append((PlanStatus.APPROVED, PlanStatus.COMPLETED, None, ""))
    span = max((today - started).days, len(steps))
    for i, (before, after, who, note) in enumerate(steps):
        day = started + timedelta(days=span * i // len(steps))
        PlanStatusChange.objects.create(
            plan=plan,
            from_status=before,
            to_status=after,
            changed_by=who,
            changed_at=_at(day, 14 + i),
            note=note,
        )
    ActionPlan.objects.filter(pk=plan.pk).update(status_changed_at=_at(day, 14 + i))


def _revisions(plan, started, rich) -> None:
    first = plan.text_snapshot()
    author = plan.enrollment.user
    if rich:
        earlier = dict(first, equity_aim="Rural families.", success_measures="More CHWs paid.")
        PlanRevision.objects.create(
            plan=plan, number=1, author=author, created_at=_at(started), snapshot=earlier
        )
        PlanRevision.objects.create(
            plan=plan,
            number=2,
            author=author,
            created_at=_at(started + timedelta(21)),
            snapshot=first,
        )
    else:
        PlanRevision.objects.create(
            plan=plan, number=1, author=author, created_at=_at(started), snapshot=first
        )


def _goals(plan, theme, index, today, story) -> None:
    cohort = plan.enrollment.cohort
    completed = plan.status == PlanStatus.COMPLETED
    rich = story == Story.RICH
    pattern = list(MILESTONES[story])
    if plan.status == PlanStatus.DRAFT:
        pattern = DRAFT_MILESTONES
    elif story == Story.ON_TRACK and index % 4 == 3:
        pattern[3] = BLOCKED_SOON
    step = 0
    for g, (goal_title, milestone_titles) in enumerate(theme.goals):
        goal = Goal.objects.create(plan=plan, title=goal_title, order=g)
        titles = milestone_titles if rich or index % 2 else milestone_titles[:2]
        for m, title in enumerate(titles):
            offset, status = pattern[step % len(pattern)]
            step += 1
            due = _clamp(today + timedelta(days=offset), cohort)
            if completed:
                due = _clamp(cohort.start_date + timedelta(days=60 * (step + 1)), cohort)
                status = MilestoneStatus.DONE if (step + index) % 7 else MilestoneStatus.BLOCKED
            done_on = _clamp(due - timedelta(days=2), cohort) if status == "done" else None
            Milestone.objects.create(
                goal=goal,
                title=title,
                due_date=due,
                status=status,
                completed_on=done_on,
                order=m,
                evidence_note="Signed memo on the shared drive." if status == "done" else "",
            )


def _update_texts(story, index, count) -> list[tuple[str, str]]:
    """(signal, text) of a fellow's updates, newest first."""
    on_track: list[tuple[str, str]] = [
        (ProgressSignal.ON_TRACK, UPDATES_ON_TRACK[(index + i) % len(UPDATES_ON_TRACK)])
        for i in range(count)
    ]
    if story == Story.RICH:
        return [(ProgressSignal.AT_RISK, UPDATE_AT_RISK), on_track[0]] + [
            (ProgressSignal.OFF_TRACK, UPDATE_OFF_TRACK),
            *on_track[1:],
        ][: count - 2]
    return on_track


def _updates(plan, index, started, last_news, story) -> None:
    """Progress updates every two weeks or so up to `last_news` (a week or two ago)."""
    if plan.status == PlanStatus.DRAFT:
        return
    count = 4 if story == Story.RICH else 1 + index % 3
    for i, (signal, body) in enumerate(_update_texts(story, index, count)):
        as_of = last_news - timedelta(days=7 + 14 * i + index % 5)
        if as_of < started:
            break
        update = ProgressUpdate.objects.create(
            plan=plan, author=plan.enrollment.user, as_of=as_of, signal=signal, body=body
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=_at(as_of, 18))


def _comments(ctx, plan, index, started, today, rich) -> None:
    coach = ctx.objects.get("coach")
    coached = coach is not None and plan.enrollment.coach_assignments.filter(coach=coach).exists()
    comments = []
    if coached:
        comments.append((coach, COMMENTS_BY_COACH[index % len(COMMENTS_BY_COACH)], None))
    if rich or index % 2 == 0:
        comments.append((ctx.staff, COMMENTS_BY_STAFF[index % len(COMMENTS_BY_STAFF)], None))
    if rich:
        blocked = Milestone.objects.filter(goal__plan=plan, status="blocked").first()
        if coach is not None:
            comments.append(
                (coach, "What is blocking this one, and who could unblock it?", blocked)
            )
        comments.append(
            (
                plan.enrollment.user,
                "Waiting on legal review; I'll raise it with the director.",
                blocked,
            )
        )
    for i, (author, body, milestone) in enumerate(comments):
        comment = PlanComment.objects.create(
            plan=plan, author=author, body=body, milestone=milestone
        )
        when = _at(max(started, today - timedelta(days=10 - 2 * i)), 16)
        PlanComment.objects.filter(pk=comment.pk).update(created_at=when)
