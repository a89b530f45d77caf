from django.contrib import admin

from .models import (
    DemographicProfile,
    LivedExperienceAnswer,
    RaceEthnicityAnswer,
    Result,
    ResultFocusLevel,
)


class FocusLevelInline(admin.TabularInline):
    model = ResultFocusLevel
    extra = 0


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "achieved_on", "jurisdiction", "consent", "verified_at"]
    list_filter = ["kind", "consent", "plan__enrollment__cohort"]
    search_fields = ["title", "plan__enrollment__user__full_name"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "recorded_by"]
    readonly_fields = ["consent", "consent_changed_at", "verified_at", "verified_by"]
    filter_horizontal = ["competencies"]
    inlines = [FocusLevelInline]


class RaceInline(admin.TabularInline):
    model = RaceEthnicityAnswer
    extra = 0


class LivedInline(admin.TabularInline):
    model = LivedExperienceAnswer
    extra = 0


@admin.register(DemographicProfile)
class DemographicProfileAdmin(admin.ModelAdmin):
    """Answers are the person's own: the admin may read them, not change them."""

    list_display = ["user", "updated_at"]
    search_fields = ["user__full_name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "gender", "career_sector"]
    inlines = [RaceInline, LivedInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
