from typing import cast

from django import forms

from action_plans.forms import DATE_INPUT, CompetencyChoiceField
from action_plans.models import FocusLevel
from curriculum.models import Competency

from .evidence import allowed_text, check_evidence, max_bytes
from .models import (
    CareerSector,
    Consent,
    Gender,
    Jurisdiction,
    LivedExperience,
    RaceEthnicity,
    Result,
)


class ResultForm(forms.ModelForm):
    """A result on a plan. The consent question is asked of the fellow only: staff who record
    a result on a fellow's behalf leave it internal until the fellow decides."""

    focus_levels = forms.MultipleChoiceField(
        choices=FocusLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Levels",
        help_text="The levels this change works at; choose all that apply.",
        error_messages={"required": "Choose at least one level this result works at."},
    )
    people_reached = forms.IntegerField(
        label="People reached (estimate)",
        required=False,
        min_value=0,
        error_messages={"min_value": "People reached cannot be a negative number."},
        help_text="Leave blank if you cannot estimate it.",
    )
    evidence_url = forms.URLField(
        label="Evidence link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A link to the policy, announcement, report or article.",
    )
    competencies = CompetencyChoiceField(
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Competencies it drew on",
    )
    remove_evidence = forms.BooleanField(required=False, label="Remove the uploaded file")

    class Meta:
        model = Result
        fields = [
            "kind",
            "title",
            "story",
            "achieved_on",
            "jurisdiction",
            "focus_levels",
            "people_reached",
            "reach_source",
            "evidence_url",
            "evidence_file",
            "competencies",
            "consent",
        ]
        widgets = {
            "achieved_on": DATE_INPUT,
            "story": forms.Textarea(attrs={"rows": 6}),
            # A plain file input: removing the stored file is its own checkbox below.
            "evidence_file": forms.FileInput,
        }

    def __init__(self, *args, plan, ask_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cohort = plan.enrollment.cohort
        self.plan = plan
        cast(forms.ModelMultipleChoiceField, self.fields["competencies"]).queryset = (
            Competency.objects.filter(domain__framework_id=cohort.framework_id)
            .select_related("domain")
            .order_by("domain__order", "order", "name")
        )
        today = cohort.local_date()
        self.fields[
            "achieved_on"
        ].help_text = f"Between {cohort.start_date:%-d %b %Y} (the cohort’s start) and today."
        self.fields["achieved_on"].widget.attrs.update(
            min=cohort.start_date.isoformat(), max=today.isoformat()
        )
        self.fields[
            "evidence_file"
        ].help_text = f"Or upload it: {allowed_text()}, up to {max_bytes() // (1024 * 1024)} MB."
        cast(forms.ChoiceField, self.fields["jurisdiction"]).choices = Jurisdiction.choices
        if self.instance.pk:
            self.initial.setdefault("focus_levels", self.instance.focus_level_values())
        else:
            self.initial.setdefault("jurisdiction", plan.enrollment.state)
            self.initial.setdefault("focus_levels", plan.focus_level_values())
        if not self.instance.evidence_file:
            del self.fields["remove_evidence"]
        if ask_consent:
            self.fields["consent"].widget = forms.RadioSelect(choices=Consent.choices)
            self.fields["consent"].help_text = (
                "Your coach and program staff always see your results. You can change this "
                "at any time, and reports follow at once."
            )
        else:
            del self.fields["consent"]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            check_evidence(upload)
        return upload

    def _post_clean(self):
        # The service validates the whole result (with its plan's cohort) and reports
        # errors back onto this form.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("evidence_file", None)
        data["evidence_file"] = upload if hasattr(upload, "content_type") else None
        if "consent" not in self.fields:
            data.pop("consent", None)
        if not self.instance.pk:
            data.pop("remove_evidence", None)
        return data


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        choices=Consent.choices, widget=forms.RadioSelect, label="Your choice"
    )


class VerifyForm(forms.Form):
    verified = forms.TypedChoiceField(
        choices=[("1", "Verified"), ("0", "Not verified")], coerce=lambda v: v == "1"
    )


class DemographicsForm(forms.Form):
    """Every question is optional; each offers "Prefer not to say"."""

    race_ethnicity = forms.MultipleChoiceField(
        choices=RaceEthnicity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Race and ethnicity",
        help_text="Choose all that apply.",
        error_messages={"invalid_choice": "Choose from the listed options only."},
    )
    gender = forms.ChoiceField(
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose one of the listed options."},
    )
    lived_experience = forms.MultipleChoiceField(
        choices=LivedExperience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Lived experience of the communities you serve",
        help_text="Choose any that you have lived.",
        error_messages={"invalid_choice": "Choose from the listed options only."},
    )
    career_sector = forms.ChoiceField(
        choices=CareerSector.choices,
        widget=forms.RadioSelect,
        required=False,
        label="Career sector",
        help_text="Where you have spent most of your career.",
        error_messages={"invalid_choice": "Choose one of the listed options."},
    )
