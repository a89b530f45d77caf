"""The audit log in the admin: to read, never to add, change or delete (the model and the
database refuse too)."""

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "target_label", "program_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "target_label", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
