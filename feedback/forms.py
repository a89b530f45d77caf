"""Staff forms: questions of the bank, forms built from it, an evaluation attached to
sessions, a survey window. Choices come from lists the view read once (the query budget)."""

from __future__ import annotations

from typing import cast

from django import forms

from curriculum.models import SessionKind

from .models import MAX_CHOICES, FormPurpose, Question, QuestionKind, SurveyPhase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Type of question")
    text = forms.CharField(max_length=300, label="Question")
    help_text = forms.CharField(max_length=300, required=False, label="Help text")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options (single and multiple choice)",
        help_text=f"One a line, from 2 to {MAX_CHOICES}.",
    )
    labels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Labels of 1 to 5 (rating)",
        help_text="Five lines, from 1 to 5; left empty: Poor, Fair, Good, Very good, Excellent.",
    )

    def clean_choices(self):
        return _lines(self.cleaned_data.get("choices"))

    def clean_labels(self):
        return _lines(self.cleaned_data.get("labels"))


class BuildForm(forms.Form):
    """A form from the bank. The first question is the one emails offer as one-click answers
    (a rating, 0–10 or single choice); the others follow in the bank's order."""

    title = forms.CharField(max_length=200)
    purpose = forms.ChoiceField(choices=FormPurpose.choices, label="Used for")
    anonymous = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Answers keep no link to the person (always so for coaching feedback).",
    )
    intro = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    questions = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Questions from the bank",
        error_messages={"required": "Choose at least one question."},
    )
    first = forms.ChoiceField(
        required=False,
        label="Asked first",
        help_text="Offered as one-click answers in emails. Left empty: the first chosen.",
    )
    optional = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Optional questions",
        help_text="The others must be answered.",
    )

    def __init__(self, *args, bank: list[Question], fixed_purpose: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank = {str(q.pk): q for q in bank}
        choices = [(str(q.pk), f"{q.text} ({q.get_kind_display()})") for q in bank]
        cast(forms.ChoiceField, self.fields["questions"]).choices = choices
        cast(forms.ChoiceField, self.fields["optional"]).choices = choices
        cast(forms.ChoiceField, self.fields["first"]).choices = [("", "—"), *choices]
        if fixed_purpose:
            # What a form is used for never changes: its answers are grouped by it.
            del self.fields["purpose"]

    def clean(self):
        data = super().clean()
        chosen = data.get("questions") or []
        first = data.get("first")
        if first and first not in chosen:
            self.add_error("first", "Choose one of the questions ticked above.")
        if set(data.get("optional") or []) - set(chosen):
            self.add_error("optional", "Only questions ticked above can be optional.")
        return data

    def service_args(self) -> dict:
        """title, intro, anonymous and [(question, required)] in the order asked."""
        data = self.cleaned_data
        chosen = list(data["questions"])
        if data.get("first"):
            chosen.remove(data["first"])
            chosen.insert(0, data["first"])
        optional = set(data.get("optional") or [])
        return {
            "title": data["title"],
            "intro": data["intro"],
            "anonymous": data["anonymous"],
            "questions": [(self.bank[pk], pk not in optional) for pk in chosen],
        }


class EvaluationForm(forms.Form):
    form = forms.ChoiceField(label="Evaluation form")
    session_kind = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *SessionKind.choices],
        label="After every session of this kind",
    )
    session = forms.ChoiceField(required=False, label="Or after this one session")
    remind_after_days = forms.IntegerField(
        min_value=0, max_value=30, initial=2, label="Remind after (days)"
    )
    open_days = forms.IntegerField(
        min_value=1, max_value=60, initial=7, label="Closes after (days)"
    )

    def __init__(self, *args, forms_open, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.forms_open = {str(f.pk): f for f in forms_open}
        self.sessions = {str(s.pk): s for s in sessions}
        self.fields["form"].choices = [("", "Choose…")] + [
            (pk, f.title) for pk, f in self.forms_open.items()
        ]
        self.fields["session"].choices = [("", "—")] + [
            (pk, f"{s.starts_at:%-d %b %Y}: {s.title}") for pk, s in self.sessions.items()
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("session")) == bool(data.get("session_kind")):
            self.add_error("session_kind", "Choose a kind of session, or one session.")
        return data

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "form": self.forms_open[data["form"]],
            "session": self.sessions.get(data.get("session") or ""),
            "session_kind": data.get("session_kind") or "",
            "open_days": data["open_days"],
            "remind_after_days": data["remind_after_days"],
        }


class SurveyForm(forms.Form):
    form = forms.ChoiceField(label="Survey form")
    phase = forms.ChoiceField(choices=SurveyPhase.choices, label="When")
    opens_on = forms.DateField(widget=DATE, help_text="The first day (in the cohort's zone).")
    closes_on = forms.DateField(widget=DATE, help_text="The last day fellows can answer.")

    def __init__(self, *args, forms_open, **kwargs):
        super().__init__(*args, **kwargs)
        self.forms_open = {str(f.pk): f for f in forms_open}
        self.fields["form"].choices = [("", "Choose…")] + [
            (pk, f"{f.title} ({'anonymous' if f.anonymous else 'named'})")
            for pk, f in self.forms_open.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The window must close on or after it opens.")
        return data

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "form": self.forms_open[data["form"]],
            "phase": data["phase"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
        }
