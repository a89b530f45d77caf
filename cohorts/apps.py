from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from notifications import registry

        from . import notices

        registry.register(skip_rules=[notices.withdrawn_fellows])
