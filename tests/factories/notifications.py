import datetime

import factory
from django.utils import timezone

from action_plans.notices import MILESTONE_DUE
from notifications.models import Notification, NotificationSettings, State

from .accounts import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A ledger row; by default a delivered (in-app visible) milestone nudge."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = MILESTONE_DUE.key
    subject_type = "action_plans.milestone"
    subject_id = factory.Sequence(lambda n: n + 1)
    occurrence = "due:2026-12-01"
    due_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=5))
    state = State.SENT
    sent_at = factory.LazyFunction(timezone.now)
    title = factory.Sequence(lambda n: f"Milestone {n} is due today")
    url = "/notifications/"
    payload = factory.LazyFunction(
        lambda: {"milestone": "Draft the brief", "due_date": "2026-12-01"}
    )


class PendingNotificationFactory(NotificationFactory):
    state = State.PENDING
    sent_at = None


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
