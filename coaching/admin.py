from django.contrib import admin

from .models import CoachAssignment, CoachProfile


@admin.register(CoachProfile)
class CoachProfileAdmin(admin.ModelAdmin):
    pass


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    pass
