from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from accounts import health
        from accounts.roles import register_navigation_count

        from . import digests, notices, registry, selectors

        register_navigation_count(selectors.UNREAD_COUNT, selectors.unread_rows)
        registry.register(*notices.TOPICS, *notices.KINDS, scans=[digests.scan_daily_digests])
        health.register("notifications", selectors.delivery_status)
        checks.register(registry.check)
