from django import forms
from django.utils import timezone

from accounts.form_helpers import ModelForm
from accounts.timezones import ZonedDateTimeInputField, zoned
from curriculum.models import Competency

from .models import MAX_SESSION_MINUTES, CoachingPreferences, CoachingSession, CoachProfile
from .services import assignment_field


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.domain.name} — {obj.name}"


def competencies_for(program=None, cohort=None):
    """Competencies of the framework(s) the program's cohorts use (all when none is set)."""
    qs = Competency.objects.select_related("domain__framework")
    if cohort is not None and cohort.framework_id:
        return qs.filter(domain__framework_id=cohort.framework_id)
    if program is not None:
        frameworks = program.cohorts.exclude(framework=None).values("framework")
        if frameworks.exists():
            return qs.filter(domain__framework__in=frameworks)
    return qs


class CoachProfileForm(ModelForm):
    expertise = CompetencyChoiceField(
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Competencies of the framework you work on best.",
    )

    class Meta:
        model = CoachProfile
        fields = [
            "bio",
            "expertise",
            "expertise_tags",
            "languages",
            "regions",
            "affiliations",
            "capacity",
            "availability_note",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.instance.programs.first() if self.instance.pk else None
        self.fields["expertise"].queryset = competencies_for(program=program)

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity > 40:
            raise forms.ValidationError("No coach can take more than 40 fellows at once.")
        return capacity

    def clean_languages(self):
        languages = self.cleaned_data["languages"].strip()
        if not languages:
            raise forms.ValidationError("Name at least one language you coach in.")
        return languages


class AssignForm(forms.Form):
    coach = forms.ChoiceField(label="Coach", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=300,
        help_text="Needed when the fellow already has a coach; kept in the history.",
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [
            (str(m.profile.user.code), m.profile.user.full_name) for m in matches if m.eligible
        ]
        self._by_code = {str(m.profile.user.code): m.profile.user for m in matches}

    def clean_coach(self):
        return self._by_code[self.cleaned_data["coach"]]


class AddCoachForm(forms.Form):
    email = forms.EmailField(
        label="Email of an existing coach",
        help_text="Someone who does not coach here yet is invited from the program's people page.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        profile = (
            CoachProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if profile is None:
            raise forms.ValidationError(
                "No coach has this email. Invite them as a coach from the program's people page."
            )
        self.profile = profile
        return email


class EndAssignmentForm(forms.Form):
    reason = forms.CharField(
        label="Why does the coaching end?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the fellow's coaching history, which their coaches and staff read.",
        error_messages={"required": "Say why the assignment ends."},
    )


class SessionForm(ModelForm):
    video_url = forms.URLField(
        label="Video link", required=False, assume_scheme="https", max_length=200
    )
    competencies = CompetencyChoiceField(
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Competencies worked on",
    )
    private_note = forms.CharField(
        label="Private notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you can ever read these: not the fellow, not program staff, not "
        "another coach.",
    )

    class Meta:
        model = CoachingSession
        fields = [
            "starts_at",
            "duration_minutes",
            "mode",
            "status",
            "video_url",
            "location",
            "topics",
            "competencies",
            "shared_summary",
            "next_steps",
        ]
        field_classes = {"starts_at": ZonedDateTimeInputField}
        widgets = {
            "shared_summary": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cohort, private_note="", **kwargs):
        super().__init__(*args, **kwargs)
        # Coaching is between two people, each in their own zone: the one typing uses theirs.
        zoned(self, timezone.get_current_timezone(), "your time zone", "starts_at")
        self.fields["competencies"].queryset = competencies_for(cohort=cohort)
        self.fields["duration_minutes"].min_value = 5
        self.fields["duration_minutes"].max_value = MAX_SESSION_MINUTES
        if not self.is_bound:
            self.initial["private_note"] = private_note


class RescheduleForm(forms.Form):
    starts_at = ZonedDateTimeInputField(label="New date and time")
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=5, max_value=MAX_SESSION_MINUTES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zoned(self, timezone.get_current_timezone(), "your time zone", "starts_at")


class ReflectionForm(ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["fellow_reflection"]
        labels = {"fellow_reflection": "My reflection"}
        widgets = {"fellow_reflection": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "fellow_reflection": "A few lines for yourself and your coach (up to 1,500 characters)."
        }


class PreferencesForm(ModelForm):
    class Meta:
        model = CoachingPreferences
        fields = ["share_summaries_with_staff", "languages"]


class CohortAssignForm(forms.Form):
    """One coach per fellow without one, starting from the balanced proposal; staff change
    any row. A coach chosen for more fellows than their places left is refused next to each
    of those rows."""

    def __init__(self, *args, proposals, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self._profiles = {str(p.user.code): p for p in profiles}
        self._rows = []
        for proposal in proposals:
            name = assignment_field(proposal.enrollment)
            self.fields[name] = forms.ChoiceField(
                label=f"Coach for {proposal.enrollment.user.full_name}",
                required=False,
                choices=[("", "No coach for now")]
                + [
                    (str(m.profile.user.code), f"{m.profile.user.full_name} (score {m.score})")
                    for m in proposal.matches
                    if not m.conflict
                ],
                initial=str(proposal.proposed.user.code) if proposal.proposed else "",
            )
            self._rows.append((proposal, name))

    def rows(self):
        return [(proposal, self[name]) for proposal, name in self._rows]

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, list[str]] = {}
        for _, name in self._rows:
            if cleaned.get(name):
                chosen.setdefault(cleaned[name], []).append(name)
        for code, names in chosen.items():
            profile = self._profiles[code]
            total = profile.active_count + len(names)
            if total > profile.capacity:
                for name in names:
                    self.add_error(
                        name,
                        f"{profile.user.full_name} would coach {total} fellows, over their "
                        f"capacity of {profile.capacity}. Choose another coach for "
                        f"{total - profile.capacity} of them.",
                    )
        return cleaned

    def choices(self) -> dict:
        """{enrollment: coach user} for every row given a coach."""
        return {
            proposal.enrollment: self._profiles[self.cleaned_data[name]].user
            for proposal, name in self._rows
            if self.cleaned_data.get(name)
        }
