from django.apps import AppConfig


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"

    def ready(self):
        # Its panel on the fellow's start page (cohorts/home.py).
        from cohorts.home import register_home_panel

        from .panels import FELLOW_HOME_PANEL

        register_home_panel(FELLOW_HOME_PANEL)
        # Coaching answers the questions that apps below it ask (docs/ARCHITECTURE.md).
        from accounts.roles import (
            register_mfa_rule,
            register_navigation_role,
            register_request_probe,
        )
        from cohorts import invitations
        from cohorts import roles as cohort_roles
        from notifications import registry

        from . import notices, reminders, roles
        from .services import coach_profile_join_program

        register_navigation_role("coach", roles.navigation_coach_rows)
        register_mfa_rule(roles.mfa_coach_rows)
        cohort_roles.coach_of_enrollment.register(roles.is_active_coach_of)
        cohort_roles.coach_in_cohort.register(roles.coaches_in_cohort)
        register_request_probe("coached_enrollments", roles.coached_enrollments_probe)
        register_request_probe("coached_cohorts", roles.coached_cohorts_probe)
        cohort_roles.reads_cohort.register(roles.coaches_in_cohort)
        cohort_roles.serves_program.register(roles.coaches_in_program)
        invitations.register_role(
            invitations.InvitationRole.COACH,
            invitations.RoleGrant(holds=roles.is_program_coach, grant=coach_profile_join_program),
        )
        # What coaching tells people about (notices.py) and when (reminders.py).
        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan],
            calendar_events=[reminders.calendar_events],
        )
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model, register_home_programs

        from .models import CoachAssignment, CoachingSession

        register_coded_model(CoachAssignment, "enrollment__cohort__program")
        register_coded_model(CoachingSession, "enrollment__cohort__program")
        register_home_programs(roles.home_program_rows)
