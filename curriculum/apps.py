from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "curriculum"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan],
            calendar_events=[reminders.calendar_events],
        )
