from django import forms
from django.contrib.auth.forms import SetPasswordForm

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


class InvitationAcceptForm(SetPasswordForm):
    """Accepting an invitation: confirm your name and time zone, choose a password."""

    full_name = forms.CharField(max_length=150, label="Your name")
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=zone_choices,
        help_text="Times of sessions and reminders are shown and sent in this zone.",
        # static/js/browser-zone.js picks the browser's own zone when it knows it.
        widget=forms.Select(attrs={"data-browser-zone": "true"}),
    )
    field_order = ["full_name", "time_zone", "new_password1", "new_password2"]
