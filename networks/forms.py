import datetime
import zoneinfo

from django import forms

from accounts.form_helpers import ModelForm
from accounts.timezones import aware_in
from cohorts.models import Enrollment, Weekday

from . import review
from .builder import MAX_SIZE, MIN_SIZE
from .models import AttendanceStatus, CheckIn, PeerGroup
from .services import SaveMode


class BuildForm(forms.Form):
    size = forms.TypedChoiceField(
        label="Group size",
        coerce=int,
        choices=[(n, f"{n} fellows") for n in range(MIN_SIZE, MAX_SIZE + 1)],
        initial=5,
        help_text="Groups will have this many fellows, give or take one.",
    )
    mode = forms.ChoiceField(
        label="Existing groups",
        choices=[
            (SaveMode.REPLACE, "Replace all groups of the cohort (before any meeting)"),
            (SaveMode.EXTEND, "Keep existing groups; group only fellows without one"),
        ],
        initial=SaveMode.REPLACE,
        widget=forms.RadioSelect,
    )
    seed = forms.IntegerField(
        label="Shuffle number",
        min_value=0,
        max_value=999_999,
        initial=1,
        help_text="The same number gives the same proposal; try another for a different one.",
    )

    def __init__(self, *args, program=None, **kwargs):
        """The sizes the program keeps its groups to (4–6 unless it says otherwise)."""
        super().__init__(*args, **kwargs)
        low, high = MIN_SIZE, MAX_SIZE
        if program is not None:
            low, high = program.group_size_min, program.group_size_max
        size = self.fields["size"]
        size.choices = [(n, f"{n} fellows") for n in range(low, high + 1)]
        size.initial = min(max(5, low), high)
        if low != MIN_SIZE or high != MAX_SIZE:
            size.help_text = f"Groups will have this many fellows, within {low}–{high}."


class ReviewForm(forms.Form):
    """The proposal as staff edit it: a name, facilitator and meeting place per group and
    each fellow's group (or none: "not placed", refused on saving). Built for a roster and
    a number of groups."""

    def __init__(self, *args, roster, count, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = list(roster)
        self.count = count
        # Loaded once for all groups' menus, so the page costs the same for any group count.
        self.facilitators = {str(user.pk): user for user in facilitators}
        facilitator_choices = [("", "— choose later —")] + [
            (pk, str(user)) for pk, user in self.facilitators.items()
        ]
        group_choices = [(review.UNPLACED, "— not placed —")]
        group_choices += [(str(i), f"Group {i + 1}") for i in range(count)]
        for i in range(count):
            number = i + 1
            self.fields[f"name_{i}"] = forms.CharField(
                label=f"Name of group {number}", max_length=120, initial=f"Group {number}"
            )
            self.fields[f"facilitator_{i}"] = forms.ChoiceField(
                label=f"Facilitator of group {number}",
                choices=facilitator_choices,
                required=False,
                help_text="A staff member, a coach, an alumnus or an invited facilitator.",
            )
            self.fields[f"location_{i}"] = forms.CharField(
                label=f"Meeting place of group {number}", max_length=300, required=False
            )
            self.fields[f"video_url_{i}"] = forms.URLField(
                label=f"Meeting link of group {number}", required=False, assume_scheme="https"
            )
        for enrollment in self.roster:
            self.fields[f"fellow_{enrollment.code}"] = forms.ChoiceField(
                label=f"Group of {enrollment.user}", choices=group_choices, required=False
            )

    @classmethod
    def for_proposal(cls, proposal, *, roster, facilitators):
        """The unbound form showing the builder's proposal (its groups hold enrollment ids)."""
        by_pk = {e.pk: e for e in roster}
        initial = {
            f"fellow_{by_pk[fellow.key].code}": str(index)
            for index, group in enumerate(proposal.groups)
            for fellow in group
        }
        return cls(
            initial=initial, roster=roster, count=len(proposal.groups), facilitators=facilitators
        )

    def group_fields(self):
        return [
            (i, [self[f"{name}_{i}"] for name in review.GROUP_FIELDS]) for i in range(self.count)
        ]

    def fellow_rows(self):
        return [(e, self[f"fellow_{e.code}"]) for e in self.roster]

    def unplaced(self):
        """Fellows shown without a group (bound or not), for the list above the table."""
        return [
            e for e in self.roster if str(self[f"fellow_{e.code}"].value() or "") == review.UNPLACED
        ]

    def clean(self):
        data = super().clean()
        unplaced = []
        for enrollment in self.roster:
            name = f"fellow_{enrollment.code}"
            if name in data and data[name] == review.UNPLACED:
                self.add_error(name, f"Choose a group for {enrollment.user}.")
                unplaced.append(str(enrollment.user))
        if unplaced:
            raise forms.ValidationError(
                f"{len(unplaced)} fellow{'s are' if len(unplaced) > 1 else ' is'} not placed in "
                f"a group: {', '.join(unplaced)}. Choose a group for each before saving, or "
                "add a group for them."
            )
        return data

    def drafts(self):
        from .services import GroupDraft

        drafts = [
            GroupDraft(
                name=self.cleaned_data[f"name_{i}"],
                facilitator=self.facilitators.get(self.cleaned_data[f"facilitator_{i}"]),
                location=self.cleaned_data[f"location_{i}"],
                video_url=self.cleaned_data[f"video_url_{i}"],
                enrollments=[],
            )
            for i in range(self.count)
        ]
        for enrollment in self.roster:
            drafts[int(self.cleaned_data[f"fellow_{enrollment.code}"])].enrollments.append(
                enrollment
            )
        return drafts


class GroupForm(ModelForm):
    video_url = forms.URLField(label="Meeting link", required=False, assume_scheme="https")

    class Meta:
        model = PeerGroup
        fields = ["name", "facilitator", "location", "video_url", "turn_minutes"]
        fields += ["rotate_facilitation"]

    def __init__(self, *args, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitators
        self.fields["turn_minutes"].min_value = 1
        self.fields["turn_minutes"].widget.attrs.update(min=1, max=60)


class SeriesForm(forms.Form):
    first_date = forms.DateField(
        label="Starting from", widget=forms.DateInput(attrs={"type": "date"})
    )
    weekday = forms.TypedChoiceField(label="On", coerce=int, choices=Weekday.choices, initial=1)
    start_time = forms.TimeField(
        label="At",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=datetime.time(12),
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=15, max_value=240, initial=75
    )
    every_weeks = forms.IntegerField(label="Every … weeks", min_value=1, max_value=8, initial=2)
    count = forms.IntegerField(label="Number of meetings", min_value=1, max_value=26, initial=6)
    location = forms.CharField(
        label="Meeting place", max_length=300, required=False, help_text="Empty: the group's."
    )
    video_url = forms.URLField(
        label="Meeting link", required=False, assume_scheme="https", help_text="Empty: the group's."
    )


class RescheduleForm(forms.Form):
    """A meeting's new date and times, entered in the cohort's zone."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location = forms.CharField(label="Meeting place", max_length=300, required=False)
    video_url = forms.URLField(label="Meeting link", required=False, assume_scheme="https")

    def __init__(self, *args, meeting, **kwargs):
        self.zone = zoneinfo.ZoneInfo(meeting.group.cohort.time_zone)
        start, end = meeting.starts_at.astimezone(self.zone), meeting.ends_at.astimezone(self.zone)
        kwargs.setdefault(
            "initial",
            {
                "date": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "location": meeting.location,
                "video_url": meeting.video_url,
            },
        )
        super().__init__(*args, **kwargs)
        self.meeting = meeting  # the page says the zone above the form

    def clean(self):
        data = super().clean()
        for name, saved in (("start_time", "starts_at"), ("end_time", "ends_at")):
            if data.get("date") and data.get(name):
                naive = datetime.datetime.combine(data["date"], data[name])
                try:
                    data[saved] = aware_in(naive, self.zone, getattr(self.meeting, saved))
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", "The meeting must end after it starts.")
        return data

    def cleaned_times(self) -> dict:
        """The arguments of `services.meeting_reschedule`: aware UTC start and end."""
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location": data["location"],
            "video_url": data["video_url"],
        }


class AttendanceForm(forms.Form):
    def __init__(self, *args, members, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for enrollment in self.members:
            self.fields[f"member_{enrollment.pk}"] = forms.ChoiceField(
                label=str(enrollment.user),
                choices=AttendanceStatus.choices,
                initial=current.get(enrollment.pk, AttendanceStatus.PRESENT),
                widget=forms.RadioSelect,
            )

    def statuses(self):
        return {e.pk: self.cleaned_data[f"member_{e.pk}"] for e in self.members}


class CheckInForm(ModelForm):
    class Meta:
        model = CheckIn
        fields = ["committed", "done", "ask", "next_commitment", "milestones"]
        widgets = {
            "committed": forms.Textarea(attrs={"rows": 2}),
            "done": forms.Textarea(attrs={"rows": 3}),
            "ask": forms.Textarea(attrs={"rows": 2}),
            "next_commitment": forms.Textarea(attrs={"rows": 2}),
            "milestones": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "committed": "Filled in from your last check-in.",
            "milestones": "Milestones of your action plan this check-in is about.",
        }

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["milestones"]
        field.queryset = milestones
        field.required = False
        self.has_milestones = milestones.exists()
        if self.has_milestones:
            field.error_messages["invalid_choice"] = (
                "Choose only milestones of your own action plan (%(value)s is not one of them)."
            )
        else:
            field.help_text = "Your action plan has no milestones yet."
            field.error_messages["invalid_choice"] = (
                "Your action plan has no milestones yet, so this check-in cannot point at one. "
                "Add milestones to your plan first, or leave this empty."
            )


class PlaceFellowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, enrollment):
        where = f"now in {enrollment.current_group}" if enrollment.current_group else "no group"
        return f"{enrollment.user} · {enrollment.agency or 'no agency'} · {where}"


class PlaceFellowForm(forms.Form):
    """Staff bring one fellow into a group: moved from their group, or added."""

    enrollment = PlaceFellowChoiceField(
        label="Fellow",
        queryset=None,
        empty_label="— choose a fellow —",
        help_text="Active fellows of the cohort who are not in this group.",
    )
    allow_size = forms.BooleanField(
        label="Place them even though a group ends up outside 4–6 members",
        required=False,
        help_text="Needed only when the move would make a group too big or too small.",
    )

    def __init__(self, *args, fellows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = fellows


class PeerCoachingForm(forms.Form):
    """One peer-coaching conversation: who coached whom (members of the group), and a note
    for the group."""

    coach: "forms.ModelChoiceField[Enrollment]" = forms.ModelChoiceField(
        queryset=None, label="Who coached"
    )
    coachee: "forms.ModelChoiceField[Enrollment]" = forms.ModelChoiceField(
        queryset=None, label="Whom, on their plan"
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the members of the group read this; program staff see that the "
        "conversation happened.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("coach", "coachee"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda e: e.user.full_name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("coach") and cleaned.get("coach") == cleaned.get("coachee"):
            self.add_error("coachee", "Choose another member than the one who coached.")
        return cleaned
