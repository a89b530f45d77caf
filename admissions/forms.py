from __future__ import annotations

from django import forms

from accounts.questions import MAX_CHOICES
from cohorts.geography import StateOrTerritory

from .models import ApplicationRound, Outcome, RoundQuestion, RubricCriterion
from .services import ANSWERED_LOCK, CRITERION_MEANING, QUESTION_MEANING, SCORED_LOCK

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


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    """A question of the round, of the types evaluations use. Options and rating labels are
    one a line. `locked` (answered questions) says next to each field that would change what
    answers mean why it no longer changes."""

    choices = forms.CharField(
        label="Options",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=f"Single and multiple choice: one a line, from 2 to {MAX_CHOICES}.",
    )
    labels = forms.CharField(
        label="Rating labels",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Rating: five labels, one a line, from 1 to 5 (empty: Poor to Excellent).",
    )

    class Meta:
        model = RoundQuestion
        fields = ["kind", "text", "help_text", "choices", "labels", "required"]

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices or [])
            self.initial["labels"] = "\n".join(self.instance.labels or [])
        if locked:
            for name, what in QUESTION_MEANING.items():
                self.fields[name].help_text = ANSWERED_LOCK.format(field=what)

    def clean_choices(self) -> list[str]:
        return _lines(self.cleaned_data.get("choices", ""))

    def clean_labels(self) -> list[str]:
        return _lines(self.cleaned_data.get("labels", ""))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = RubricCriterion
        fields = ["name", "guidance", "weight"]
        help_texts = {"weight": "From 1 to 10: how much this criterion counts in the mean."}

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            for name, what in CRITERION_MEANING.items():
                self.fields[name].help_text = SCORED_LOCK.format(field=what)
