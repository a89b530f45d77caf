from django.contrib import admin

from .models import Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "state", "due_at", "sent_at", "read_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "enrollment", "digest"]
    readonly_fields = ["code", "queued_at", "sent_at"]


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
