from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "action_plans"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan],
            calendar_due_dates=[reminders.calendar_milestones],
        )
