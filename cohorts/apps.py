from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from accounts.roles import register_navigation_role

        from . import roles

        register_navigation_role("staff", roles.navigation_staff_rows)
        register_navigation_role("fellow", roles.navigation_fellow_rows)
