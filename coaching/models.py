"""Coaching: coach profiles, assignments of a coach to a fellow, coaching sessions and the
three levels of confidentiality of what is said in them (PRODUCT.md):

* the facts of a session (when, how long, status, competencies) — on `CoachingSession`,
  read by program staff for entitlement and reports;
* the shared summary — on `CoachingSession`, read by the coach and the fellow, and by staff
  only while the fellow's `CoachingPreferences.share_summaries_with_staff` is on;
* private notes — in their own table, `PrivateNote`, keyed to the authoring coach. The
  foreign keys have no reverse accessor (`related_name="+"`), the model is not registered in
  the admin, and the only reader is `selectors.private_note_for_author`.
"""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.links import code_url
from accounts.models import TimeStampedModel
from accounts.timezones import validate_time_zone

from .booking.rules import SLOT_GONE


def split_list(text: str) -> list[str]:
    """ "English, Spanish; Tagalog" → ["English", "Spanish", "Tagalog"] (order kept)."""
    items: list[str] = []
    for raw in text.replace(";", ",").replace("\n", ",").split(","):
        item = raw.strip()
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    return items


class CoachProfile(TimeStampedModel):
    """Makes a user a coach; the programs they coach for, what they know, whom they can take."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile"
    )
    programs = models.ManyToManyField("cohorts.Program", blank=True, related_name="coaches")
    bio = models.TextField(blank=True, max_length=3000)
    capacity = models.PositiveSmallIntegerField(
        default=6, help_text="How many fellows this coach can take at once."
    )
    expertise = models.ManyToManyField(
        "curriculum.Competency",
        blank=True,
        related_name="expert_coaches",
        help_text="Competencies of the framework this coach works on best.",
    )
    expertise_tags = models.CharField(
        "other expertise",
        max_length=300,
        blank=True,
        help_text="Free tags, separated by commas (e.g. Medicaid policy, conflict, burnout).",
    )
    languages = models.CharField(
        max_length=200,
        blank=True,
        default="English",
        help_text="Languages the coach coaches in, separated by commas.",
    )
    regions = models.CharField(
        "states or regions known",
        max_length=300,
        blank=True,
        help_text="State or territory codes or regions, separated by commas (e.g. HI, GU, PR).",
    )
    affiliations = models.CharField(
        "current and recent employers",
        max_length=400,
        blank=True,
        help_text=(
            "Agencies the coach works or worked for, separated by commas. A fellow from one "
            "of them is a conflict of interest."
        ),
    )
    availability_note = models.CharField(
        max_length=300, blank=True, help_text="For example “Tuesday and Thursday mornings ET”."
    )

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self):
        return f"Coach {self.user}"

    def get_absolute_url(self):
        return code_url("coaching:coach_detail", self.user.code)

    @property
    def language_list(self) -> list[str]:
        return split_list(self.languages)

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.expertise_tags)

    @property
    def region_list(self) -> list[str]:
        return split_list(self.regions)

    @property
    def affiliation_list(self) -> list[str]:
        return split_list(self.affiliations)


class CoachAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class CoachAssignment(TimeStampedModel):
    """A coach assigned to a fellow's enrollment. One active at a time; ended ones are history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach_assignments"
    )
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="coach_assignments"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    objects = CoachAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(ended_at__isnull=True),
                name="coaching_coachassignment_one_active_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="coaching_coachassignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.coach} coaches {self.enrollment.user}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class SessionMode(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"

    @classmethod
    def counting(cls):
        """Statuses that use the fellow's entitlement: a completed session, and a no-show
        (the coach's hour was held for the fellow). Cancelled sessions do not count."""
        return [cls.COMPLETED, cls.NO_SHOW]


class CoachingSessionQuerySet(models.QuerySet):
    def counting(self):
        return self.filter(status__in=SessionStatus.counting())

    def upcoming(self, now):
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)

    def to_log(self, now):
        """Time has passed and the coach has not said how it went."""
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__lt=now)


MAX_SESSION_MINUTES = 240


class CoachingSession(TimeStampedModel):
    """One coaching conversation between a coach and a fellow. Holds the facts and the shared
    summary; private notes are elsewhere (`PrivateNote`). Offers the calendar-event interface
    of notifications/hooks.py."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    starts_at = models.DateTimeField("date and time")
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", default=60, help_text=f"Between 5 and {MAX_SESSION_MINUTES}."
    )
    mode = models.CharField(max_length=12, choices=SessionMode, default=SessionMode.VIDEO)
    status = models.CharField(max_length=12, choices=SessionStatus, default=SessionStatus.SCHEDULED)
    video_url = models.URLField("video link", blank=True)
    location = models.CharField("place", max_length=300, blank=True)
    topics = models.CharField(max_length=300, blank=True, help_text="Separated by commas.")
    competencies = models.ManyToManyField(
        "curriculum.Competency", blank=True, related_name="coaching_sessions"
    )
    shared_summary = models.TextField(
        blank=True, max_length=5000, help_text="The fellow reads this."
    )
    next_steps = models.TextField(
        "agreed next steps", blank=True, max_length=2000, help_text="The fellow reads this."
    )
    fellow_reflection = models.TextField(blank=True, max_length=1500)
    reflection_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    # Set when the fellow booked the session against the coach's availability (booking/).
    booked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="coaching_coachingsession_duration_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="coaching_coachingsession_cancelled_has_time",
            ),
            # Two fellows booking the same slot at once: the second insert fails here even
            # where row locks do nothing (SQLite); booking/services.py says the slot is gone.
            models.UniqueConstraint(
                fields=["coach", "starts_at"],
                condition=Q(status="scheduled", booked_at__isnull=False),
                name="coaching_coachingsession_one_booking_per_slot",
                violation_error_message=SLOT_GONE,
            ),
        ]
        indexes = [
            models.Index(
                fields=["starts_at"],
                condition=Q(status="scheduled"),
                name="coaching_session_scheduled",
            ),
        ]

    def __str__(self):
        return f"Coaching: {self.enrollment.user} with {self.coach}, {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return code_url("coaching:session_detail", self.code)

    def clean(self):
        super().clean()
        if self.duration_minutes is not None and not (
            5 <= self.duration_minutes <= MAX_SESSION_MINUTES
        ):
            raise ValidationError(
                {
                    "duration_minutes": (
                        f"A session lasts between 5 and {MAX_SESSION_MINUTES} minutes."
                    )
                }
            )
        if self.mode == SessionMode.IN_PERSON and self.video_url:
            raise ValidationError({"video_url": "An in-person session has no video link."})

    # --- the calendar-event interface (notifications/hooks.py) ----------------------------

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def calendar_title(self) -> str:
        return f"Coaching: {self.enrollment.user.display_name} with {self.coach.display_name}"

    @property
    def location_text(self) -> str:
        return self.location if self.mode == SessionMode.IN_PERSON else ""

    def expected_attendees(self):
        from accounts.models import User

        return User.objects.filter(pk__in=[self.enrollment.user_id, self.coach_id])

    # --- facts --------------------------------------------------------------------------

    @property
    def hours(self) -> float:
        return self.duration_minutes / 60

    @property
    def counts_against_entitlement(self) -> bool:
        return self.status in SessionStatus.counting()

    @property
    def topic_list(self) -> list[str]:
        return split_list(self.topics)


class PrivateNoteQuerySet(models.QuerySet):
    def by(self, author):
        return self.filter(author=author)


class PrivateNote(TimeStampedModel):
    """A coach's private notes on a session. Only the author ever reads them: never staff,
    never the fellow, never another coach, never the admin. No reverse accessors."""

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=10000)

    objects = PrivateNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "author"], name="coaching_privatenote_one_per_author"
            ),
        ]

    def __str__(self):
        # Never the body: __str__ ends up in logs, admin history and error pages.
        return f"Private note #{self.pk}"


class CoachingPreferences(TimeStampedModel):
    """A fellow's coaching settings for one enrollment: consent for program staff to read
    shared summaries, and the languages they would like to be coached in."""

    enrollment = models.OneToOneField(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="coaching_preferences"
    )
    share_summaries_with_staff = models.BooleanField(
        "let program staff read my session summaries",
        default=False,
        help_text=(
            "Staff always see when sessions happen, how long they last and which competencies "
            "they cover. Your coach's private notes are never shared with anyone."
        ),
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    languages = models.CharField(
        "languages I would like to be coached in",
        max_length=200,
        blank=True,
        help_text="Separated by commas, e.g. English, Spanish.",
    )

    class Meta:
        verbose_name_plural = "coaching preferences"

    def __str__(self):
        return f"Coaching preferences of {self.enrollment}"

    @property
    def language_list(self) -> list[str]:
        return split_list(self.languages)


# --- Availability: when a coach's fellows may book them (booking/) --------------------------

SESSION_LENGTH_CHOICES = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours")]
MAX_BUFFER_MINUTES = 120
MAX_NOTICE_HOURS = 14 * 24
MAX_DAYS_AHEAD = 180


def default_session_lengths() -> list[int]:
    return [60]


class CoachAvailability(TimeStampedModel):
    """A coach's booking settings. The weekly windows are wall-clock times in `time_zone`
    (the coach's own when the settings were made), so 9:00–12:00 stays 9:00–12:00 for the
    coach across a change of the clocks; each fellow sees the slots in their own zone."""

    profile = models.OneToOneField(
        CoachProfile, on_delete=models.CASCADE, related_name="availability"
    )
    accepts_bookings = models.BooleanField(
        "let my fellows book sessions",
        default=True,
        help_text="Untick to stop new bookings; sessions already booked stay.",
    )
    time_zone = models.CharField(
        "time zone of the weekly hours", max_length=64, validators=[validate_time_zone]
    )
    session_lengths = models.JSONField("session lengths offered", default=default_session_lengths)
    buffer_minutes = models.PositiveSmallIntegerField(
        "break between sessions (minutes)",
        default=15,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text="Kept free before and after every session and group meeting.",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        "latest booking (hours before the session)",
        default=24,
        validators=[MaxValueValidator(MAX_NOTICE_HOURS)],
        help_text="Fellows cannot book a time that starts sooner than this.",
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        "furthest booking (days ahead)",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_AHEAD)],
        help_text="Fellows see open times this many days ahead.",
    )
    video_url = models.URLField(
        "default video link", blank=True, help_text="Put on every session a fellow books."
    )

    class Meta:
        verbose_name_plural = "coach availabilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=MAX_BUFFER_MINUTES)
                & Q(min_notice_hours__lte=MAX_NOTICE_HOURS)
                & Q(max_days_ahead__gte=1)
                & Q(max_days_ahead__lte=MAX_DAYS_AHEAD),
                name="coaching_coachavailability_limits",
            ),
        ]

    def __str__(self):
        return f"Availability of {self.profile.user}"

    def clean(self):
        super().clean()
        allowed = {minutes for minutes, _ in SESSION_LENGTH_CHOICES}
        lengths = self.session_lengths
        if (
            not isinstance(lengths, list)
            or not lengths
            or any(not isinstance(m, int) or m not in allowed for m in lengths)
        ):
            raise ValidationError({"session_lengths": "Offer at least one session length."})
        self.session_lengths = sorted(set(lengths))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AvailabilityWindow(models.Model):
    """Every `weekday`, from `starts` to `ends`, wall-clock time in the availability's zone."""

    availability = models.ForeignKey(
        CoachAvailability, on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")),
                name="coaching_availabilitywindow_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="coaching_availabilitywindow_weekday_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class DayOff(models.Model):
    """Days (in the availability's zone) on which the coach takes no bookings."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    availability = models.ForeignKey(
        CoachAvailability, on_delete=models.CASCADE, related_name="days_off"
    )
    first_day = models.DateField("from")
    last_day = models.DateField("until (included)")
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["first_day"]
        verbose_name_plural = "days off"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="coaching_dayoff_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Day off {self.first_day}–{self.last_day}"

    def clean(self):
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day off comes on or after the first."})

    def covers(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day
