from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Evaluations and surveys"

    def ready(self):
        # Its panel on the fellow's start page (cohorts/home.py).
        from cohorts.home import register_home_panel

        from .panels import FELLOW_HOME_PANEL

        register_home_panel(FELLOW_HOME_PANEL)
        from notifications import registry

        from . import notices, reminders

        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan, reminders.survey_scan, reminders.coaching_scan],
        )
