from django.db import transaction

from .models import User
from .updates import model_update

SETTINGS_FIELDS = ("full_name", "preferred_name", "pronouns", "time_zone")


@transaction.atomic
def user_update_settings(*, user: User, data: dict) -> User:
    model_update(user, data=data, fields=SETTINGS_FIELDS)
    return user
