import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .timezones import validate_time_zone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: fellow, coach, program staff or site admin. Roles come from relations
    (enrollments, staff memberships, coach assignments), not from a field here;
    `is_staff` only means access to the Django admin."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(
        max_length=80, blank=True, help_text="What we call you in emails and on pages."
    )
    pronouns = models.CharField(max_length=40, blank=True, help_text="For example she/her.")
    time_zone = models.CharField(
        max_length=64,
        default=settings.DEFAULT_USER_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Every time is shown to you in this zone.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin site access", default=False, help_text="Can log in to the Django admin."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.display_name


class InvitationRole(models.TextChoices):
    """What accepting an invitation makes someone. Staff roles match cohorts.StaffRole."""

    FELLOW = "fellow", "Fellow"
    COACH = "coach", "Coach"
    FACILITATOR = "facilitator", "Peer-group facilitator"
    DIRECTOR = "director", "Program director"
    COORDINATOR = "coordinator", "Program coordinator"

    @classmethod
    def staff_roles(cls):
        return [cls.DIRECTOR, cls.COORDINATOR]


class InvitationState(models.TextChoices):
    """Derived from the timestamps, never stored."""

    QUEUED = "queued", "Queued for sending"
    PENDING = "pending", "Sent, waiting"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked: it may still be sent, resent or accepted."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(TimeStampedModel):
    """An invitation to join a program in a role, sent by email as a single-use link.

    Only a hash of the link's token is stored; the token itself exists in the email alone.
    Every (re)send issues a new token, so an older link stops working."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=InvitationRole)
    enrollment = models.ForeignKey(
        "cohorts.Enrollment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="For fellows: the enrollment that becomes active on acceptance.",
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="accounts_invitation_token_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role=InvitationRole.FELLOW, enrollment__isnull=False)
                    | (~models.Q(role=InvitationRole.FELLOW) & models.Q(enrollment__isnull=True))
                ),
                name="accounts_invitation_fellow_has_enrollment",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="accounts_invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"Invitation of {self.user} as {self.get_role_display()} to {self.program}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def issue_token(self) -> str:
        """A new secret for the link; the old one stops working once this is saved."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token

    @property
    def state(self) -> InvitationState:
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if not self.sent_at or not self.token_hash:
            return InvitationState.QUEUED
        if self.expires_at is None or self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def get_state_display(self) -> str:
        return self.state.label
