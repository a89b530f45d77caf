from typing import cast

from django import forms

from . import actions


class LogFilterForm(forms.Form):
    program = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(required=False, label="What happened")
    person = forms.EmailField(required=False, label="Done by (email address)")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, programs: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["program"]).choices = [
            ("", "Every program"),
            *sorted(programs.items(), key=lambda p: p[1]),
        ]
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "Anything"),
            *actions.known().items(),
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "program_id": data.get("program"),
            "action": data.get("action") or "",
            "actor_email": data.get("person") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }
