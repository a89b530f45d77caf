"""The ledger in the admin: read-only, to see what was sent, held, skipped or failed and why.
It holds no private notes (payloads are calendar snapshots, titles and comment excerpts)."""

from django.contrib import admin

from .models import Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "recipient",
        "kind",
        "state",
        "attempts",
        "due_at",
        "sent_at",
        "read_at",
    ]
    list_filter = ["kind", "state"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-pk"]
    fields = [
        "code",
        "recipient",
        "kind",
        "title",
        "url",
        "subject_type",
        "subject_id",
        "occurrence",
        "enrollment",
        "state",
        "skip_reason",
        "attempts",
        "last_error",
        "due_at",
        "expires_at",
        "queued_at",
        "sent_at",
        "read_at",
        "digest",
        "payload",
    ]

    # The ledger is the record of what was sent: nobody edits, adds or deletes its rows.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_start", "quiet_end"]
    raw_id_fields = ["user"]
    exclude = ["calendar_token"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "delivery"]
    list_filter = ["topic", "delivery"]
    raw_id_fields = ["user"]
