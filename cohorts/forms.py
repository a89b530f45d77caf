from typing import cast

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError

from accounts.form_helpers import ModelForm
from accounts.timezones import zone_choices

from .geography import StateOrTerritory
from .invitations import invitable_roles
from .models import (
    GROUP_MEETING_FIELDS,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    InvitationRole,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    Sector,
    StaffRole,
)
from .photos import MAX_PHOTO_BYTES, process_photo
from .plan_template import HIDEABLE_SECTIONS, parse_skeleton
from .roster_import import MAX_BYTES as MAX_ROSTER_BYTES
from .services import PROGRAM_FIELDS
from .terms import PLAN_SECTIONS, SECTION_HELP_MAX, SECTION_LABEL_MAX, Terms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _percent_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": "Give a whole percentage, from 0 to 100.",
            "min_value": "A percentage cannot be below 0.",
            "max_value": "A percentage cannot be above 100.",
        },
    )


class ProgramForm(ModelForm):
    default_time_zone = forms.ChoiceField(
        choices=zone_choices, help_text="New cohorts start with this zone."
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=PartnerOrganization.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organizations that share this program.",
    )
    new_partners = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Add partner organizations",
        help_text="One name per line.",
    )
    coaching_behind_pace_percent = _percent_field(
        "Behind pace at (% of the entitlement)",
        "Flag a fellow whose coaching is this share of the entitlement behind an even pace "
        "across the cohort year.",
    )
    coaching_running_low_percent = _percent_field(
        "Running low at (% of the entitlement left)",
        "Warn when at most this share of the entitlement is left.",
    )

    class Meta:
        model = Program
        fields = ["partners", *PROGRAM_FIELDS]
        labels = {
            "coaching_entitlement_unit": "Coaching entitlement counted in",
            "coaching_entitlement_amount": "Coaching entitlement per fellow",
            "at_risk_days_without_coaching": "Days without coaching that flag a fellow",
            "at_risk_days_without_plan_update": "Days without a plan update that flag a fellow",
            "milestone_nudge_days_before": "Days before a milestone is due to remind",
            "overdue_nudge_interval_days": "Days between overdue reminders",
            "coach_log_nudge_hours": "Hours after a coaching session to remind the coach to log it",
            "coaching_change_cutoff_hours": "Hours before a booked coaching session when "
            "fellows can no longer move or cancel it",
        }
        help_texts = {
            "slug": "Used in links: lowercase letters, digits and hyphens. Left empty, it is "
            "made from the name.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            # Links people have saved use the slug; it does not change after creation.
            self.fields["slug"].disabled = True

    def clean_new_partners(self):
        names = [line.strip() for line in self.cleaned_data["new_partners"].splitlines()]
        names = [name for name in names if name]
        for name in names:
            if len(name) > 200:
                raise ValidationError(f"“{name[:40]}…” is longer than 200 characters.")
        return names


class CohortForm(ModelForm):
    time_zone = forms.ChoiceField(
        choices=zone_choices,
        help_text="Where the program team sits; each person still sees times in their own zone.",
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "start_date",
            "end_date",
            "time_zone",
            "status",
            "framework",
            *GROUP_MEETING_FIELDS,
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "group_meeting_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "status": "Marking a cohort completed makes its active fellows alumni.",
            "group_meeting_every_weeks": "Optional. Scheduling a peer group's meetings starts "
            "from this pattern, and a copy of the cohort keeps it for the next year.",
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The cohort must end after it starts.")
        return cleaned


class EnrollmentAddForm(forms.Form):
    """Invite one fellow: their account (made if new), enrollment and invitation."""

    email = forms.EmailField()
    full_name = forms.CharField(max_length=150)
    pronouns = forms.CharField(max_length=40, required=False)
    state = forms.ChoiceField(choices=StateOrTerritory.choices, label="State or territory")
    agency = forms.CharField(max_length=200, label="Agency or organization")
    title = forms.CharField(max_length=200, required=False)
    sector = forms.ChoiceField(choices=Sector.choices, initial=Sector.OTHER)
    partner = forms.ModelChoiceField(
        queryset=PartnerOrganization.objects.none(),
        required=False,
        label="Sponsoring partner",
        help_text="The partner organization that sponsors this fellow, if any.",
    )
    send_invitation = forms.BooleanField(
        required=False, initial=True, label="Email the invitation now"
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        _limit_to_partners(self, cohort.program)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Enrollment.objects.filter(cohort=self.cohort, user__email__iexact=email).exists():
            raise ValidationError(f"{email} is already on this cohort’s roster.")
        return email


class EnrollmentEditForm(ModelForm):
    class Meta:
        model = Enrollment
        fields = ["state", "agency", "title", "sector", "partner", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_partners(self, self.instance.cohort.program)


def _limit_to_partners(form, program):
    """The sponsoring partner is one of the program's partners; no field when it has none."""
    partners = program.partners.order_by("name")
    if not partners.exists():
        del form.fields["partner"]
        return
    form.fields["partner"].queryset = partners
    form.fields["partner"].empty_label = "No sponsoring partner"


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status")
    withdrawn_on = forms.DateField(required=False, widget=DateInput(), label="Withdrawal date")
    reason = forms.CharField(
        max_length=300, required=False, label="Reason", help_text="Required for a withdrawal."
    )

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = EnrollmentStatus.allowed_transitions()[enrollment.status]
        self.fields["to_status"].choices = [
            (value, label) for value, label in EnrollmentStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        _require_withdrawal_details(self, cleaned, cleaned.get("to_status"))
        return cleaned


def _require_withdrawal_details(form, cleaned, to_status):
    if to_status == EnrollmentStatus.WITHDRAWN:
        if not cleaned.get("withdrawn_on"):
            form.add_error("withdrawn_on", "Give the date the fellow withdrew.")
        if not (cleaned.get("reason") or "").strip():
            form.add_error("reason", "Give the reason for the withdrawal.")


class BulkAction:
    ACTIVATE = "activate"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    INVITE = "invite"
    INVITE_ALL = "invite_all"

    STATUS = {
        ACTIVATE: EnrollmentStatus.ACTIVE,
        COMPLETE: EnrollmentStatus.COMPLETED,
        WITHDRAW: EnrollmentStatus.WITHDRAWN,
    }
    CHOICES = [
        (INVITE, "Send or resend their invitation"),
        (ACTIVATE, "Mark active"),
        (COMPLETE, "Mark completed (alumni)"),
        (WITHDRAW, "Withdraw"),
        (INVITE_ALL, "Invite everyone not yet invited"),
    ]


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=BulkAction.CHOICES)
    enrollments = forms.ModelMultipleChoiceField(
        queryset=Enrollment.objects.none(), to_field_name="code", required=False
    )
    withdrawn_on = forms.DateField(required=False, widget=DateInput(), label="Withdrawal date")
    reason = forms.CharField(max_length=300, required=False, label="Reason")

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollments"].queryset = cohort.enrollments.select_related(
            "user", "cohort__program"
        )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and action != BulkAction.INVITE_ALL and not cleaned.get("enrollments"):
            self.add_error("enrollments", "Select at least one fellow.")
        _require_withdrawal_details(self, cleaned, BulkAction.STATUS.get(action))
        return cleaned


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV, UTF-8)",
        help_text=f"Up to {MAX_ROSTER_BYTES // 1024} KB. Nothing is imported until you confirm.",
    )
    as_alumni = forms.BooleanField(
        label="These people completed this cohort",
        required=False,
        help_text="For a cohort that has ended: they are loaded as alumni, with no invitation "
        "and no coaching.",
    )

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cohort is not None and not cohort.has_ended():
            del self.fields["as_alumni"]


class PersonInviteForm(forms.Form):
    """Invite a coach, a peer-group facilitator or a staff member to the program."""

    email = forms.EmailField()
    full_name = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        choices=lambda: [
            (r.value, r.label) for r in invitable_roles() if r != InvitationRole.FELLOW
        ]
    )

    def __init__(self, *args, may_invite_staff: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_invite_staff:  # only a director invites staff (cohorts.roles.manages_staff)
            staff = set(InvitationRole.staff_roles())
            role = cast(forms.ChoiceField, self.fields["role"])
            # A model field's flat (value, label) list, as Django stores it on the form field.
            choices = cast(list[tuple[str, str]], role.choices)
            role.choices = [choice for choice in choices if choice[0] not in staff]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class StaffRoleForm(forms.Form):
    """A staff member's role, changed inline on the program's people page."""

    role = forms.ChoiceField(
        choices=StaffRole.choices,
        error_messages={"invalid_choice": "Choose program director or program coordinator."},
    )


class ParticipantProfileForm(ModelForm):
    """The participant part of the profile page (the account part is AccountSettingsForm)."""

    bio = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences about your work (2,000 characters at most).",
    )
    directory_opt_in = forms.BooleanField(
        required=False,
        label="List me in the program directory",
        help_text="Your name and cohort are shown to everyone who can open the directory; "
        "each other field only to the people you choose below.",
    )
    photo = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"JPEG, PNG or WebP, up to {MAX_PHOTO_BYTES // 1024 // 1024} MB.",
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")

    class Meta:
        model = ParticipantProfile
        fields = [
            "pronouns_visibility",
            "state_visibility",
            "agency_visibility",
            "title_visibility",
            "sector_visibility",
            "bio_visibility",
            "photo_visibility",
        ]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload or not hasattr(upload, "size"):
            return None
        return process_photo(upload)


class InvitationAcceptForm(SetPasswordForm):
    """Accepting an invitation: confirm your name and time zone, choose a password."""

    full_name = forms.CharField(max_length=150, label="Your name")
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=zone_choices,
        help_text="Times of sessions and reminders are shown and sent in this zone.",
        # static/js/browser-zone.js picks the browser's own zone when it knows it.
        widget=forms.Select(attrs={"data-browser-zone": "true"}),
    )
    field_order = ["full_name", "time_zone", "new_password1", "new_password2"]


TERM_FIELDS = [
    "participant_singular",
    "participant_plural",
    "plan_name",
    "plan_short_name",
    "plan_intro",
    "group_singular",
    "group_plural",
    "group_size_min",
    "group_size_max",
]


class ProgramTermsForm(ModelForm):
    """The program's words (cohorts/terms.py): the names, and each plan section's label and
    help text (a field pair per section, kept in `plan_sections`)."""

    class Meta:
        model = Program
        fields = TERM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = Terms.of(self.instance)
        for key, (label, _) in PLAN_SECTIONS.items():
            self.fields[f"section_{key}_label"] = forms.CharField(
                label=f"“{label}” is called",
                max_length=SECTION_LABEL_MAX,
                initial=saved.section[key].label,
            )
            self.fields[f"section_{key}_help"] = forms.CharField(
                label=f"Help text under “{label}”",
                max_length=SECTION_HELP_MAX,
                required=False,
                initial=saved.section[key].help,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def section_fields(self):
        """(default label, label field, help field) per section, for the template."""
        return [
            (label, self[f"section_{key}_label"], self[f"section_{key}_help"])
            for key, (label, _) in PLAN_SECTIONS.items()
        ]

    def terms_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in TERM_FIELDS}
        data["plan_sections"] = {
            key: {
                "label": self.cleaned_data[f"section_{key}_label"],
                "help": self.cleaned_data[f"section_{key}_help"],
            }
            for key in PLAN_SECTIONS
        }
        return data


class PlanTemplateForm(forms.Form):
    """The program's plan template: sections hidden, and the skeleton as text
    (cohorts/plan_template.py)."""

    hidden = forms.MultipleChoiceField(
        label="Sections new and existing plans do not show",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skeleton = forms.CharField(
        label="Goals and milestones every new plan starts with",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="A goal per line; under it, its milestones, each starting with “-” and ending "
        "with “| days after the cohort starts”, e.g. “- Charter agreed | 30”. Plans already "
        "started keep what they have.",
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden"].choices = [
            (key, terms.section[key].label) for key in HIDEABLE_SECTIONS
        ]

    def clean_skeleton(self):
        return parse_skeleton(self.cleaned_data["skeleton"])
