from django.contrib import admin

from .models import (
    ActionPlan,
    Goal,
    Milestone,
    PlanComment,
    PlanFocusLevel,
    PlanRevision,
    PlanStatusChange,
    ProgressUpdate,
)


class FocusLevelInline(admin.TabularInline):
    model = PlanFocusLevel
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["title", "order"]


class StatusChangeInline(admin.TabularInline):
    model = PlanStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]
    can_delete = False


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "enrollment", "status", "visibility", "updated_at"]
    list_filter = ["status", "visibility", "enrollment__cohort"]
    search_fields = ["title", "enrollment__user__full_name", "enrollment__agency"]
    list_select_related = ["enrollment__user", "enrollment__cohort"]
    raw_id_fields = ["enrollment"]
    filter_horizontal = ["competencies"]
    # Status moves go through the workflow (services), so who and when are recorded.
    readonly_fields = ["status", "status_changed_at"]
    inlines = [FocusLevelInline, GoalInline, StatusChangeInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "goal", "due_date", "status", "completed_on"]
    list_filter = ["status"]
    search_fields = ["title", "goal__plan__title"]
    raw_id_fields = ["goal"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["plan", "as_of", "signal", "author"]
    list_filter = ["signal"]
    raw_id_fields = ["plan", "author"]


@admin.register(PlanComment)
class PlanCommentAdmin(admin.ModelAdmin):
    list_display = ["plan", "milestone", "author", "created_at"]
    raw_id_fields = ["plan", "milestone", "author"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "author", "created_at"]
    raw_id_fields = ["plan", "author"]
    readonly_fields = ["snapshot"]
