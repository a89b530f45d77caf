"""The notification ledger and each person's delivery preferences.

A `Notification` row is written *before* anything is sent: one per (recipient, kind, subject,
occurrence), enforced by a unique constraint, so a retried task, a second beat or a worker
killed mid-batch can never produce a second message. The same rows are the in-app list.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.links import code_url
from accounts.models import TimeStampedModel

from . import registry
from .notices import DAILY_DIGEST


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me right away"
    DIGEST = "digest", "Collect into one daily email"
    NONE = "none", "No email (only here in Cohortwise)"


class State(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    # Claimed and being handed to the mail server (committed before the server is contacted,
    # so a crash leaves a trace instead of a silently pending row).
    SENDING = "sending", "Being sent"
    SENT = "sent", "Emailed"
    IN_APP = "in_app", "Shown in Cohortwise only"
    HELD = "held", "Held for the daily digest"
    DIGESTED = "digested", "Emailed in a digest"
    SKIPPED = "skipped", "Not sent"
    FAILED = "failed", "Failed: rejected, or still failing when it went stale"


# States in which the notification is shown in the in-app list (an email that could not be
# sent is still worth seeing here).
VISIBLE_STATES = [State.SENT, State.IN_APP, State.HELD, State.DIGESTED, State.FAILED]


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        """Unsent rows whose time has come (served by the partial index)."""
        return self.filter(state=State.PENDING, due_at__lte=now)

    def visible(self):
        """What the in-app list shows: delivered rows, and rows whose email waits for the
        end of quiet hours (they reached the list when they came due)."""
        shown = Q(state__in=VISIBLE_STATES) | Q(state=State.PENDING, sent_at__isnull=False)
        return self.filter(shown).exclude(kind=DAILY_DIGEST.key)

    def unread(self):
        return self.visible().filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """One message to one person about one thing, once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A person with an account, or (`recipient_email`) someone without one, such as a 360°
    # rater: exactly one of the two is set. An email-only row has no preferences, no in-app
    # list and no digest; it is emailed at once, outside quiet hours in `payload["time_zone"]`.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient_email = models.EmailField(blank=True)
    # A key of a kind some app registered (registry.py): its text, topic and delivery rules.
    kind = models.CharField(max_length=registry.KIND_MAX_LENGTH, choices=registry.kind_choices)
    # The thing it is about, as "app_label.model" and primary key (sessions, milestones, ...).
    subject_type = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    # Which time this subject is notified about: "2026-12-01T15:00Z", "overdue:2", "seq:3".
    occurrence = models.CharField(max_length=64)
    # A fellow's enrollment this is about: nothing is sent once it is withdrawn (the rule is
    # the cohorts app's, registered in cohorts/notices.py).
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Not sent after this moment (the session started)."
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    # What the message shows, captured when the row is written (times as ISO UTC strings).
    payload = models.JSONField(default=dict, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    # When it reached the person: emailed, or shown in the list (a row whose email waits for
    # the end of quiet hours is shown, and keeps this time when the email goes).
    sent_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=40, blank=True)
    # Sends that failed. A temporary failure is tried again with backoff until the row would
    # be stale; a permanent one (the server rejected the address) marks it failed at once.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last try failed: the mail server's reply code and text, or the exception's class
    # name (never an exception's message, which may quote the email).
    last_error = models.CharField(max_length=200, blank=True)
    # When the first of the current run of failures happened (cleared once sent).
    failing_since = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row to send it (state "sending").
    sending_since = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="digested"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "occurrence"],
                name="notifications_notification_once",
            ),
            # The same for rows addressed to an email (NULL recipients never collide above).
            models.UniqueConstraint(
                fields=["recipient_email", "kind", "subject_type", "subject_id", "occurrence"],
                condition=Q(recipient__isnull=True),
                name="notifications_notification_once_per_email",
            ),
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(recipient_email=""))
                | (Q(recipient__isnull=True) & ~Q(recipient_email="")),
                name="notifications_notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="notifications_notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | Q(attempts__gt=0),
                name="notifications_notification_failed_was_attempted",
            ),
        ]
        indexes = [
            # The sweep: "due and unsent".
            models.Index(
                fields=["due_at"],
                condition=Q(state="pending"),
                name="notifications_due_unsent",
            ),
            models.Index(
                fields=["recipient", "state"],
                condition=Q(state="held"),
                name="notifications_held_digest",
            ),
            models.Index(fields=["recipient", "read_at", "state"], name="notifications_inbox"),
            # The sweep's recovery of rows whose worker died while sending.
            models.Index(
                fields=["sending_since"],
                condition=Q(state="sending"),
                name="notifications_sending",
            ),
            # What the ledger already holds about a subject (the sweep's anti-join, and the
            # rows of a moved or cancelled event).
            models.Index(fields=["subject_type", "subject_id"], name="notifications_subject"),
        ]

    def __str__(self):
        to = self.recipient_id if self.recipient_id else self.recipient_email
        return f"{self.get_kind_display()} for {to}: {self.title}"

    @property
    def is_to_email(self) -> bool:
        """Addressed to an email, not to an account (a 360° rater)."""
        return self.recipient_id is None

    @property
    def to_address(self) -> str:
        if self.recipient is None:
            return self.recipient_email
        return self.recipient.email

    @property
    def to_name(self) -> str:
        """Who it is for, as staff pages name them."""
        if self.recipient is None:
            return self.payload.get("recipient_name") or self.recipient_email
        return self.recipient.display_name

    @property
    def time_zone(self) -> str:
        """The zone its times are shown in and its quiet hours counted in."""
        if self.recipient is None:
            return self.payload.get("time_zone") or settings.TIME_ZONE
        return self.recipient.time_zone

    def get_absolute_url(self):
        return code_url("notifications:open", self.code)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(TimeStampedModel):
    """Quiet hours and the secret calendar-feed token of one person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_start = models.TimeField(
        default=datetime.time(21, 0), help_text="No email from this time (your own time zone)…"
    )
    quiet_end = models.TimeField(
        default=datetime.time(7, 0),
        help_text="…until this time. The daily digest is sent then, too.",
    )
    calendar_token = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"


class NotificationPreference(TimeStampedModel):
    """How one person wants one topic delivered (no row: immediately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    topic = models.CharField(max_length=registry.TOPIC_MAX_LENGTH, choices=registry.topic_choices)
    delivery = models.CharField(max_length=10, choices=Delivery, default=Delivery.IMMEDIATE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="notifications_notificationpreference_one_per_topic"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_topic_display()} — {self.get_delivery_display()}"
