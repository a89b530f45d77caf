"""Admin for coaching: profiles, assignments and the *facts* of sessions.

PrivateNote is deliberately not registered: no admin page, even for a superuser, ever shows a
coach's private notes. Session admin shows neither the shared summary nor the fellow's
reflection (those follow the fellow's consent, which the admin cannot check)."""

from django.contrib import admin

from .models import CoachAssignment, CoachingPreferences, CoachingSession, CoachProfile


@admin.register(CoachProfile)
class CoachProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "languages"]
    search_fields = ["user__full_name", "user__email"]
    filter_horizontal = ["programs", "expertise"]
    raw_id_fields = ["user"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    list_display = ["coach", "enrollment", "started_at", "ended_at"]
    list_filter = ["ended_at"]
    raw_id_fields = ["coach", "enrollment", "assigned_by"]
    list_select_related = ["coach", "enrollment__user", "enrollment__cohort"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "coach", "enrollment", "duration_minutes", "status"]
    list_filter = ["status", "mode"]
    search_fields = ["coach__full_name", "enrollment__user__full_name"]
    fields = [
        "code",
        "enrollment",
        "coach",
        "starts_at",
        "duration_minutes",
        "mode",
        "status",
        "competencies",
        "sequence",
        "cancelled_at",
        "logged_at",
    ]
    readonly_fields = ["code", "sequence", "cancelled_at", "logged_at"]
    raw_id_fields = ["enrollment", "coach"]
    list_select_related = ["coach", "enrollment__user", "enrollment__cohort"]


@admin.register(CoachingPreferences)
class CoachingPreferencesAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "share_summaries_with_staff", "consent_changed_at"]
    readonly_fields = ["share_summaries_with_staff", "consent_changed_at"]
    raw_id_fields = ["enrollment"]
