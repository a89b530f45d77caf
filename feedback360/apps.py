from django.apps import AppConfig


class Feedback360Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback360"
    verbose_name = "360° feedback"

    def ready(self):
        # Its panel on the fellow's start page (cohorts/home.py).
        from cohorts.home import register_home_panel

        from .panels import FELLOW_HOME_PANEL

        register_home_panel(FELLOW_HOME_PANEL)
        from notifications import registry

        from . import emails, notices, reminders

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[reminders.scan, emails.scan])
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import FeedbackWindow, Nomination, RaterCircle

        register_coded_model(FeedbackWindow, "cohort__program")
        register_coded_model(RaterCircle, "enrollment__cohort__program")
        register_coded_model(Nomination, "circle__enrollment__cohort__program")
