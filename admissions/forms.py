from __future__ import annotations

from django import forms

from cohorts.geography import StateOrTerritory

from .models import ApplicationRound, Outcome

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    """Times are read and shown in the program's zone (the view sets it)."""

    class Meta:
        model = ApplicationRound
        fields = [
            "cohort",
            "title",
            "eligibility",
            "opens_at",
            "closes_at",
            "extended_until",
            "requires_cv",
            "requires_statement",
            "letters_required",
            "reviewers_per_application",
            "hide_names",
            "accept_text",
            "waitlist_text",
            "decline_text",
        ]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "extended_until": DATETIME}
        help_texts = {
            "accept_text": "“{cohort}” is replaced by the cohort's name.",
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.order_by("-start_date")
        for name in ("opens_at", "closes_at", "extended_until"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=150)
    state = forms.ChoiceField(label="State or territory", choices=StateOrTerritory.choices)
    agency = forms.CharField(label="Agency or organization", max_length=200)
    title = forms.CharField(max_length=200, required=False)
    sector = forms.ChoiceField(choices=[])
    cv = forms.FileField(label="CV", required=False, help_text="PDF, DOCX or TXT.")
    statement = forms.FileField(
        label="Personal statement", required=False, help_text="PDF, DOCX or TXT."
    )
    # Left empty by people; filled by most bots that post the form.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, **kwargs):
        from cohorts.models import Sector

        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = Sector.choices

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ReferenceForm(forms.Form):
    name = forms.CharField(label="Referee's name", max_length=150)
    email = forms.EmailField(label="Referee's email")


class LetterForm(forms.Form):
    letter_text = forms.CharField(
        label="Your letter", widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    letter_file = forms.FileField(
        label="Or upload it", required=False, help_text="PDF, DOCX or TXT."
    )


class SeatForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=150)
    email = forms.EmailField()
    agency = forms.CharField(label="Agency or organization", max_length=200, required=False)
    state = forms.ChoiceField(
        label="State or territory",
        choices=[("", "—"), *StateOrTerritory.choices],
        required=False,
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ConflictForm(forms.Form):
    reason = forms.CharField(label="Why you cannot review this application", max_length=300)
