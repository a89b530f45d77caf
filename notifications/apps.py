from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from accounts import health

        from . import digests, notices, registry, selectors

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[digests.scan_daily_digests])
        health.register("notifications", selectors.delivery_status)
        checks.register(registry.check)
