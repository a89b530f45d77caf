"""Demo data of notifications (the last seeder): default delivery choices for every
demo login, and a few sent notifications — some read, most unread — so the badge and the
list have something to show. Idempotent: rows are keyed on the ledger's unique key."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from action_plans.models import Milestone, MilestoneStatus
from cohorts.models import EnrollmentStatus, ProgramStaff
from curriculum.models import Session
from notifications.ledger import event_occurrence, event_snapshot, row
from notifications.models import Kind, Notification, NotificationSettings, State


def _upsert(note: Notification, *, state: str, sent_at, read: bool) -> None:
    Notification.objects.update_or_create(
        recipient_id=note.recipient_id,
        kind=note.kind,
        subject_type=note.subject_type,
        subject_id=note.subject_id,
        occurrence=note.occurrence,
        defaults={
            "due_at": note.due_at,
            "title": note.title,
            "url": note.url,
            "payload": note.payload,
            "enrollment_id": note.enrollment_id,
            "state": state,
            "sent_at": sent_at,
            "read_at": sent_at if read else None,
        },
    )


def seed(ctx) -> None:
    now = timezone.now().replace(microsecond=0)
    users = list(User.objects.filter(email__in=ctx.logins.values()))
    for user in users:
        NotificationSettings.objects.get_or_create(user=user)
        _seed_fellow(user, now)
        _seed_staff(user, now)


def _seed_fellow(user, now) -> None:
    enrollment = user.enrollments.filter(status=EnrollmentStatus.ACTIVE).first()
    if enrollment is None:
        return
    session = (
        Session.objects.scheduled()
        .filter(cohort=enrollment.cohort, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    if session is not None:
        note = row(
            recipient_id=user.pk,
            kind=Kind.SESSION_24H,
            subject_type="curriculum.session",
            subject_id=session.pk,
            occurrence=event_occurrence(session.starts_at),
            due_at=now - datetime.timedelta(days=1),
            enrollment_id=enrollment.pk,
            title=f"Reminder: {session.calendar_title}",
            url=session.get_absolute_url(),
            payload=event_snapshot(session),
        )
        _upsert(note, state=State.SENT, sent_at=now - datetime.timedelta(days=1), read=True)
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
            kind=Kind.MILESTONE_OVERDUE if overdue else Kind.MILESTONE_SOON,
            subject_type="action_plans.milestone",
            subject_id=milestone.pk,
            occurrence=f"demo:{milestone.due_date}",
            due_at=now - datetime.timedelta(hours=3 + offset),
            enrollment_id=enrollment.pk,
            title=f"{'Overdue' if overdue else 'Due soon'}: {milestone.title}",
            url=milestone.goal.plan.get_absolute_url(),
            payload={
                "milestone": milestone.title,
                "due_date": milestone.due_date.isoformat(),
                "plan": milestone.goal.plan.title,
            },
        )
        sent_at = now - datetime.timedelta(hours=3 + offset)
        _upsert(note, state=State.SENT, sent_at=sent_at, read=False)


def _seed_staff(user, now) -> None:
    for membership in ProgramStaff.objects.filter(user=user).select_related("program"):
        monday = now.date() - datetime.timedelta(days=now.weekday())
        year, week, _ = monday.isocalendar()
        note = row(
            recipient_id=user.pk,
            kind=Kind.STAFF_DIGEST,
            subject_type="cohorts.program",
            subject_id=membership.program_id,
            occurrence=f"{year}-W{week:02d}",
            due_at=now - datetime.timedelta(hours=2),
            title=f"Weekly digest: {membership.program.name}",
            url=membership.program.get_absolute_url(),
            payload={"program_id": membership.program_id},
        )
        _upsert(note, state=State.SENT, sent_at=now - datetime.timedelta(hours=2), read=False)
