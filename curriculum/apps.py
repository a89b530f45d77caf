from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "curriculum"

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
            scans=[reminders.scan],
            calendar_events=[reminders.calendar_events],
        )
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import AssessmentWindow, Assignment, Material, Module, Session, Submission

        register_coded_model(Module, "cohort__program")
        register_coded_model(Session, "cohort__program")
        register_coded_model(Material, "session__cohort__program")
        register_coded_model(Assignment, "module__cohort__program")
        register_coded_model(Submission, "enrollment__cohort__program")
        register_coded_model(AssessmentWindow, "cohort__program")
