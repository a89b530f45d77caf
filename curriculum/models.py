"""The competency-based curriculum: frameworks (domains, competencies, a proficiency scale),
a cohort's modules and sessions, attendance, practice assignments and self-assessments."""

import datetime
import os
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.links import code_url
from accounts.models import TimeStampedModel

# What an exported framework's JSON says it is (services.framework_import checks it).
EXPORT_FORMAT = "cohortwise.competency-framework"

# --- Competency frameworks ---------------------------------------------------------------


class CompetencyFramework(TimeStampedModel):
    """A competency framework, reusable across programs and partner organizations."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return code_url("curriculum:framework_detail", self.code)


class CompetencyDomain(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="domains"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"], name="curriculum_competencydomain_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class Competency(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    domain = models.ForeignKey(
        CompetencyDomain, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__order", "order", "name"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "name"], name="curriculum_competency_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class BehaviouralIndicator(models.Model):
    """What the competency looks like in practice: one observable behaviour."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["competency", "order", "pk"]

    def __str__(self):
        return self.text


class ProficiencyLevel(models.Model):
    """One step of a framework's proficiency scale, e.g. 1 Emerging … 5 Leading."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "value"], name="curriculum_proficiencylevel_unique_value"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=10),
                name="curriculum_proficiencylevel_value_range",
            ),
        ]

    def __str__(self):
        return f"{self.value} {self.label}"


# --- Modules and sessions ----------------------------------------------------------------


class Module(TimeStampedModel):
    """A learning module of one cohort, mapped to the competencies it addresses."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="modules")

    class Meta:
        ordering = ["cohort", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "order"], name="curriculum_module_unique_order"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="curriculum_module_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"Module {self.order}: {self.title}"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "The module must end on or after its start."})
            cohort = self.cohort if self.cohort_id else None
            if cohort and (self.starts_on < cohort.start_date or self.ends_on > cohort.end_date):
                raise ValidationError(
                    {
                        "starts_on": (
                            f"The module must fall within the cohort "
                            f"({cohort.start_date:%d %b %Y} – {cohort.end_date:%d %b %Y})."
                        )
                    }
                )


class SessionKind(models.TextChoices):
    LAUNCH = "launch", "Launch workshop"
    MONTHLY = "monthly", "Monthly online session"
    SEMINAR = "seminar", "Key-topic seminar"
    FINAL = "final", "Final in-person gathering"
    OFFICE_HOURS = "office_hours", "Office hours"


class SessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(cancelled_at__isnull=True)

    def held_before(self, moment):
        """Sessions that took place (not cancelled) and ended before `moment`."""
        return self.scheduled().filter(ends_at__lte=moment)


class Session(TimeStampedModel):
    """One meeting of the cohort. Offers the calendar-event interface of notifications/hooks.py."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    kind = models.CharField(max_length=20, choices=SessionKind, default=SessionKind.MONTHLY)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    topic = models.CharField(
        max_length=200,
        blank=True,
        help_text="For seminars: e.g. structural racism, poverty, health policy and access.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    video_url = models.URLField("online link", blank=True)
    venue = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_sessions"
    )
    series = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="curriculum_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(video_url="") | ~Q(venue=""), name="curriculum_session_has_place"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="curriculum_session_when")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The session must end after it starts."
        if not self.video_url and not self.venue:
            errors["video_url"] = "Give an online link, or a venue (with its address) below."
        if self.venue and not self.address:
            errors["address"] = "Give the venue's address so people can find it."
        if self.module_id and self.cohort_id and self.module.cohort_id != self.cohort_id:
            errors["module"] = "That module belongs to another cohort."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return code_url("curriculum:session_detail", self.code)

    # Calendar-event interface (notifications/hooks.py).
    @property
    def calendar_title(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def location_text(self) -> str:
        return ", ".join(part for part in (self.venue, self.address) if part)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def local_days(self) -> list[datetime.date]:
        """The cohort's calendar days the session spans: one for a seminar, two for a
        gathering from Thursday morning to Friday afternoon."""
        first = self.cohort.local_date(self.starts_at)
        last = self.cohort.local_date(self.ends_at - datetime.timedelta(microseconds=1))
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    @property
    def is_online(self) -> bool:
        return bool(self.video_url) and not self.venue

    def expected_attendees(self):
        from accounts.models import User
        from cohorts.models import EnrollmentStatus

        return User.objects.filter(
            enrollments__cohort_id=self.cohort_id, enrollments__status=EnrollmentStatus.ACTIVE
        ).distinct()


class Speaker(models.Model):
    """An expert speaker at a (usually key-topic) session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=150)
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField("short bio", blank=True, max_length=1500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "order", "pk"]

    def __str__(self):
        return f"{self.name}, {self.affiliation}" if self.affiliation else self.name


def material_upload_to(instance, filename):
    return f"curriculum/materials/{uuid.uuid4().hex}/{os.path.basename(filename)}"


def submission_upload_to(instance, filename):
    return f"curriculum/submissions/{uuid.uuid4().hex}/{os.path.basename(filename)}"


class Material(TimeStampedModel):
    """Slides, readings or recordings of a session: a link or an uploaded file."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField("link", blank=True)
    file = models.FileField(upload_to=material_upload_to, blank=True)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="curriculum_material_link_or_file",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if bool(self.url) == bool(self.file):
            raise ValidationError({"url": "Give either a link or a file (not both)."})

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        return code_url("curriculum:material_download", self.code)


# --- Attendance --------------------------------------------------------------------------


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    EXCUSED = "excused", "Excused"
    ABSENT = "absent", "Absent"


class Attendance(TimeStampedModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="attendance"
    )
    # A session over several days is attended day by day: 1 is its first day on the cohort's
    # calendar (Session.local_days()).
    day_number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=AttendanceStatus)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at", "day_number", "enrollment__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment", "day_number"],
                name="curriculum_attendance_one_per_day",
            ),
            models.CheckConstraint(
                condition=Q(day_number__gte=1), name="curriculum_attendance_day_from_one"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="curriculum_attendance_valid_status",
            ),
        ]
        # The reports count each fellow's marks by status (one correlated count per status).
        indexes = [
            models.Index(fields=["enrollment", "status"], name="curriculum_att_enr_status"),
        ]

    def __str__(self):
        return f"{self.enrollment.user} — {self.get_status_display()} at {self.session}"


def _in_use(count: int, what: str, instead: str) -> str:
    if not count:
        return ""
    who = f"{count} fellow{'s have' if count > 1 else ' has'}"
    return f"{who} {what}, so it cannot be deleted. {instead}"


# --- Practice assignments ----------------------------------------------------------------


class Assignment(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    instructions = models.TextField()
    due_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        cohort = self.module.cohort if self.module_id else None
        if cohort and self.due_at:
            due_day = cohort.local_date(self.due_at)
            if not cohort.start_date <= due_day <= cohort.end_date:
                raise ValidationError(
                    {"due_at": "The due date must fall within the cohort's dates."}
                )

    def get_absolute_url(self):
        return code_url("curriculum:assignment_detail", self.code)

    @property
    def is_past_due(self) -> bool:
        return timezone.now() > self.due_at

    def deletion_refusal(self) -> str:
        """Why this assignment cannot be deleted ("" when it can): fellows' submitted work
        and the feedback on it are part of their record, so it is never deleted with it."""
        return _in_use(
            self.submissions.count(), "submitted work for this assignment", "Edit it instead."
        )


class Submission(TimeStampedModel):
    """A fellow's work on an assignment; revisable until staff give feedback."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="submissions"
    )
    text = models.TextField(blank=True, max_length=20000)
    file = models.FileField(upload_to=submission_upload_to, blank=True)
    submitted_at = models.DateTimeField()
    revision = models.PositiveSmallIntegerField(default=1)
    feedback = models.TextField(blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "enrollment__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrollment"], name="curriculum_submission_one_per_fellow"
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="curriculum_submission_has_content"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user} — {self.assignment}"

    @property
    def is_late(self) -> bool:
        return self.submitted_at > self.assignment.due_at

    @property
    def can_revise(self) -> bool:
        return self.feedback_at is None

    @property
    def review_state(self) -> str:
        if self.completed_at:
            return "Complete"
        return "Feedback given" if self.feedback_at else "Awaiting feedback"


# --- Self-assessments --------------------------------------------------------------------


class AssessmentPhase(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MIDPOINT = "midpoint", "Midpoint"
    FINAL = "final", "Final"


class AssessmentWindow(TimeStampedModel):
    """The dates (inclusive, in the cohort's zone) when fellows rate themselves."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="assessment_windows"
    )
    phase = models.CharField(max_length=10, choices=AssessmentPhase)
    opens_on = models.DateField()
    closes_on = models.DateField()
    # Not a column: set by curriculum.selectors.windows_of for the page that lists them.
    state: str

    class Meta:
        ordering = ["cohort", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "phase"], name="curriculum_assessmentwindow_one_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="curriculum_assessmentwindow_closes_after_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} self-assessment, {self.cohort.name}"

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The window must close on or after it opens."})
        cohort = self.cohort if self.cohort_id else None
        outside = (
            cohort
            and self.opens_on
            and self.closes_on
            and (self.opens_on < cohort.start_date or self.closes_on > cohort.end_date)
        )
        if outside:
            raise ValidationError({"opens_on": "The window must fall within the cohort's dates."})
        if self.pk and cohort and self.opens_on and self.closes_on:
            errors = self.ratings_outside_refusals()
            if errors:
                raise ValidationError(errors)

    def ratings_outside_refusals(self) -> dict[str, str]:
        """For a window being moved: a message for each date field whose new value would
        leave out self-assessments already made (on their day in the cohort's zone), e.g.
        {"closes_on": "2 fellows rated themselves on 12 November, …"}; {} when none."""
        zone = zoneinfo.ZoneInfo(self.cohort.time_zone)
        before: dict[datetime.date, int] = {}
        after: dict[datetime.date, int] = {}
        for submitted_at in self.assessments.values_list("submitted_at", flat=True):
            day = submitted_at.astimezone(zone).date()
            if day < self.opens_on:
                before[day] = before.get(day, 0) + 1
            elif day > self.closes_on:
                after[day] = after.get(day, 0) + 1
        return {
            field: _rated_outside(days)
            for field, days in (("opens_on", before), ("closes_on", after))
            if days
        }

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def state_on(self, day) -> str:
        """“Open”, “Not yet open” or “Closed” on that day (in the cohort's zone)."""
        if self.is_open_on(day):
            return "Open"
        return "Not yet open" if day < self.opens_on else "Closed"

    def get_absolute_url(self):
        return code_url("curriculum:self_assessment", self.code)

    def deletion_refusal(self) -> str:
        """Why this window cannot be deleted ("" when it can): fellows' ratings are kept."""
        return _in_use(
            self.assessments.count(),
            "rated themselves in this window",
            "You can still change its dates.",
        )


def _rated_outside(days: dict) -> str:
    """“3 fellows rated themselves on 12 November, outside these dates; …” from day → count."""
    count = sum(days.values())
    names = [f"{day.day} {day:%B %Y}" for day in sorted(days)]
    when = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        f"{count} fellow{'s' if count > 1 else ''} rated themselves on {when}, outside these "
        f"dates; keep the window open on {'those days' if len(names) > 1 else 'that day'}."
    )


class SelfAssessment(TimeStampedModel):
    window = models.ForeignKey(
        AssessmentWindow, on_delete=models.CASCADE, related_name="assessments"
    )
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="self_assessments"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["window__opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "enrollment"], name="curriculum_selfassessment_one_per_window"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user} — {self.window.get_phase_display()}"


class Rating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    level = models.ForeignKey(ProficiencyLevel, on_delete=models.PROTECT, related_name="ratings")
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["assessment", "competency__domain__order", "competency__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="curriculum_rating_one_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.competency}: {self.level}"
