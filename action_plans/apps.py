from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "action_plans"

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
            calendar_due_dates=[reminders.calendar_milestones],
        )
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import ActionPlan, Goal, Milestone, PlanComment, ProgressUpdate

        register_coded_model(ActionPlan, "enrollment__cohort__program")
        register_coded_model(Goal, "plan__enrollment__cohort__program")
        register_coded_model(Milestone, "goal__plan__enrollment__cohort__program")
        register_coded_model(ProgressUpdate, "plan__enrollment__cohort__program")
        register_coded_model(PlanComment, "plan__enrollment__cohort__program")
