from django import forms

from accounts.form_helpers import ModelForm
from cohorts.terms import DEFAULT_TERMS
from curriculum.models import Competency

from .models import (
    PLAN_TEXT_FIELDS,
    ActionPlan,
    FocusLevel,
    Milestone,
    MilestoneStatus,
    PlanStatus,
    ProgressSignal,
    ProgressUpdate,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.domain.name}: {obj.name}"


class PlanForm(ModelForm):
    """The plan's text, focus levels, competencies (from the cohort's framework only) and
    visibility."""

    focus_levels = forms.MultipleChoiceField(
        choices=FocusLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The levels your initiative works at; choose all that apply.",
    )
    competencies = CompetencyChoiceField(
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Competencies I mean to develop",
    )

    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "initiative",
            "problem",
            "equity_aim",
            "focus_levels",
            "policy_levers",
            "stakeholders",
            "success_measures",
            "competencies",
            "visibility",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in PLAN_TEXT_FIELDS if name != "title"
        }
        help_texts = {"visibility": "Coach and program staff always see your plan."}

    def __init__(self, *args, cohort, terms=DEFAULT_TERMS, **kwargs):
        super().__init__(*args, **kwargs)
        terms.speak_form(self)
        # The program's words for each section (cohorts/terms.py).
        for key, section in terms.section.items():
            if not section.shown:  # hidden by the program's plan template
                del self.fields[key]
                continue
            self.fields[key].label = section.label
            self.fields[key].help_text = section.help
        self.fields["competencies"].queryset = (
            Competency.objects.filter(domain__framework_id=cohort.framework_id)
            .select_related("domain")
            .order_by("domain__order", "order", "name")
        )
        if not cohort.framework_id:
            self.fields["competencies"].help_text = "Your cohort has no competency framework yet."
        if self.instance.pk:
            self.initial.setdefault("focus_levels", self.instance.focus_level_values())
        self.fields["visibility"].widget = forms.RadioSelect(
            choices=self.fields["visibility"].choices
        )


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200, label="Goal")


class MilestoneForm(ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "status", "evidence_note", "evidence_url"]
        widgets = {"due_date": DATE_INPUT, "evidence_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"status": "Marking it done records today as its completion date."}
        field_classes = {"evidence_url": forms.URLField}

    evidence_url = forms.URLField(
        label="Evidence link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A link to a document or page.",
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields[
            "due_date"
        ].help_text = f"Between {cohort.start_date:%-d %b %Y} and {cohort.end_date:%-d %b %Y}."
        self.fields["due_date"].widget.attrs.update(
            min=cohort.start_date.isoformat(), max=cohort.end_date.isoformat()
        )

    def _post_clean(self):
        # The service validates the whole milestone (with its goal's cohort) and reports
        # errors back onto this form; the model's own clean needs the goal set first.
        pass


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MilestoneStatus.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class ReorderForm(forms.Form):
    """The new order of a goal's milestones (drag and drop): every one of its milestone
    codes, each once, first to last."""

    milestones = forms.TypedMultipleChoiceField(coerce=str)

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [str(code) for code in goal.milestones.values_list("code", flat=True)]
        self.fields["milestones"].choices = [(code, code) for code in self.codes]

    def clean_milestones(self):
        codes = self.cleaned_data["milestones"]
        if len(codes) != len(set(codes)) or set(codes) != set(self.codes):
            raise forms.ValidationError("List every milestone of this goal once, in order.")
        return codes


class ProgressUpdateForm(ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["as_of", "signal", "body"]
        widgets = {
            "as_of": DATE_INPUT,
            "signal": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"signal": "Overall, my plan is"}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = cohort.local_date()
        self.fields["signal"].choices = ProgressSignal.choices
        self.fields["signal"].initial = ProgressSignal.ON_TRACK

    def _post_clean(self):
        pass


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestone = forms.ModelChoiceField(
        queryset=Milestone.objects.none(),
        required=False,
        empty_label="The plan as a whole",
        label="About",
        to_field_name="code",
    )

    def __init__(self, *args, plan, milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        field.queryset = Milestone.objects.filter(goal__plan=plan).order_by(
            "goal__order", "order", "due_date"
        )
        if milestones is not None:
            # The plan page has read them already (with their goals): the choices need no
            # query of their own; what is posted is still checked against the queryset.
            ordered = sorted(milestones, key=lambda m: (m.goal.order, m.order, m.due_date, m.pk))
            field.choices = [("", field.empty_label)] + [
                (m.code, field.label_from_instance(m)) for m in ordered
            ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the plan"), ("changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you request changes: say what should change.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("note") or "").strip():
            self.add_error("note", "Say what should change, so the fellow knows.")
        return data


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1, label="Older version")
    b = forms.IntegerField(min_value=1, label="Newer version")


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *PlanStatus.choices], required=False)
    focus_level = forms.ChoiceField(
        choices=[("", "Any focus level"), *FocusLevel.choices], required=False
    )
