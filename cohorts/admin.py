from django.contrib import admin

from accounts.models import Invitation

from .models import (
    Cohort,
    Enrollment,
    EnrollmentStatusChange,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    ProgramStaff,
    RosterImport,
)


class ProgramStaffInline(admin.TabularInline):
    model = ProgramStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_time_zone"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["partners"]
    inlines = [ProgramStaffInline]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ProgramStaff)
class ProgramStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role"]
    list_filter = ["role", "program"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "start_date", "end_date", "status"]
    list_filter = ["status", "program"]
    search_fields = ["name"]


class StatusChangeInline(admin.TabularInline):
    model = EnrollmentStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]
    can_delete = False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Status changes go through the roster (so they are recorded); here they are read-only."""

    list_display = ["user", "cohort", "state", "agency", "sector", "status"]
    list_filter = ["status", "sector", "state", "cohort__program"]
    search_fields = ["user__full_name", "user__email", "agency"]
    list_select_related = ["user", "cohort"]
    readonly_fields = ["status", "status_changed_at", "withdrawn_on", "withdrawal_reason"]
    inlines = [StatusChangeInline]


@admin.register(ParticipantProfile)
class ParticipantProfileAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__full_name", "user__email"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "cohort", "uploaded_by", "created_at", "applied_at"]
    readonly_fields = ["content"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "program"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["token_hash", "sent_at", "send_count", "accepted_at"]
