"""The audit log: who did what, to what, when. Append-only (docs/ARCHITECTURE.md, "Auditing
an action"): the model refuses to save an existing row or delete one, the queryset refuses
bulk updates and deletes, the admin is read-only, and the database's triggers reject UPDATE
and DELETE (PostgreSQL: migration 0002; SQLite: 0002 and 0003). The one deletion is the
retention purge in `services`.

Entries outlive what they name: the actor is a foreign key without a database constraint and
the program a bare id, so deleting a person or a program never has to touch (and so never
can change) an entry; the target is kept as a type, an id and a label written at the time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def _update(self, values):  # Model.save() and bulk_update() end here
        raise AppendOnlyError("Audit entries cannot be changed.")

    def in_programs(self, program_ids):
        return self.filter(program_id__in=program_ids)


class AuditEntry(models.Model):
    # Not TimeStampedModel: an entry is never updated, so it has no updated_at.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    action = models.CharField(max_length=60, help_text="app.what_happened, e.g. plans.approved")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    program_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["program_id", "-created_at"], name="audit_entry_program_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_entry_action_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
