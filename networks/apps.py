from django.apps import AppConfig


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks"

    def ready(self):
        # Its panel on the fellow's start page (cohorts/home.py).
        from cohorts.home import register_home_panel

        from .panels import FELLOW_HOME_PANEL

        register_home_panel(FELLOW_HOME_PANEL)
        # Networks answers the questions that apps below it ask (docs/ARCHITECTURE.md).
        from accounts.roles import register_navigation_role
        from cohorts import roles as cohort_roles
        from cohorts import services as cohort_services
        from notifications import registry

        from . import notices, reminders, roles
        from .services import facilitation_release

        register_navigation_role("facilitator", roles.navigation_facilitator_rows)
        cohort_roles.peer_of_enrollment.register(roles.shares_peer_group)
        cohort_roles.reads_cohort.register(roles.facilitates_in_cohort)
        cohort_roles.serves_program.register(roles.facilitates_in_program)
        cohort_services.program_role_ended.register(facilitation_release)
        # What networks tells people about (notices.py) and when (reminders.py).
        registry.register(
            *notices.TOPICS,
            *notices.KINDS,
            scans=[reminders.scan],
            calendar_events=[reminders.calendar_events],
        )
        # Pages naming these objects speak in their program's words (cohorts/terms.py).
        from cohorts.terms import register_coded_model

        from .models import CheckIn, GroupMeeting, PeerGroup

        register_coded_model(PeerGroup, "cohort__program")
        register_coded_model(GroupMeeting, "group__cohort__program")
        register_coded_model(CheckIn, "meeting__group__cohort__program")
