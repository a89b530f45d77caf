from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Outcomes and impact"

    def ready(self):
        # Its panel on the fellow's start page (cohorts/home.py).
        from cohorts.home import register_home_panel

        from .panels import FELLOW_HOME_PANEL

        register_home_panel(FELLOW_HOME_PANEL)
        from notifications import registry

        from . import notices, reminders

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[reminders.scan])
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import Result

        register_coded_model(Result, "plan__enrollment__cohort__program")
