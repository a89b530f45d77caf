from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from accounts.roles import register_navigation_role, register_request_probe
        from audit.roles import programs_read_by
        from notifications import registry

        from . import notices, roles

        register_navigation_role("staff", roles.navigation_staff_rows)
        register_navigation_role("fellow", roles.navigation_fellow_rows)
        # Nothing about a withdrawn enrollment is sent any more.
        registry.register(skip_rules=[notices.withdrawn_fellows])
        # Program staff read their programs' audit entries (the site admin reads them all).
        programs_read_by.register(roles.audit_programs)
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from .models import Cohort, Enrollment, Invitation, RosterImport
        from .terms import register_coded_model, terms_probe

        register_coded_model(Cohort, "program")
        register_coded_model(Enrollment, "cohort__program")
        register_coded_model(RosterImport, "cohort__program")
        register_coded_model(Invitation, "program")
        register_request_probe("terms", terms_probe)
        register_request_probe("staff_programs", roles.staff_programs_probe)
