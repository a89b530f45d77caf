"""Demo: accountability peer groups for the current cohort, built by the group builder, with
a series of meetings — past ones with attendance and check-ins, upcoming ones. The demo
fellow's group has a full history and one cancelled meeting. Idempotent: a cohort that has
groups keeps them, and a group that has meetings gets no new ones."""

from __future__ import annotations

import datetime

from cohorts.models import EnrollmentStatus
from demo.accounts import DemoContext
from networks import selectors, services
from networks.builder import propose_groups
from networks.models import AttendanceStatus, CheckIn, GroupMeeting, MeetingAttendance, PeerGroup

GROUP_NAMES = [
    "Kōkua",
    "Ceiba",
    "Saguaro",
    "Magnolia",
    "Cedar",
    "Koa",
    "Mangrove",
    "Juniper",
    "Sequoia",
    "Flamboyán",
    "Cottonwood",
    "Live Oak",
]

DONE = [
    "Met with the Medicaid director and got a yes to pilot the screening tool in two regions.",
    "Drafted the data-sharing agreement; legal has it for review.",
    "Held the first listening session with community health workers (14 came).",
    "Mapped which of our contracts already require language access plans.",
    "Presented the equity dashboard to the leadership team; they asked for county detail.",
    "Recruited two tribal health directors to the advisory group.",
    "Wrote the budget narrative for the doula coverage proposal.",
    "Only half done: the stakeholder interviews slipped because of the legislative session.",
]
ASKS = [
    "Has anyone negotiated a data-sharing agreement with a tribal nation? I'd love a template.",
    "How do you keep an advisory group engaged between meetings?",
    "I need a second pair of eyes on my success measures: are they too broad?",
    "Who has briefed a legislative committee on a waiver? What worked?",
    "",
    "Ideas for paying community members for their time without procurement delays?",
]
COMMITMENTS = [
    "Send the revised agreement to the tribal health board.",
    "Schedule the second listening session in the rural counties.",
    "Finish the stakeholder map and share it with my coach.",
    "Draft the one-page brief for the governor's policy office.",
    "Set up the monthly data pull with the epidemiology team.",
    "Ask two partner clinics to co-sign the pilot proposal.",
    "Write the milestone plan for the spring and post a progress update.",
]


def _facilitators(ctx):
    alumni = [e.user for e in ctx.past_enrollments if e.status == EnrollmentStatus.COMPLETED]
    return [ctx.staff, ctx.coach] + alumni[:1]


def _build_groups(ctx, cohort) -> list[PeerGroup]:
    existing = list(PeerGroup.objects.filter(cohort=cohort))
    if existing:
        return existing
    active = [e for e in ctx.current_enrollments if e.status == EnrollmentStatus.ACTIVE]
    by_pk = {e.pk: e for e in active}
    proposal = propose_groups([selectors.fellow_for(e) for e in active], size=5, seed=2026)
    facilitators = _facilitators(ctx)
    drafts = [
        services.GroupDraft(
            name=_name(index),
            enrollments=[by_pk[f.key] for f in group],
            facilitator=facilitators[index % len(facilitators)],
            video_url=f"https://meet.cohortwise.demo/group-{index + 1}",
        )
        for index, group in enumerate(proposal.groups)
    ]
    return services.groups_save(cohort=cohort, drafts=drafts, mode=services.SaveMode.REPLACE)


def _name(index: int) -> str:
    name = GROUP_NAMES[index % len(GROUP_NAMES)]
    return name if index < len(GROUP_NAMES) else f"{name} {index // len(GROUP_NAMES) + 1}"


def _schedule(ctx, group, fellow_group: bool) -> None:
    if group.meetings.exists():
        return
    cohort = group.cohort
    first = max(cohort.start_date, ctx.today - datetime.timedelta(weeks=10))
    weeks_left = (cohort.end_date - first).days // 7
    count = max(1, min(10, weeks_left // 2))
    if fellow_group:
        group.rotate_facilitation = True
        group.save(update_fields=["rotate_facilitation", "updated_at"])
    services.meetings_schedule_series(
        group=group,
        first_date=first,
        weekday=1 if fellow_group else (group.pk % 4) + 1,  # Tuesday to Friday
        start_time=datetime.time(13 if fellow_group else 12 + group.pk % 4),
        duration_minutes=75,
        every_weeks=2,
        count=count,
    )


def _history(ctx, group, full: bool) -> None:
    """Attendance and chained check-ins for the group's past meetings."""
    from django.utils import timezone

    now = timezone.now()
    past = list(group.meetings.filter(ends_at__lt=now).order_by("starts_at"))
    if not past or CheckIn.objects.filter(meeting__group=group).exists():
        return
    members = [m.enrollment for m in group.memberships.select_related("enrollment")]
    last_commitment: dict[int, str] = {}
    rng = ctx.rng
    for number, meeting in enumerate(past):
        for index, enrollment in enumerate(members):
            roll = rng.random()
            present = full or roll < 0.85
            status = AttendanceStatus.PRESENT if present else AttendanceStatus.EXCUSED
            if not full and roll > 0.95:
                status = AttendanceStatus.ABSENT
            MeetingAttendance.objects.create(
                meeting=meeting, enrollment=enrollment, status=status, recorded_by=ctx.staff
            )
            if status != AttendanceStatus.PRESENT:
                continue
            commitment = COMMITMENTS[(number + index * 3) % len(COMMITMENTS)]
            check_in = CheckIn.objects.create(
                meeting=meeting,
                enrollment=enrollment,
                committed=last_commitment.get(enrollment.pk, ""),
                done=DONE[(number * 2 + index) % len(DONE)],
                ask=ASKS[(number + index) % len(ASKS)],
                next_commitment=commitment,
            )
            last_commitment[enrollment.pk] = commitment
            milestone = _a_milestone(enrollment, number)
            if milestone is not None:
                check_in.milestones.add(milestone)


def _a_milestone(enrollment, number):
    from action_plans.models import Milestone

    milestones = list(
        Milestone.objects.filter(goal__plan__enrollment=enrollment).order_by("due_date", "pk")[:4]
    )
    return milestones[number % len(milestones)] if milestones else None


def _cancel_one(group) -> None:
    """One cancelled meeting in the demo: the group's second upcoming one (so the next
    meeting still shows), cancelled through the service so members get the calendar
    cancellation like in real use. Once per cohort: a cohort with a cancelled meeting is
    left alone."""
    from django.utils import timezone

    if group is None:
        return
    in_cohort = GroupMeeting.objects.filter(group__cohort=group.cohort_id)
    if in_cohort.exclude(cancelled_at=None).exists():
        return
    upcoming = list(GroupMeeting.objects.filter(group=group).upcoming(timezone.now())[:2])
    if upcoming:
        services.meeting_cancel(meeting=upcoming[-1])


def seed(ctx: DemoContext) -> None:
    cohort = ctx.current_cohort
    groups = _build_groups(ctx, cohort)
    fellow_group = next(
        (g for g in groups if g.memberships.filter(enrollment__user=ctx.fellow).exists()), None
    )
    for group in groups:
        is_fellow_group = group == fellow_group
        _schedule(ctx, group, is_fellow_group)
        _history(ctx, group, full=is_fellow_group)
    _cancel_one(fellow_group or (groups[0] if groups else None))
    ctx.objects["peer_groups"] = groups
    ctx.objects["fellow_group"] = fellow_group
    alumni = set(_facilitators(ctx)[2:])
    alumnus_facilitator = next((g.facilitator for g in groups if g.facilitator in alumni), None)
    if alumnus_facilitator is not None:
        ctx.logins["facilitator"] = alumnus_facilitator.email
