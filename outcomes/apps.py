from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = "Outcomes and impact"

    def ready(self):
        from notifications import registry

        from . import notices, reminders

        registry.register(*notices.TOPICS, *notices.KINDS, scans=[reminders.scan])
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import Result

        register_coded_model(Result, "plan__enrollment__cohort__program")
