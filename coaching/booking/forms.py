"""Forms of booking: the coach's availability (weekly hours typed per weekday), a day off,
and a fellow's choice of slot."""

from __future__ import annotations

import datetime
import re

from django import forms

from accounts.form_helpers import ModelForm
from accounts.timezones import zone_choices

from ..models import SESSION_LENGTH_CHOICES, CoachAvailability, DayOff, Weekday

_TIME = r"(\d{1,2})(?::(\d{2}))?"
_RANGE = re.compile(rf"^\s*{_TIME}\s*(?:-|–|—|to)\s*{_TIME}\s*$")


def _clock(hours: str, minutes: str | None) -> datetime.time | None:
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        return datetime.time(23, 59)
    if h > 23 or m > 59:
        return None
    return datetime.time(h, m)


def parse_windows(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """ "9:00–12:00, 14:00-16:30" → [(9:00, 12:00), (14:00, 16:30)]; 24-hour clock."""
    found = []
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        starts = _clock(match[1], match[2]) if match else None
        ends = _clock(match[3], match[4]) if match else None
        if starts is None or ends is None:
            raise forms.ValidationError(
                "Write hours like 9:00–12:00 (24-hour clock), several separated by commas."
            )
        if ends <= starts:
            raise forms.ValidationError(f"{part.strip()}: the end comes after the start.")
        found.append((starts, ends))
    found.sort()
    for (_, first_ends), (second_starts, _) in zip(found, found[1:], strict=False):
        if second_starts < first_ends:
            raise forms.ValidationError("These hours overlap: write them as one range.")
    return found


def format_windows(windows) -> str:
    return ", ".join(f"{w.starts:%H:%M}–{w.ends:%H:%M}" for w in windows)


class AvailabilityForm(ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone of these hours",
        choices=zone_choices,
        help_text="Your hours stay the same on your clock when daylight saving time starts or "
        "ends; each fellow sees them in their own zone.",
    )
    session_lengths = forms.TypedMultipleChoiceField(
        label="Session lengths offered",
        choices=SESSION_LENGTH_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Offer at least one session length."},
    )
    video_url = forms.URLField(
        label="Default video link",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Put on every session a fellow books.",
    )

    class Meta:
        model = CoachAvailability
        fields = [
            "accepts_bookings",
            "time_zone",
            "session_lengths",
            "buffer_minutes",
            "min_notice_hours",
            "max_days_ahead",
            "video_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_day: dict[int, list] = {}
        if self.instance.pk:
            for window in self.instance.windows.all():
                by_day.setdefault(window.weekday, []).append(window)
        for day in Weekday:
            self.fields[f"day_{day.value}"] = forms.CharField(
                label=day.label,
                required=False,
                max_length=120,
                initial=format_windows(by_day.get(day.value, [])),
                help_text="e.g. 9:00–12:00, 14:00–16:00" if day == Weekday.MONDAY else "",
            )

    @property
    def day_fields(self):
        return [self[f"day_{day.value}"] for day in Weekday]

    def clean(self):
        cleaned = super().clean()
        windows = []
        for day in Weekday:
            name = f"day_{day.value}"
            if name not in cleaned:
                continue
            try:
                windows += [(day.value, s, e) for s, e in parse_windows(cleaned[name])]
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        self.windows = windows
        return cleaned


class DayOffForm(ModelForm):
    class Meta:
        model = DayOff
        fields = ["first_day", "last_day", "note"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"note": "Note (only you see it)"}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day off comes on or after the first.")
        return cleaned


class BookingForm(forms.Form):
    """A slot button posts its start (ISO 8601, UTC) and the length chosen. Neither is a box
    on the page (hidden): the error summary names them without a link to nowhere."""

    starts_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": "Pick a time.", "invalid": "Pick a time from the list."},
    )
    duration_minutes = forms.TypedChoiceField(
        widget=forms.HiddenInput,
        choices=SESSION_LENGTH_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": "Pick one of the lengths your coach offers."},
    )
