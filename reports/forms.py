"""Forms of the reports pages."""

from __future__ import annotations

from django import forms


class ResendForm(forms.Form):
    """Which of the failed notifications on the page to send again: only codes of rows the
    page shows are accepted (anything else, another program's or unknown, is refused whole)."""

    codes = forms.MultipleChoiceField(
        label="Notifications to send again",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one notification to send again.",
            "invalid_choice": "One of the chosen notifications is not on this page any more "
            "(sent again already, or not one of this program's). Nothing was sent.",
        },
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {str(n.code): n for n in rows}
        self.fields["codes"].choices = [(code, code) for code in self.rows]

    def chosen_ids(self) -> list[int]:
        return [self.rows[code].pk for code in self.cleaned_data["codes"]]
