"""The Django admin for site admins. Day-to-day changes go through the staff pages (and so
through the services); here people look things up and mend data. Enrollment status is
read-only because a change must be recorded in its history, which only the services do."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .models import (
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    Invitation,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    ProgramStaff,
    RosterImport,
    StaffRole,
)


class ProgramStaffFormSet(BaseInlineFormSet):
    """Refuses, next to the rows, an edit that would leave the program without a director
    (the model refuses a demotion row by row; deletions are checked here)."""

    def clean(self):
        super().clean()
        if self.instance.pk is None or any(self.errors):
            return
        directors_before = ProgramStaff.objects.filter(
            program=self.instance, role=StaffRole.DIRECTOR
        ).count()
        directors_after = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == StaffRole.DIRECTOR
        )
        if directors_before and not directors_after:
            raise ValidationError("The program must keep at least one director.")


class ProgramStaffInline(admin.TabularInline):
    model = ProgramStaff
    formset = ProgramStaffFormSet
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "default_time_zone",
        "coaching_entitlement_amount",
        "coaching_entitlement_unit",
        "invitation_valid_days",
    ]
    list_filter = ["coaching_entitlement_unit", "partners"]
    search_fields = ["name", "slug", "partners__name"]
    readonly_fields = ["code"]
    filter_horizontal = ["partners"]
    autocomplete_fields = ["facilitators"]
    inlines = [ProgramStaffInline]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]


@admin.register(ProgramStaff)
class ProgramStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "created_at"]
    list_filter = ["role", "program"]
    search_fields = ["user__full_name", "user__email", "program__name"]
    list_select_related = ["user", "program"]
    autocomplete_fields = ["user", "program"]

    def has_delete_permission(self, request, obj=None):
        # The last director is never removed (the role change is refused by the model).
        if obj is not None and obj.is_last_director():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "start_date", "end_date", "time_zone", "status"]
    list_filter = ["status", "program"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    readonly_fields = ["code"]
    autocomplete_fields = ["program", "framework"]
    date_hierarchy = "start_date"


class StatusChangeInline(admin.TabularInline):
    """The enrollment's history: written by the services only, never edited here."""

    model = EnrollmentStatusChange
    extra = 0
    fields = ("changed_at", "from_status", "to_status", "changed_by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Status changes go through the roster (so they are recorded); here they are read-only."""

    list_display = ["user", "cohort", "state", "agency", "sector", "status", "status_changed_at"]
    list_filter = ["status", "sector", "state", "directory_opt_in", "cohort__program", "cohort"]
    search_fields = ["user__full_name", "user__email", "agency", "title"]
    list_select_related = ["user", "cohort__program"]
    autocomplete_fields = ["user", "cohort"]
    readonly_fields = ["code", "status", "status_changed_at", "withdrawn_on", "withdrawal_reason"]
    inlines = [StatusChangeInline]


@admin.register(ParticipantProfile)
class ParticipantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "photo", "updated_at"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "cohort",
        "uploaded_by",
        "created_at",
        "applied_at",
        "created_count",
        "updated_count",
    ]
    list_filter = ["cohort__program"]
    search_fields = ["filename", "cohort__name", "uploaded_by__email"]
    list_select_related = ["cohort__program", "uploaded_by"]
    raw_id_fields = ["cohort", "uploaded_by"]
    readonly_fields = ["code", "content", "applied_at", "created_count", "updated_count"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "program"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "program"]
    autocomplete_fields = ["user", "program", "invited_by"]
    raw_id_fields = ["enrollment"]
    readonly_fields = ["code", "token_hash", "sent_at", "send_count", "accepted_at"]
