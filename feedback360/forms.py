from django import forms

from curriculum.models import AssessmentPhase

from .models import OPEN_ANSWER_LENGTH, FeedbackPolicy, Relationship

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = FeedbackPolicy
        fields = [
            "min_supervisor",
            "min_peer",
            "min_direct_report",
            "min_community_partner",
            "min_other",
            "approval_required",
            "supervisor_shown_alone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:5]:
            self.fields[name].widget.attrs.update(min=0, max=10)
            self.fields[name].help_text = "At least this many nominated by each fellow."


class WindowForm(forms.Form):
    phase = forms.ChoiceField(choices=AssessmentPhase.choices)
    opens_on = forms.DateField(widget=DATE, help_text="The first day (in the cohort's zone).")
    closes_on = forms.DateField(
        widget=DATE, help_text="The last day raters can answer; their links expire after it."
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The window must close on or after it opens.")
        return data


class WindowDatesForm(WindowForm):
    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["phase"]
        self.initial.setdefault("opens_on", window.opens_on)
        self.initial.setdefault("closes_on", window.closes_on)


class CloseForm(forms.Form):
    confirm_short = forms.BooleanField(
        label="Close it even though some fellows have too few raters", required=False
    )


class NominationForm(forms.Form):
    name = forms.CharField(max_length=150, label="Rater's name")
    email = forms.EmailField(label="Rater's email")
    relationship = forms.ChoiceField(
        choices=[("", "Choose…"), *Relationship.choices], label="How they know you"
    )


class DecideForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"

    nominations = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one nomination."},
    )
    action = forms.ChoiceField(choices=[(APPROVE, "Approve"), (DECLINE, "Do not approve")])
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why not (when not approving)",
        help_text="The fellow sees this, so they can nominate someone else.",
    )

    def __init__(self, *args, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = list(pending)
        self.fields["nominations"].choices = [(str(n.code), str(n)) for n in self.pending]

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "codes": data["nominations"],
            "approve": data["action"] == self.APPROVE,
            "reason": data["reason"],
        }


class RaterForm(forms.Form):
    """One rating per competency on the framework's scale, and two open questions."""

    strengths = forms.CharField(
        label="What are this person's greatest strengths as a leader?",
        required=False,
        max_length=OPEN_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    to_develop = forms.CharField(
        label="What is one thing they could develop to be more effective?",
        required=False,
        max_length=OPEN_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, domains, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        choices = [(lvl.value, f"{lvl.value} {lvl.label}") for lvl in levels]
        for domain in domains:
            for competency in domain.competencies.all():
                self.fields[f"c-{competency.code}"] = forms.TypedChoiceField(
                    label=competency.name,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose a level for this competency.",
                        "invalid_choice": "Choose a level on the scale.",
                    },
                )

    def grouped(self):
        for domain in self.domains:
            yield domain, [(c, self[f"c-{c.code}"]) for c in domain.competencies.all()]

    def ratings(self) -> dict:
        return {
            c.pk: self.cleaned_data[f"c-{c.code}"]
            for domain in self.domains
            for c in domain.competencies.all()
        }
