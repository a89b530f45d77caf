from django.apps import AppConfig


class Feedback360Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback360"
    verbose_name = "360° feedback"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[reminders.scan])
