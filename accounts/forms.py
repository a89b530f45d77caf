from django import forms

from .form_helpers import ModelForm
from .models import User
from .timezones import zone_choices


class AccountSettingsForm(ModelForm):
    time_zone = forms.ChoiceField(
        choices=zone_choices,
        help_text="Every time in Cohortwise and in our emails is shown in this zone.",
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_name", "pronouns", "time_zone"]
