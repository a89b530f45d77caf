"""`accounts.updates.model_update`: the one way services change a row's fields."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.updates import model_update
from cohorts.models import Program


def _user() -> User:
    return User.objects.create_user("ada@example.org", full_name="Ada", time_zone="UTC")


@pytest.mark.django_db
def test_sets_the_given_fields_saves_them_and_says_it_changed_something():
    user = _user()
    changed = model_update(
        user,
        data={"full_name": "Ada Lovelace", "pronouns": "she/her", "email": "x@example.org"},
        fields=["full_name", "pronouns"],
    )
    assert changed is True
    saved = User.objects.get(pk=user.pk)
    assert (saved.full_name, saved.pronouns) == ("Ada Lovelace", "she/her")
    # A field not named is neither set nor saved.
    assert saved.email == "ada@example.org"


@pytest.mark.django_db
def test_saves_only_its_fields_and_the_timestamp(cast):
    program = cast.program
    with time_machine.travel(datetime.datetime(2030, 1, 2, 12, tzinfo=datetime.UTC)):
        program.description = "changed in memory, not asked for"
        model_update(program, data={"name": "Renamed"})
    saved = Program.objects.get(pk=program.pk)
    assert saved.name == "Renamed"
    assert saved.description != "changed in memory, not asked for"
    assert saved.updated_at == datetime.datetime(2030, 1, 2, 12, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_also_saves_the_fields_the_caller_set_itself():
    user = _user()
    user.preferred_name = "Countess"
    model_update(user, data={"full_name": "Ada L."}, also=["preferred_name"])
    assert User.objects.get(pk=user.pk).preferred_name == "Countess"


@pytest.mark.django_db
def test_same_values_report_no_change():
    user = _user()
    assert model_update(user, data={"full_name": "Ada"}) is False


@pytest.mark.django_db
def test_an_invalid_value_raises_and_saves_nothing():
    user = _user()
    with pytest.raises(ValidationError) as raised:
        model_update(user, data={"full_name": "Ada B.", "time_zone": "Mars/Olympus"})
    assert "time_zone" in raised.value.message_dict
    assert User.objects.get(pk=user.pk).full_name == "Ada"


@pytest.mark.django_db
def test_a_new_row_is_inserted():
    user = User(email="grace@example.org", time_zone="UTC")
    user.set_unusable_password()
    assert model_update(user, data={"full_name": "Grace"}) is True
    assert User.objects.get(email="grace@example.org").full_name == "Grace"
