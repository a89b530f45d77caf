from django.contrib import admin

from .models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "audience", "send_at", "important", "author"]
    list_filter = ["audience", "important", "program"]
    search_fields = ["title"]
    raw_id_fields = ["program", "cohort", "peer_group", "author"]
    readonly_fields = ["code"]
