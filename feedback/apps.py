from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Evaluations and surveys"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan, reminders.survey_scan, reminders.coaching_scan],
        )
