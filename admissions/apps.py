from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admissions"
    verbose_name = "Admissions"

    def ready(self):
        from notifications import registry

        from . import notices

        registry.register(*notices.TOPICS, *notices.KINDS)
        from accounts.adapters import register_signup_opener

        from .signup import opens_signup

        register_signup_opener(opens_signup)
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import Application, ApplicationRound, ReviewAssignment

        register_coded_model(ApplicationRound, "cohort__program")
        register_coded_model(Application, "round__cohort__program")
        register_coded_model(ReviewAssignment, "application__round__cohort__program")
