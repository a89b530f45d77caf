"""Accountability peer groups: groups of 4–6 fellows with a facilitator, their meetings
(with attendance) and each member's check-in per meeting."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.links import code_url
from accounts.models import TimeStampedModel


class PeerGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Groups whose page the user may open: staff of the program, the facilitator and
        members with cohort access (PRODUCT.md: peer group meetings — own group)."""
        from cohorts.models import EnrollmentStatus

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(cohort__program__staff_memberships__user=user)
            | Q(facilitator=user)
            | Q(
                memberships__enrollment__user=user,
                memberships__enrollment__status__in=EnrollmentStatus.with_cohort_access(),
            )
        ).distinct()


class PeerGroup(TimeStampedModel):
    """An accountability peer group of 4–6 fellows in one cohort."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="peer_groups"
    )
    name = models.CharField(max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
        help_text="A program staff member, a coach of the program or an alumnus.",
    )
    location = models.CharField(
        "meeting place",
        max_length=300,
        blank=True,
        help_text="Where the group meets in person; leave empty for online groups.",
    )
    video_url = models.URLField("meeting link", blank=True)
    turn_minutes = models.PositiveSmallIntegerField(
        "minutes per member",
        default=8,
        help_text="The time box of each member's turn in a meeting.",
    )
    rotate_facilitation = models.BooleanField(
        "rotate facilitation among members",
        default=False,
        help_text="Each new meeting is led by the next member in turn.",
    )

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "name"], name="networks_peergroup_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(turn_minutes__gte=1) & Q(turn_minutes__lte=60),
                name="networks_peergroup_turn_minutes_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return code_url("networks:group_detail", self.code)

    def clean(self):
        super().clean()
        if self.turn_minutes is not None and not 1 <= self.turn_minutes <= 60:
            raise ValidationError({"turn_minutes": "A turn lasts between 1 and 60 minutes."})


class PeerGroupMembership(TimeStampedModel):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="peer_group_memberships"
    )

    class Meta:
        ordering = ["enrollment__user__full_name", "pk"]
        constraints = [
            # An enrollment belongs to one cohort, so this means one group per fellow per cohort.
            models.UniqueConstraint(
                fields=["enrollment"], name="networks_peergroupmembership_one_group_per_fellow"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user} in {self.group}"


class GroupMeetingQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now):
        return self.not_cancelled().filter(ends_at__gte=now).order_by("starts_at")

    def past(self, now):
        return self.filter(ends_at__lt=now).order_by("-starts_at")


class GroupMeeting(TimeStampedModel):
    """One meeting of a peer group. Offers the calendar-event interface of
    notifications/hooks.py (code, calendar_title, starts_at, ends_at, location_text,
    video_url, sequence, cancelled_at, expected_attendees(), get_absolute_url())."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("meeting place", max_length=300, blank=True)
    video_url = models.URLField("meeting link", blank=True)
    lead = models.ForeignKey(
        "cohorts.Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_group_meetings",
        help_text="The member who leads this meeting when facilitation rotates.",
    )
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    series = models.UUIDField(null=True, blank=True, editable=False)

    objects = GroupMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="networks_groupmeeting_ends_after_start",
            ),
        ]
        indexes = [
            # Reminder scans: meetings not cancelled starting soon.
            models.Index(
                fields=["starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="networks_meeting_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.group.name}, {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})

    def get_absolute_url(self):
        return code_url("networks:meeting_detail", self.code)

    # --- calendar-event interface (notifications/hooks.py) ---------------------------------

    @property
    def calendar_title(self) -> str:
        return f"{self.group.name} — peer group meeting"

    @property
    def location_text(self) -> str:
        return self.location

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def expected_attendees(self):
        """Active members of the group and its facilitator."""
        from accounts.models import User
        from cohorts.models import EnrollmentStatus

        return User.objects.filter(
            Q(
                enrollments__peer_group_memberships__group=self.group_id,
                enrollments__status=EnrollmentStatus.ACTIVE,
            )
            | Q(pk=self.group.facilitator_id)
        ).distinct()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"


class MeetingAttendance(TimeStampedModel):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="group_meeting_attendance"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrollment"], name="networks_meetingattendance_unique"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user}: {self.get_status_display()}"


class CheckIn(TimeStampedModel):
    """What a member brings to one meeting: last time's commitment, what they did, what they
    ask of the group and what they commit to next, optionally tied to their plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="check_ins")
    enrollment = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="group_check_ins"
    )
    committed = models.TextField("what I committed to last time", blank=True, max_length=2000)
    done = models.TextField("what I did", max_length=2000)
    ask = models.TextField("what I ask of the group", blank=True, max_length=2000)
    next_commitment = models.TextField("what I commit to next", max_length=2000)
    milestones = models.ManyToManyField(
        "action_plans.Milestone", blank=True, related_name="group_check_ins"
    )

    class Meta:
        ordering = ["meeting__starts_at", "enrollment__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrollment"], name="networks_checkin_one_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment.user} at {self.meeting}"


class PeerCoaching(TimeStampedModel):
    """One peer-coaching conversation at a meeting: who coached whom, on whose plan, with a
    short note that the group alone reads (program staff see that it happened, not the note)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        GroupMeeting, on_delete=models.CASCADE, related_name="peer_coachings"
    )
    coach = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="peer_coachings_given"
    )
    coachee = models.ForeignKey(
        "cohorts.Enrollment", on_delete=models.CASCADE, related_name="peer_coachings_received"
    )
    plan = models.ForeignKey(
        "action_plans.ActionPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_coachings",
    )
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coach=models.F("coachee")), name="networks_peercoaching_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.coach.user} coached {self.coachee.user} at {self.meeting}"

    def clean(self):
        super().clean()
        if self.coach_id and self.coach_id == self.coachee_id:
            raise ValidationError({"coachee": "Someone coaches another member, not themselves."})
        if self.meeting_id and self.coach_id and self.coachee_id:
            members = set(
                PeerGroupMembership.objects.filter(group_id=self.meeting.group_id).values_list(
                    "enrollment_id", flat=True
                )
            )
            if self.coach_id not in members:
                raise ValidationError({"coach": "Choose a member of this group."})
            if self.coachee_id not in members:
                raise ValidationError({"coachee": "Choose a member of this group."})
        if self.plan_id and self.coachee_id and self.plan.enrollment_id != self.coachee_id:
            raise ValidationError({"plan": "The plan is the coached member's own."})
