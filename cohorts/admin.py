from django.contrib import admin

from .models import Cohort, Enrollment, PartnerOrganization, Program, ProgramStaff


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    pass


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    pass


@admin.register(ProgramStaff)
class ProgramStaffAdmin(admin.ModelAdmin):
    pass


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    pass


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    pass
