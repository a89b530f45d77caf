from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "announcements"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[reminders.scan])
