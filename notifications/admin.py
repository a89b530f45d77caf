"""The ledger in the admin: read-only, to see what was sent, held, skipped or failed and why,
and how many wait to be sent; failed rows can be sent again. It holds no private notes
(payloads are calendar snapshots, titles and comment excerpts)."""

from django.contrib import admin, messages
from django.utils import timezone

from . import selectors, services
from .models import Notification, NotificationPreference, NotificationSettings, State


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "recipient",
        "recipient_email",
        "kind",
        "state",
        "attempts",
        "last_error",
        "due_at",
        "sent_at",
        "read_at",
    ]
    actions = ["send_again"]
    list_filter = ["kind", "state"]
    # Rows addressed to an email (360° raters, who have no account) by that address.
    search_fields = ["recipient__email", "recipient_email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-pk"]
    fields = [
        "code",
        "recipient",
        "recipient_email",
        "kind",
        "title",
        "url",
        "subject_type",
        "subject_id",
        "occurrence",
        "enrollment",
        "state",
        "skip_reason",
        "attempts",
        "last_error",
        "due_at",
        "expires_at",
        "queued_at",
        "sent_at",
        "read_at",
        "digest",
        "payload",
    ]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            status = selectors.delivery_status()
            if status["mail_server"] == "down":
                self.message_user(
                    request,
                    f"The mail server is failing since {status['mail_server_down_since']} "
                    f"({status['mail_server_error']}); next try at {status['next_probe']}.",
                    messages.WARNING,
                )
            if status["waiting"]:
                reasons = "; ".join(
                    f"{n} × {reason or 'not tried yet'}"
                    for reason, n in selectors.waiting_reasons()
                )
                self.message_user(
                    request,
                    f"{status['waiting']} waiting to be sent, {status['retrying']} of them "
                    f"after a failed try" + (f" ({reasons})" if reasons else "") + ".",
                    messages.WARNING if status["retrying"] else messages.INFO,
                )
        return super().changelist_view(request, extra_context)

    @admin.action(description="Send the selected failed notifications again")
    def send_again(self, request, queryset):
        ids = list(queryset.filter(state=State.FAILED).values_list("pk", flat=True))
        count = services.notifications_resend(ids=ids, by=request.user, now=timezone.now())
        self.message_user(
            request,
            f"{count} failed notification{'s' if count != 1 else ''} will be sent again"
            " by the next sweep.",
            messages.SUCCESS,
        )

    # The ledger is the record of what was sent: nobody edits, adds or deletes its rows.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_start", "quiet_end"]
    raw_id_fields = ["user"]
    exclude = ["calendar_token"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "delivery"]
    list_filter = ["topic", "delivery"]
    raw_id_fields = ["user"]
