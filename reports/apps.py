from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        from notifications import registry

        from . import notices

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[notices.scan_staff_digests])
