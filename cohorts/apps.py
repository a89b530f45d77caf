from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from accounts.roles import register_navigation_role
        from notifications import registry

        from . import notices, roles

        register_navigation_role("staff", roles.navigation_staff_rows)
        register_navigation_role("fellow", roles.navigation_fellow_rows)
        # Nothing about a withdrawn enrollment is sent any more.
        registry.register(skip_rules=[notices.withdrawn_fellows])
