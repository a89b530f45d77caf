from django.contrib import admin

from .models import CompetencyFramework


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    pass
