from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "time_zone", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name", "preferred_name"]
    readonly_fields = ["code", "date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password", "code"]}),
        ("Profile", {"fields": ["full_name", "preferred_name", "pronouns", "time_zone"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
