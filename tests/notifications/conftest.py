"""Objects the notification tests build from the cast: plans with milestones, a stand-in
calendar event (the calendar-event interface of notifications/hooks.py) and helpers."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core import mail

from accounts.models import User
from action_plans.models import ActionPlan, Goal, Milestone, PlanStatus
from notifications.delivery import deliver_batch
from notifications.models import Notification

UTC = datetime.UTC


@dataclass
class FakeEvent:
    """A stand-in for Session / CoachingSession / GroupMeeting in tests of the machinery."""

    starts_at: datetime.datetime
    attendees: list = field(default_factory=list)
    pk: int = 4242
    code: uuid.UUID = field(default_factory=uuid.uuid4)
    title: str = "Monthly session: Systems thinking"
    video_url: str = "https://zoom.example/j/1"
    location_text: str = ""
    sequence: int = 0
    cancelled_at: datetime.datetime | None = None
    _meta = SimpleNamespace(label_lower="curriculum.session")

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(hours=1, minutes=30)

    @property
    def calendar_title(self):
        return self.title

    def expected_attendees(self):
        return User.objects.filter(pk__in=[u.pk for u in self.attendees])

    def get_absolute_url(self):
        return f"/sessions/{self.code}/"


@pytest.fixture
def make_plan():
    def make(enrollment, *, status=PlanStatus.APPROVED, milestones=()):
        plan = ActionPlan.objects.create(
            enrollment=enrollment, title=f"Plan of {enrollment.user}", status=status
        )
        goal = Goal.objects.create(plan=plan, title="Expand postpartum coverage")
        made = [
            Milestone.objects.create(goal=goal, title=title, due_date=due)
            for title, due in milestones
        ]
        return plan, made

    return make


@pytest.fixture
def send_due():
    """Delivers every pending row of the ledger, as a worker would."""

    def run(now=None):
        ids = list(Notification.objects.filter(state="pending").values_list("pk", flat=True))
        return deliver_batch(ids, now=now)

    return run


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


def at(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)
