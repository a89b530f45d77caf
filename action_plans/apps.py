from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "action_plans"
