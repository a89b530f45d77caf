import datetime
import hashlib
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.links import code_url
from accounts.models import TimeStampedModel
from accounts.timezones import validate_time_zone

from .geography import StateOrTerritory


class PartnerOrganization(TimeStampedModel):
    """An organization that shares a program (the consortium case): one may partner in many."""

    name = models.CharField(max_length=200, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def validate_term(value: str) -> None:
    """A program's word: plain text that reads inside a sentence (no comma: Django's
    `pluralize` splits its two forms on one)."""
    if "," in value:
        raise ValidationError("Use a word or a few, without commas.")
    if value != value.strip() or not value.strip():
        raise ValidationError("Start and end with a letter, not a space.")


class EntitlementUnit(models.TextChoices):
    SESSIONS = "sessions", "Sessions"
    HOURS = "hours", "Hours"


class ProgramQuerySet(models.QuerySet):
    def staffed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(staff_memberships__user=user).distinct()


class Program(TimeStampedModel):
    """A fellowship that repeats yearly. Program policy (entitlements, thresholds, reminder
    cadence) lives here so staff can change it without a deploy."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    partners = models.ManyToManyField(PartnerOrganization, blank=True, related_name="programs")
    # People invited to facilitate peer groups who are neither staff, coaches nor alumni.
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_programs"
    )
    default_time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )

    # Coaching entitlement per fellow per cohort.
    coaching_entitlement_unit = models.CharField(
        max_length=10, choices=EntitlementUnit, default=EntitlementUnit.SESSIONS
    )
    coaching_entitlement_amount = models.DecimalField(
        max_digits=6, decimal_places=1, default=10, validators=[MinValueValidator(0)]
    )

    # At-risk thresholds (staff dashboard).
    at_risk_missed_sessions = models.PositiveSmallIntegerField(
        default=2, help_text="Missed sessions in a row that flag a fellow."
    )
    at_risk_days_without_coaching = models.PositiveSmallIntegerField(default=45)
    at_risk_days_without_plan_update = models.PositiveSmallIntegerField(default=30)

    # Coaching pace (coverage page and dashboard).
    coaching_behind_pace_percent = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(100)],
        help_text="Flag a fellow whose coaching is this share of the entitlement behind an "
        "even pace across the cohort year.",
    )
    coaching_running_low_percent = models.PositiveSmallIntegerField(
        default=20,
        validators=[MaxValueValidator(100)],
        help_text="Warn when at most this share of the entitlement is left.",
    )

    # Reminder cadence.
    milestone_nudge_days_before = models.PositiveSmallIntegerField(default=7)
    overdue_nudge_interval_days = models.PositiveSmallIntegerField(default=7)
    coach_log_nudge_hours = models.PositiveSmallIntegerField(default=24)

    # Coaching sessions fellows book themselves (coaching/booking/).
    coaching_change_cutoff_hours = models.PositiveSmallIntegerField(
        "Hours before a booked coaching session when fellows can no longer move or cancel it",
        default=24,
        validators=[MaxValueValidator(14 * 24)],
    )

    # Security: staff and the site admin always use a second factor; coaches where this says so.
    coaches_need_mfa = models.BooleanField(
        "Coaches must use two-factor authentication",
        default=False,
        help_text="Coaches of this program set up an authenticator app or a passkey and use "
        "it at every sign-in. Program staff always do.",
    )

    # Invitations.
    invitation_valid_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How many days an invitation link works after it is sent (1–90).",
    )

    # The program's own words (cohorts/terms.py): what its participants, plan and peer groups
    # are called on every page, email and export.
    participant_singular = models.CharField(
        "a participant is called",
        max_length=40,
        validators=[validate_term],
        default="fellow",
        help_text="One person taking part, in lower case: fellow, scholar, participant.",
    )
    participant_plural = models.CharField(
        "participants are called",
        max_length=40,
        validators=[validate_term],
        default="fellows",
        help_text="e.g. scholars.",
    )
    plan_name = models.CharField(
        "the plan is called",
        max_length=80,
        validators=[validate_term],
        default="Leadership Action Plan",
        help_text="Its full name, as in titles: Advocacy Action Project.",
    )
    plan_short_name = models.CharField(
        "the plan in short",
        max_length=40,
        validators=[validate_term],
        default="plan",
        help_text="A word for it in running text, in lower case: plan, project.",
    )
    group_singular = models.CharField(
        "a peer group is called",
        max_length=60,
        validators=[validate_term],
        default="peer group",
        help_text="In lower case: peer group, accountability network, peer-coaching pair.",
    )
    group_plural = models.CharField(
        "peer groups are called",
        max_length=60,
        validators=[validate_term],
        default="peer groups",
        help_text="e.g. pairs.",
    )
    plan_intro = models.CharField(
        "what the plan is for",
        max_length=300,
        default="Your plan advances a strategic initiative for your agency and the communities "
        "it serves.",
        help_text="One or two sentences at the top of the plan form and the start page.",
    )
    # Peer groups: the sizes the group builder keeps to (pairs and trios for peer coaching).
    group_size_min = models.PositiveSmallIntegerField(
        "smallest group",
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(8)],
        help_text="The fewest members a peer group has (2–8).",
    )
    group_size_max = models.PositiveSmallIntegerField(
        "largest group",
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(8)],
        help_text="The most members a peer group has (2–8).",
    )
    # Sections shown and the goals and milestones every new plan starts with
    # (cohorts/plan_template.py).
    plan_template = models.JSONField(default=dict, blank=True)
    # {section key: {"label": ..., "help": ...}}: only what differs from the defaults.
    plan_sections = models.JSONField(default=dict, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coaching_entitlement_amount__gte=0),
                name="cohorts_program_entitlement_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(invitation_valid_days__gte=1, invitation_valid_days__lte=90),
                name="cohorts_program_invitation_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    coaching_behind_pace_percent__lte=100, coaching_running_low_percent__lte=100
                ),
                name="cohorts_program_coaching_percents_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    group_size_min__gte=2,
                    group_size_max__lte=8,
                    group_size_min__lte=F("group_size_max"),
                ),
                name="cohorts_program_group_sizes_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        from .terms import validate_plan_sections

        validate_plan_sections(self.plan_sections)
        from .plan_template import validate_plan_template

        validate_plan_template(self.plan_template)
        if (
            self.group_size_min is not None
            and self.group_size_max is not None
            and self.group_size_min > self.group_size_max
        ):
            raise ValidationError(
                {"group_size_max": "The largest group cannot be smaller than the smallest."}
            )

    def get_absolute_url(self):
        return reverse("cohorts:program_detail", kwargs={"slug": self.slug})

    @property
    def terms(self):
        """The program's words (cohorts/terms.py)."""
        from .terms import Terms

        return Terms.of(self)


class StaffRole(models.TextChoices):
    DIRECTOR = "director", "Program director"
    COORDINATOR = "coordinator", "Program coordinator"


class ProgramStaff(TimeStampedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="staff_memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    role = models.CharField(max_length=20, choices=StaffRole, default=StaffRole.COORDINATOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="cohorts_programstaff_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.program}"

    def clean(self):
        """A program never loses its last director, whoever edits (services, the admin);
        on PostgreSQL a trigger (migration cohorts 0007) refuses it too."""
        super().clean()
        if self.pk and self.role != StaffRole.DIRECTOR and self.is_last_director(stored=True):
            raise ValidationError(
                {
                    "role": f"{self.user} is the program’s only director; make someone else "
                    "director first."
                }
            )

    def is_last_director(self, *, stored: bool = False) -> bool:
        """Whether this row is (or, with stored=True, was when last saved) the program's only
        director."""
        role = (
            ProgramStaff.objects.filter(pk=self.pk).values_list("role", flat=True).first()
            if stored
            else self.role
        )
        if role != StaffRole.DIRECTOR:
            return False
        others = ProgramStaff.objects.filter(program_id=self.program_id, role=StaffRole.DIRECTOR)
        return not others.exclude(pk=self.pk).exists()


class CohortStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cohorts whose roster and schedule the user may read (PRODUCT.md's first row)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(program__staff_memberships__user=user)
            | Q(
                enrollments__user=user,
                enrollments__status__in=EnrollmentStatus.with_cohort_access(),
            )
            | Q(
                enrollments__coach_assignments__coach=user,
                enrollments__coach_assignments__ended_at__isnull=True,
            )
            | Q(peer_groups__facilitator=user)
        ).distinct()


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday())."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


GROUP_MEETING_FIELDS = [
    "group_meeting_every_weeks",
    "group_meeting_weekday",
    "group_meeting_time",
    "group_meeting_minutes",
]


class Cohort(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="For example “2026–2027 cohort”.")
    start_date = models.DateField()
    end_date = models.DateField()
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Where the program team sits; each viewer still sees their own zone.",
    )
    status = models.CharField(max_length=12, choices=CohortStatus, default=CohortStatus.PLANNED)
    framework = models.ForeignKey(
        "curriculum.CompetencyFramework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    # The peer groups' meeting pattern: what scheduling a group's meetings starts from, and
    # what a copy of the cohort carries into the next year. The time is the cohort's.
    group_meeting_every_weeks = models.PositiveSmallIntegerField(
        "Peer groups meet every … weeks",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    group_meeting_weekday = models.PositiveSmallIntegerField(
        "Meeting day", choices=Weekday, null=True, blank=True
    )
    group_meeting_time = models.TimeField(
        "Meeting time (in the cohort's time zone)", null=True, blank=True
    )
    group_meeting_minutes = models.PositiveSmallIntegerField(
        "Meeting length (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="cohorts_cohort_ends_after_start",
            ),
            models.UniqueConstraint(fields=["program", "name"], name="cohorts_cohort_unique_name"),
        ]

    def __str__(self):
        return f"{self.program.name} — {self.name}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The cohort must end after it starts."})

    def group_meeting_pattern(self) -> dict:
        """The parts of the meeting pattern staff set, by the names of the scheduling form."""
        pattern = {
            "every_weeks": self.group_meeting_every_weeks,
            "weekday": self.group_meeting_weekday,
            "start_time": self.group_meeting_time,
            "duration_minutes": self.group_meeting_minutes,
        }
        return {name: value for name, value in pattern.items() if value is not None}

    def group_meeting_summary(self) -> str:
        """“Every 2 weeks on Tuesday at 12:00 for 75 minutes”, or "" when none is set."""
        parts = []
        if self.group_meeting_every_weeks:
            n = self.group_meeting_every_weeks
            parts.append("Every week" if n == 1 else f"Every {n} weeks")
        if self.group_meeting_weekday is not None:
            parts.append(f"on {Weekday(self.group_meeting_weekday).label}")
        if self.group_meeting_time is not None:
            parts.append(f"at {self.group_meeting_time:%H:%M}")
        if self.group_meeting_minutes:
            parts.append(f"for {self.group_meeting_minutes} minutes")
        if not parts:
            return ""
        text = " ".join(parts)
        return text[0].upper() + text[1:]

    def get_absolute_url(self):
        return code_url("cohorts:cohort_detail", self.code)

    def local_date(self, moment: datetime.datetime | None = None) -> datetime.date:
        """The calendar day of `moment` (default: now) where the cohort runs. Day-based
        rules (windows, due dates, pace, thresholds) count on this calendar, whoever looks."""
        # The one place a "today" is computed (ruff bans timezone.localdate elsewhere).
        return timezone.localdate(moment or timezone.now(), zoneinfo.ZoneInfo(self.time_zone))

    def has_ended(self) -> bool:
        """Completed, or past its end date: its people may be loaded as alumni."""
        return self.status == CohortStatus.COMPLETED or self.end_date < self.local_date()


class Sector(models.TextChoices):
    MEDICAID = "medicaid", "Medicaid"
    PUBLIC_HEALTH = "public_health", "Public health"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    GOVERNORS_OFFICE = "governors_office", "Governor’s office"
    LEGISLATURE = "legislature", "Legislature"
    CLINICAL = "clinical", "Clinical"
    COMMUNITY = "community", "Community organization"
    OTHER = "other", "Other"


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def with_cohort_access(cls):
        """Statuses that let a fellow into their cohort's pages; alumni keep access."""
        return [cls.ACTIVE, cls.COMPLETED]

    @classmethod
    def allowed_transitions(cls):
        return {
            cls.INVITED: {cls.ACTIVE, cls.WITHDRAWN},
            cls.ACTIVE: {cls.COMPLETED, cls.WITHDRAWN},
            cls.COMPLETED: set(),
            cls.WITHDRAWN: {cls.ACTIVE},
        }


class EnrollmentQuerySet(models.QuerySet):
    def with_cohort_access(self):
        return self.filter(status__in=EnrollmentStatus.with_cohort_access())

    def current(self):
        """Fellows still in the program: invited or active."""
        return self.filter(status__in=[EnrollmentStatus.INVITED, EnrollmentStatus.ACTIVE])


class Enrollment(TimeStampedModel):
    """A participant (fellow) in one cohort. Fellows of completed cohorts are alumni."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    state = models.CharField("state or territory", max_length=2, choices=StateOrTerritory)
    agency = models.CharField("agency or organization", max_length=200)
    title = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, choices=Sector, default=Sector.OTHER)
    bio = models.TextField(blank=True, max_length=2000)
    directory_opt_in = models.BooleanField(
        default=False, help_text="List me in the program directory."
    )
    status = models.CharField(
        max_length=12, choices=EnrollmentStatus, default=EnrollmentStatus.INVITED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    # The partner organization that sponsors this participant (one of the program's partners).
    partner = models.ForeignKey(
        PartnerOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="sponsoring partner",
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="cohorts_enrollment_one_per_person_per_cohort"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="cohorts_enrollment_withdrawn_has_date",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="cohorts_enr_cohort_status")]

    def __str__(self):
        return f"{self.user} in {self.cohort.name}"

    def get_absolute_url(self):
        return code_url("cohorts:enrollment_detail", self.code)

    def clean(self):
        super().clean()
        if (
            self.partner_id
            and self.cohort_id
            and not Program.partners.through.objects.filter(
                program_id=self.cohort.program_id, partnerorganization_id=self.partner_id
            ).exists()
        ):
            raise ValidationError({"partner": "Choose one of the program’s partner organizations."})

    @property
    def is_alumnus(self) -> bool:
        return self.status == EnrollmentStatus.COMPLETED

    def can_move_to(self, status) -> bool:
        return status in EnrollmentStatus.allowed_transitions()[self.status]


class EnrollmentStatusChange(models.Model):
    """Who moved an enrollment from one status to another, and when."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=EnrollmentStatus, blank=True)
    to_status = models.CharField(max_length=12, choices=EnrollmentStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.enrollment}: {self.from_status or '—'} → {self.to_status}"


class Visibility(models.TextChoices):
    """Who sees one field of a fellow's directory entry. Each level includes the ones above it:
    staff see everything, current members see "members" and "network" fields, alumni see
    "network" fields."""

    STAFF = "staff", "Program staff only"
    MEMBERS = "members", "Program members (current fellows, coaches and staff)"
    NETWORK = "network", "Alumni network (current and past fellows)"

    @classmethod
    def reach_of_staff(cls) -> frozenset[str]:
        return frozenset({cls.STAFF, cls.MEMBERS, cls.NETWORK})

    @classmethod
    def reach_of_member(cls) -> frozenset[str]:
        return frozenset({cls.MEMBERS, cls.NETWORK})

    @classmethod
    def reach_of_alumnus(cls) -> frozenset[str]:
        return frozenset({cls.NETWORK})


# Directory fields a fellow sets a visibility for. Name and cohort come with the listing itself.
DIRECTORY_FIELDS = ("pronouns", "state", "agency", "title", "sector", "bio", "photo")
DEFAULT_VISIBILITY = Visibility.MEMBERS


def _photo_path(instance, filename) -> str:
    # A random name: the file is only ever served through an access-checked view.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"profile-photos/{uuid.uuid4().hex}.{extension}"


def _visibility_field(label):
    return models.CharField(
        f"who sees my {label}", max_length=10, choices=Visibility, default=DEFAULT_VISIBILITY
    )


class ParticipantProfile(TimeStampedModel):
    """What a person chooses about their directory entry: a photo and, per field, who sees it.
    Kept per person, so the choices stay when a cohort completes and its fellows become alumni.
    (Bio and the opt-in itself live on each Enrollment, as the issue asks.)"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_profile"
    )
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    pronouns_visibility = _visibility_field("pronouns")
    state_visibility = _visibility_field("state or territory")
    agency_visibility = _visibility_field("agency")
    title_visibility = _visibility_field("title")
    sector_visibility = _visibility_field("sector")
    bio_visibility = _visibility_field("bio")
    photo_visibility = _visibility_field("photo")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}_visibility__in": Visibility.values for name in DIRECTORY_FIELDS}
                ),
                name="cohorts_participantprofile_visibility_valid",
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"


class RosterImport(TimeStampedModel):
    """An uploaded roster CSV: checked (dry run) when uploaded, applied all-or-nothing later.
    The file's text is kept until then, so the dry run and the import read the same rows."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.TextField()
    applied_at = models.DateTimeField(null=True, blank=True)
    as_alumni = models.BooleanField(
        "these people completed this cohort",
        default=False,
        help_text="Load them directly as alumni: no invitation, no coaching.",
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} for {self.cohort}"

    def get_absolute_url(self):
        return code_url("cohorts:roster_import_preview", self.code)


class InvitationRole(models.TextChoices):
    """What accepting an invitation makes someone. Staff roles match StaffRole; the coach
    role is given by coaching (cohorts.invitations.register_role)."""

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


def invitation_state(
    *,
    revoked_at: datetime.datetime | None,
    accepted_at: datetime.datetime | None,
    sent_at: datetime.datetime | None,
    token_hash: str | None,
    expires_at: datetime.datetime | None,
    now: datetime.datetime,
) -> InvitationState:
    """An invitation's state from its timestamps (also for rows read without the model)."""
    if revoked_at:
        return InvitationState.REVOKED
    if accepted_at:
        return InvitationState.ACCEPTED
    if not sent_at or not token_hash:
        return InvitationState.QUEUED
    if expires_at is None or expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked: it may still be sent, resent or accepted."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(TimeStampedModel):
    """An invitation to join a program in a role, sent by email as a single-use link.

    Only a hash of the link's token is stored; the token itself exists in the email alone.
    Every (re)send issues a new token, so an older link stops working."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=InvitationRole)
    enrollment = models.ForeignKey(
        Enrollment,
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
                name="cohorts_invitation_token_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="cohorts_invitation_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role=InvitationRole.FELLOW, enrollment__isnull=False)
                    | (~models.Q(role=InvitationRole.FELLOW) & models.Q(enrollment__isnull=True))
                ),
                name="cohorts_invitation_fellow_has_enrollment",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="cohorts_invitation_not_accepted_and_revoked",
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
        return invitation_state(
            revoked_at=self.revoked_at,
            accepted_at=self.accepted_at,
            sent_at=self.sent_at,
            token_hash=self.token_hash,
            expires_at=self.expires_at,
            now=timezone.now(),
        )

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def get_state_display(self) -> str:
        return self.state.label
