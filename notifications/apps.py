from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from . import digests, notices, registry

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[digests.scan_daily_digests])
        checks.register(registry.check)
