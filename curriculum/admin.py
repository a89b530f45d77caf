"""The Django admin of the curriculum, for site administrators.

Frameworks, modules, assignments and windows can be edited here: their rules live in the
models' `clean()`, which the admin runs. What fellows and staff record through the app's own
pages (attendance, submissions and feedback, self-assessments and their ratings) is
read-only here, because editing it would bypass the services' rules (whole-roster saves,
revision until feedback, ratings only inside an open window). A session's time and place
are read-only once it exists: moving it must tell the attendees (services.session_update).
Deleting a module or session goes through its service, so uploaded files deleted with it
leave storage once the deletion is committed (as do materials removed or replaced inline).
"""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count

from . import services
from .models import (
    AssessmentWindow,
    Assignment,
    Attendance,
    BehaviouralIndicator,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    Material,
    Module,
    ProficiencyLevel,
    Rating,
    SelfAssessment,
    Session,
    Speaker,
    Submission,
)
from .services import TIME_AND_PLACE
from .uploads import delete_after_commit


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Frameworks: domains → competencies → indicators, and the scale -------------------------


class ProficiencyLevelInline(admin.TabularInline):
    model = ProficiencyLevel
    extra = 0


class DomainInline(admin.TabularInline):
    model = CompetencyDomain
    fields = ["order", "name", "description"]
    extra = 0
    show_change_link = True


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "domain_count", "cohort_count", "updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProficiencyLevelInline, DomainInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                domain_total=Count("domains", distinct=True),
                cohort_total=Count("cohorts", distinct=True),
            )
        )

    @admin.display(description="domains", ordering="domain_total")
    def domain_count(self, obj):
        return obj.domain_total

    @admin.display(description="cohorts using it", ordering="cohort_total")
    def cohort_count(self, obj):
        return obj.cohort_total


class CompetencyInline(admin.TabularInline):
    model = Competency
    fields = ["order", "name", "description"]
    extra = 0
    show_change_link = True


@admin.register(CompetencyDomain)
class CompetencyDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "framework", "order"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    search_fields = ["name", "description", "framework__name"]
    inlines = [CompetencyInline]


class IndicatorInline(admin.TabularInline):
    model = BehaviouralIndicator
    fields = ["order", "text"]
    extra = 1


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "framework", "order"]
    list_filter = ["domain__framework"]
    list_select_related = ["domain__framework"]
    search_fields = ["name", "description", "domain__name"]
    inlines = [IndicatorInline]

    @admin.display(ordering="domain__framework__name")
    def framework(self, obj):
        return obj.domain.framework


# --- Modules, sessions, assignments ----------------------------------------------------------


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["title", "due_at"]
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "starts_on", "ends_on"]
    list_filter = ["cohort__program", "cohort"]
    list_select_related = ["cohort__program"]
    search_fields = ["title", "description", "cohort__name"]
    autocomplete_fields = ["competencies"]
    inlines = [AssignmentInline]

    def delete_model(self, request, obj):
        services.module_delete(module=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for module in queryset:
            services.module_delete(module=module)


class SpeakerInline(admin.StackedInline):
    model = Speaker
    fields = ["order", "name", "affiliation", "bio"]
    extra = 0


# Links typed without a scheme are https (as in the app's own forms).
HTTPS_LINKS: dict[type[models.Field], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ["title", "url", "file"]
    extra = 0
    formfield_overrides = HTTPS_LINKS


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cohort", "starts_at", "cancelled_at"]
    list_filter = [
        "kind",
        "cohort__program",
        "cohort",
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["cohort__program"]
    search_fields = ["title", "topic", "speakers__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["facilitators"]
    readonly_fields = ["sequence", "cancelled_at"]
    inlines = [SpeakerInline, MaterialInline]
    formfield_overrides = HTTPS_LINKS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, *TIME_AND_PLACE, "cohort"]

    def delete_model(self, request, obj):
        services.session_delete(session=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for session in queryset:
            services.session_delete(session=session)

    def save_formset(self, request, form, formset, change):
        """A material removed, or whose file is replaced or cleared, in the inline: the
        earlier file leaves storage once the change is committed."""
        if formset.model is Material:
            deleted = {f.instance.pk for f in formset.deleted_forms if f.instance.pk}
            replaced = {
                f.instance.pk
                for f in formset.initial_forms
                if f.instance.pk and "file" in f.changed_data
            }
            stored = Material.objects.filter(pk__in=deleted | replaced).exclude(file="")
            for material in stored:
                delete_after_commit(material.file)
        super().save_formset(request, form, formset, change)


class SubmissionInline(ReadOnlyInline):
    model = Submission
    fields = ["enrollment", "submitted_at", "revision", "feedback_at", "completed_at"]
    show_change_link = True


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "due_at", "submission_count"]
    list_filter = ["module__cohort__program", "module__cohort"]
    list_select_related = ["module"]
    search_fields = ["title", "instructions"]
    inlines = [SubmissionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(submission_total=Count("submissions"))

    @admin.display(description="submissions", ordering="submission_total")
    def submission_count(self, obj):
        return obj.submission_total

    def has_delete_permission(self, request, obj=None):
        # Submitted work is never deleted with its assignment (Assignment.deletion_refusal).
        if obj is not None and obj.deletion_refusal():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "enrollment", "submitted_at", "revision", "completed_at"]
    list_filter = [
        "assignment__module__cohort",
        ("feedback_at", admin.EmptyFieldListFilter),
        ("completed_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["assignment", "enrollment__user", "enrollment__cohort"]
    search_fields = ["enrollment__user__full_name", "enrollment__user__email", "assignment__title"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "enrollment", "status", "recorded_by", "updated_at"]
    list_filter = ["status", "session__cohort"]
    list_select_related = ["session", "enrollment__user", "enrollment__cohort", "recorded_by"]
    search_fields = ["enrollment__user__full_name", "session__title"]


# --- Self-assessments ------------------------------------------------------------------------


@admin.register(AssessmentWindow)
class AssessmentWindowAdmin(admin.ModelAdmin):
    list_display = ["cohort", "phase", "opens_on", "closes_on", "assessment_count"]
    list_filter = ["phase", "cohort__program", "cohort"]
    list_select_related = ["cohort__program"]
    search_fields = ["cohort__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assessment_total=Count("assessments"))

    @admin.display(description="self-assessments", ordering="assessment_total")
    def assessment_count(self, obj):
        return obj.assessment_total

    def get_readonly_fields(self, request, obj=None):
        # The dates may change; the phase and cohort are what the ratings are about.
        return ["cohort", "phase"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.deletion_refusal():
            return False
        return super().has_delete_permission(request, obj)


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ["competency", "level", "note"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "window", "submitted_at"]
    list_filter = ["window__phase", "window__cohort"]
    list_select_related = ["enrollment__user", "enrollment__cohort", "window__cohort"]
    search_fields = ["enrollment__user__full_name", "enrollment__user__email"]
    inlines = [RatingInline]
