import datetime
import json
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat

from accounts.form_helpers import ModelForm, start_from_defaults
from accounts.timezones import ZonedDateTimeField, zoned
from cohorts.models import Weekday

from .models import (
    AssessmentPhase,
    AttendanceStatus,
    Competency,
    CompetencyFramework,
    Module,
    Session,
    SessionKind,
)
from .uploads import validate_upload

if TYPE_CHECKING:
    from accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _fill(form, instance, exclude=("competencies", "facilitators")) -> None:
    """Starts a plain form from the saved object it edits (its fields of the same names)."""
    for name in form.fields:
        if name not in exclude and hasattr(instance, name):
            form.initial.setdefault(name, getattr(instance, name))


# --- Frameworks ----------------------------------------------------------------------------


class FrameworkForm(ModelForm):
    class Meta:
        model = CompetencyFramework
        fields = ["name", "slug", "description"]
        labels = {"slug": "Short name"}
        help_texts = {"slug": "Letters, digits and hyphens; used in exports."}


class DomainForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    order = forms.IntegerField(min_value=0, max_value=99, initial=1)

    def __init__(self, *args, instance=None, framework=None, **kwargs):
        """Filled from `instance` (a domain) when editing; a new one goes last."""
        super().__init__(*args, **kwargs)
        if instance is not None:
            _fill(self, instance)
        elif framework is not None:
            self.initial["order"] = framework.domains.count() + 1


class CompetencyForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    indicators = forms.CharField(
        label="Behavioural indicators",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="One observable behaviour per line.",
    )
    order = forms.IntegerField(min_value=0, max_value=99, initial=1)

    def __init__(self, *args, instance=None, domain=None, **kwargs):
        """Filled from `instance` (a competency) when editing; a new one goes last."""
        super().__init__(*args, **kwargs)
        if instance is not None:
            _fill(self, instance, exclude=("indicators",))
            self.initial["indicators"] = "\n".join(i.text for i in instance.indicators.all())
        elif domain is not None:
            self.initial["order"] = domain.competencies.count() + 1

    def clean_indicators(self):
        lines = [line.strip() for line in self.cleaned_data["indicators"].splitlines()]
        lines = [line for line in lines if line]
        too_long = [line for line in lines if len(line) > 400]
        if too_long:
            raise ValidationError("Keep each indicator under 400 characters.")
        return lines


class ScaleForm(forms.Form):
    levels = forms.CharField(
        label="Proficiency levels",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One level per line, lowest first: “Label — what it looks like”.",
    )

    @staticmethod
    def as_text(framework) -> str:
        """The framework's scale as the form shows it: “Label — description” per line."""
        return "\n".join(
            f"{lvl.label} — {lvl.description}" if lvl.description else lvl.label
            for lvl in framework.levels.order_by("value")
        )

    def clean_levels(self):
        levels = []
        for value, line in enumerate(
            (line.strip() for line in self.cleaned_data["levels"].splitlines() if line.strip()),
            start=1,
        ):
            label, _, description = line.partition("—")
            label = label.strip()
            if not label or len(label) > 60:
                raise ValidationError(f"Line {value}: give a label of up to 60 characters.")
            levels.append((value, label, description.strip()[:300]))
        if not 2 <= len(levels) <= 10:
            raise ValidationError("A scale has between 2 and 10 levels.")
        return levels


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label="Framework file (JSON)")
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave blank to keep the name in the file."
    )
    slug = forms.SlugField(
        label="Short name",
        max_length=80,
        required=False,
        help_text="Leave blank to keep the one in the file.",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(f"The limit is {filesizeformat(settings.MAX_UPLOAD_BYTES)}.")
        if not file.name.lower().endswith(".json"):
            raise ValidationError("Upload a .json file exported from Cohortwise.")
        try:
            return json.loads(file.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationError(f"This is not valid JSON ({exc}).") from exc


# --- Modules -------------------------------------------------------------------------------


class ModuleForm(forms.Form):
    order = forms.IntegerField(min_value=1, max_value=99)
    title = forms.CharField(max_length=200)
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The competencies this module addresses.",
    )

    def __init__(self, *args, cohort, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.filter(
            domain__framework_id=cohort.framework_id
        ).select_related("domain")
        if instance is not None:
            _fill(self, instance)
            self.initial["competencies"] = list(instance.competencies.all())
        else:
            self.initial["order"] = cohort.modules.count() + 1

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The module must end on or after its start.")
        return data


# --- Sessions ------------------------------------------------------------------------------


def facilitator_choices(cohort):
    User = get_user_model()
    return User.objects.filter(
        Q(staff_memberships__program_id=cohort.program_id)
        | Q(coach_profile__programs=cohort.program_id)
    ).distinct()


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SessionKind.choices)
    module = forms.ModelChoiceField(queryset=Module.objects.none(), required=False)
    topic = forms.CharField(
        max_length=200,
        required=False,
        help_text="For key-topic seminars, e.g. structural racism or environmental justice.",
    )
    starts_at = ZonedDateTimeField(label="Starts")
    ends_at = ZonedDateTimeField(label="Ends")
    video_url = forms.URLField(label="Online link", required=False, assume_scheme="https")
    venue = forms.CharField(max_length=200, required=False, help_text="For in-person sessions.")
    address = forms.CharField(max_length=300, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    facilitators: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, cohort, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(cohort=cohort)
        self.fields["facilitators"].queryset = facilitator_choices(cohort)
        if instance is not None:
            _fill(self, instance)
            self.initial["facilitators"] = list(instance.facilitators.all())
        else:
            start_from_defaults(self, Session)
        zoned(self, cohort.time_zone, "the cohort's time zone", "starts_at", "ends_at")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        _check_place(self, data)
        return data


def _check_place(form, data) -> None:
    """A session happens online, or at a venue people can find (both is fine)."""
    if not data.get("video_url") and not data.get("venue"):
        form.add_error("video_url", "Give an online link, or a venue with its address.")
    if data.get("venue") and not data.get("address"):
        form.add_error("address", "Give the venue's address so people can find it.")


WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=160, initial="Monthly session")
    kind = forms.ChoiceField(choices=SessionKind.choices, initial=SessionKind.MONTHLY)
    week = forms.TypedChoiceField(choices=WEEKS, coerce=int, initial=2, label="Which week")
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, initial=1, label="Day")
    start_time = forms.TimeField(widget=TIME, initial=datetime.time(13, 0))
    end_time = forms.TimeField(widget=TIME, initial=datetime.time(14, 30))
    first_month = forms.DateField(widget=DATE, help_text="Any day in the first month.")
    last_month = forms.DateField(widget=DATE, help_text="Any day in the last month.")
    video_url = forms.URLField(label="Online link", required=False, assume_scheme="https")
    venue = forms.CharField(max_length=200, required=False)
    address = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = f"In {cohort.time_zone} (the cohort's time zone)."

    def clean(self):
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", "The session must end after it starts.")
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and (last.year, last.month) < (first.year, first.month):
            self.add_error("last_month", "The last month must come after the first.")
        _check_place(self, data)
        return data


class SpeakerForm(forms.Form):
    name = forms.CharField(max_length=150)
    affiliation = forms.CharField(max_length=200, required=False)
    bio = forms.CharField(
        label="Short bio", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1500
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            _fill(self, instance)


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=200)
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    file = forms.FileField(required=False, help_text="PDF, Office documents, text or images.")

    def clean_file(self):
        file = self.cleaned_data.get("file")
        validate_upload(file)
        return file

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")) and not self.errors:
            self.add_error("url", "Give either a link or a file (not both).")
        return data


class AttendanceForm(forms.Form):
    """One radio group per person on the roster, all saved together."""

    def __init__(self, *args, roster, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        for enrollment in roster:
            self.fields[self.key(enrollment)] = forms.ChoiceField(
                label=enrollment.user.full_name,
                choices=AttendanceStatus.choices,
                initial=marks.get(enrollment.pk),
                widget=forms.RadioSelect,
                error_messages={"required": "Mark this person."},
            )

    @staticmethod
    def key(enrollment):
        return f"e-{enrollment.code}"

    def rows(self):
        for enrollment in self.roster:
            yield enrollment, self[self.key(enrollment)]

    def marks(self):
        return {e.pk: self.cleaned_data[self.key(e)] for e in self.roster}


# --- Assignments ---------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    instructions = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    due_at = ZonedDateTimeField(label="Due")

    def __init__(self, *args, cohort, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            _fill(self, instance)
        zoned(self, cohort.time_zone, "the cohort's time zone", "due_at")


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label="Your response",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
    )
    file = forms.FileField(
        label="Attach a file", required=False, help_text="PDF, Office documents, text or images."
    )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        validate_upload(file)
        return file


class FeedbackForm(forms.Form):
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    complete = forms.BooleanField(label="Mark complete", required=False)


# --- Self-assessments ----------------------------------------------------------------------


class WindowDatesForm(forms.Form):
    """The dates of a window (its phase stays what it is)."""

    opens_on = forms.DateField(widget=DATE)
    closes_on = forms.DateField(widget=DATE)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            _fill(self, instance)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The window must close on or after it opens.")
        return data


class WindowForm(WindowDatesForm):
    phase = forms.ChoiceField(choices=AssessmentPhase.choices)
    field_order = ["phase", "opens_on", "closes_on"]


class SelfAssessmentForm(forms.Form):
    """One rating (on the framework's scale) and one optional note per competency."""

    def __init__(self, *args, domains, levels, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        choices = [(lvl.value, f"{lvl.value} {lvl.label}") for lvl in levels]
        for domain in domains:
            for competency in domain.competencies.all():
                current = existing.get(competency.pk)
                self.fields[f"c-{competency.code}"] = forms.TypedChoiceField(
                    label=competency.name,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    initial=current.level.value if current else None,
                    error_messages={
                        "required": "Choose a level for this competency.",
                        "invalid_choice": "Choose a level on the scale.",
                    },
                )
                self.fields[f"n-{competency.code}"] = forms.CharField(
                    label=f"Note on {competency.name} (optional)",
                    required=False,
                    max_length=1000,
                    initial=current.note if current else "",
                )

    def grouped(self):
        for domain in self.domains:
            yield (
                domain,
                [(c, self[f"c-{c.code}"], self[f"n-{c.code}"]) for c in domain.competencies.all()],
            )

    def ratings(self):
        return {
            c.pk: (self.cleaned_data[f"c-{c.code}"], self.cleaned_data[f"n-{c.code}"])
            for domain in self.domains
            for c in domain.competencies.all()
        }


class CohortCopyForm(forms.Form):
    """The new cohort's name and dates; `confirm` is set by the preview's button."""

    name = forms.CharField(max_length=120, help_text="For example “2027–2028 cohort”.")
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The cohort must end after it starts.")
        return cleaned


class FrameworkTextForm(forms.Form):
    """A whole framework pasted as an outline or a CSV (curriculum/framework_text.py)."""

    OUTLINE, CSV = "outline", "csv"

    name = forms.CharField(max_length=200)
    slug = forms.SlugField(label="Short name", max_length=80, help_text="Letters, digits, dashes.")
    format = forms.ChoiceField(
        choices=[(OUTLINE, "Indented outline"), (CSV, "CSV: domain, competency, indicator")],
        initial=OUTLINE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="The framework",
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
        help_text="Outline: one domain per line, its competencies indented under it and "
        "their indicators indented once more. CSV: paste it here or upload the file below.",
    )
    file = forms.FileField(label="Or upload a CSV file", required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                self.add_error("file", f"The limit is {filesizeformat(settings.MAX_UPLOAD_BYTES)}.")
                return cleaned
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("file", "Save the file as “CSV UTF-8” and upload it again.")
                return cleaned
            cleaned["format"] = self.CSV
        if not (cleaned.get("text") or "").strip():
            self.add_error("text", "Paste the framework here, or upload a CSV file.")
        return cleaned
