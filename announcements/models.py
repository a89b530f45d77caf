"""Announcements from program staff (or a peer group's facilitator) to one audience: a
cohort, a whole program, the program's coaches, a peer group or the program's alumni.

Who is in an audience is never stored: it follows from enrollments, coach profiles and
group memberships when the announcement is read or sent (audience.py), so a fellow who
withdraws stops reading their cohort's announcements and one who joins starts. What is
stored of each reader is the first time they opened it in the app (`AnnouncementRead`)."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst

from accounts.links import code_url
from accounts.models import TimeStampedModel

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000


def _attachment_path(instance, filename) -> str:
    # A folder of its own with a random name: attachments are only ever served through the
    # access-checked view, and the file keeps its name for the download.
    return f"announcements/{uuid.uuid4().hex}/{os.path.basename(filename)[:100]}"


class Audience(models.TextChoices):
    COHORT = "cohort", "A cohort"
    PROGRAM = "program", "Everyone in the program"
    COACHES = "coaches", "The program's coaches"
    PEER_GROUP = "peer_group", "A peer group"
    ALUMNI = "alumni", "The program's alumni"


class AnnouncementQuerySet(models.QuerySet):
    def published(self, now):
        return self.filter(send_at__lte=now)

    def scheduled(self, now):
        return self.filter(send_at__gt=now)


class Announcement(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="announcements"
    )
    audience = models.CharField(max_length=12, choices=Audience)
    # The cohort of a cohort announcement, the group of a peer-group one (nothing otherwise).
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
    )
    peer_group = models.ForeignKey(
        "networks.PeerGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    # Markdown as typed; shown through formatting.render (sanitised), never as it is.
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    important = models.BooleanField(
        default=False,
        help_text="Emailed at once even to people who chose a daily digest (never in their "
        "quiet hours).",
    )
    send_at = models.DateTimeField(help_text="When the audience is told and may read it.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="announcements_written",
    )
    attachment = models.FileField(upload_to=_attachment_path, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-send_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="cohort", cohort__isnull=False, peer_group__isnull=True)
                    | Q(audience="peer_group", cohort__isnull=False, peer_group__isnull=False)
                    | (
                        Q(audience__in=["program", "coaches", "alumni"])
                        & Q(cohort__isnull=True, peer_group__isnull=True)
                    )
                ),
                name="announcements_announcement_target_matches_audience",
            ),
        ]
        indexes = [
            # The sweep's scan: announcements whose time came recently.
            models.Index(fields=["send_at"], name="announcements_send_at"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return code_url("announcements:detail", self.code)

    def clean(self):
        super().clean()
        if self.audience == Audience.COHORT and self.cohort_id is None:
            raise ValidationError({"cohort": "Choose the cohort."})
        if self.audience == Audience.PEER_GROUP and self.peer_group_id is None:
            raise ValidationError({"peer_group": "Choose the peer group."})
        if self.cohort_id and self.cohort.program_id != self.program_id:
            raise ValidationError({"cohort": "This cohort is not in the program."})

    @property
    def audience_label(self) -> str:
        """ "Fellows of 2026–2027 cohort", "Peer group Kōkua", "Coaches of HELI"..., in the
        words of the announcement's program (the names of cohorts and groups untouched)."""
        # clean() requires the cohort or group of these audiences.
        if self.audience == Audience.COHORT:
            assert self.cohort is not None
            return f"{capfirst(self.program.terms.participants)} of {self.cohort.name}"
        if self.audience == Audience.PEER_GROUP:
            assert self.peer_group is not None
            return f"{capfirst(self.program.terms.group)} {self.peer_group.name}"
        if self.audience == Audience.COACHES:
            return f"Coaches of {self.program.name}"
        if self.audience == Audience.ALUMNI:
            return f"Alumni of {self.program.name}"
        return f"Everyone in {self.program.name}"

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class AnnouncementRead(models.Model):
    """The first time one person of the audience opened the announcement in the app."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_reads"
    )
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcements_announcementread_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} opened {self.announcement_id}"
