from django.db import transaction

from .models import User


@transaction.atomic
def user_update_settings(*, user: User, data: dict) -> User:
    for field in ("full_name", "preferred_name", "pronouns", "time_zone"):
        if field in data:
            setattr(user, field, data[field])
    user.full_clean()
    user.save()
    return user
