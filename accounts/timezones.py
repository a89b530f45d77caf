"""IANA time zones offered to users, most used by our programs first."""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

# Fellows span Hawaii to Puerto Rico and Guam; these come first in every picker.
COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/St_Thomas",
    "Pacific/Guam",
    "Pacific/Saipan",
    "Pacific/Pago_Pago",
    "UTC",
]


def all_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def zone_choices() -> list[tuple[str, str]]:
    rest = [z for z in all_zone_names() if z not in COMMON_ZONES]
    return [(z, z.replace("_", " ")) for z in COMMON_ZONES + rest]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a known time zone. Choose one such as America/Chicago.",
            params={"value": value},
            code="invalid_time_zone",
        )


# --- Times typed into forms ------------------------------------------------------------------
# A form shows a stored instant and reads the typed one back in the same, named zone: the
# cohort's for its schedule, the viewer's own for coaching. Django's own fields convert with
# the *active* zone (the viewer's) on one side only, which moved sessions on an unchanged save.


def aware_in(naive: datetime.datetime, zone: zoneinfo.ZoneInfo, saved=None) -> datetime.datetime:
    """`naive` wall-clock time in `zone`, as UTC (aware times compare safely in UTC even
    around a change of the clocks). A time that does not exist (clocks go forward) is
    refused; one that happens twice (clocks go back) keeps the saved instant when it shows
    that same wall-clock time, and is otherwise refused, so nothing moves silently."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            "%(time)s does not exist in %(zone)s that day (the clocks go forward). "
            "Choose another time.",
            params={"time": naive.strftime("%H:%M"), "zone": zone.key},
            code="nonexistent_time",
        )
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(datetime.UTC)
    if isinstance(saved, datetime.datetime):
        local = saved.astimezone(zone)
        if local.replace(tzinfo=None, fold=0) == naive:
            return saved.astimezone(datetime.UTC)
    raise ValidationError(
        "%(time)s happens twice in %(zone)s that day (the clocks go back). Choose another time.",
        params={"time": naive.strftime("%H:%M"), "zone": zone.key},
        code="ambiguous_time",
    )


class ZonedSplitDateTimeWidget(forms.SplitDateTimeWidget):
    """A date box and a time box showing an instant in `zone` (set by its field), each with
    its own label ("Date", "Time") inside the field's fieldset, whose legend names the field:
    a legend alone leaves each box without a name (WCAG 1.3.1, 4.1.2)."""

    part_labels = ("Date", "Time")

    def __init__(self, **kwargs):
        kwargs.setdefault("date_attrs", {"type": "date"})
        kwargs.setdefault("time_attrs", {"type": "time"})
        kwargs.setdefault("date_format", "%Y-%m-%d")
        kwargs.setdefault("time_format", "%H:%M")
        super().__init__(**kwargs)
        self.zone = None

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        boxes = []
        for label, widget, sub in zip(
            self.part_labels, self.widgets, context["widget"]["subwidgets"], strict=True
        ):
            box = widget.render(sub["name"], sub["value"], sub["attrs"], renderer)
            box_id = sub["attrs"].get("id")
            if box_id:
                boxes.append(
                    format_html(
                        '<div class="col-auto"><label class="form-label small mb-1" for="{}">'
                        "{}</label>{}</div>",
                        box_id,
                        label,
                        box,
                    )
                )
            else:
                boxes.append(
                    format_html('<div class="col-auto"><label>{} {}</label></div>', label, box)
                )
        return format_html(
            '<div class="row g-2 split-datetime">{}</div>',
            format_html_join("", "{}", ((box,) for box in boxes)),
        )

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            if self.zone is not None and value.tzinfo is not None:
                value = value.astimezone(self.zone)
            return [value.date(), value.time().replace(tzinfo=None)]
        return [None, None]


class ZonedDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed in one named zone; cleans to an aware datetime in that zone.
    Call `zoned(form, zone, whose, *names)` to set the zone; it also says so on the form."""

    widget = ZonedSplitDateTimeWidget

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone: zoneinfo.ZoneInfo | None = None
        self.saved = None

    def set_zone(self, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone
        self.widget.zone = zone

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        naive = datetime.datetime.combine(day, time)
        return aware_in(naive, self.zone or timezone.get_current_timezone(), self.saved)


class ZonedDateTimeInputField(forms.DateTimeField):
    """The same in one box (`<input type="datetime-local">`)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", self.input_formats)
        super().__init__(*args, **kwargs)
        self.zone: zoneinfo.ZoneInfo | None = None
        self.saved = None

    def set_zone(self, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(self.zone or timezone.get_current_timezone())
            return value.replace(tzinfo=None)
        return value

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value
        if value in self.empty_values:
            return None
        for fmt in self.input_formats:
            try:
                # Naive on purpose: made aware in the field's zone just below.
                naive = datetime.datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007
            except (TypeError, ValueError):
                continue
            return aware_in(naive, self.zone or timezone.get_current_timezone(), self.saved)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def zoned(form, zone, whose: str, *names: str) -> None:
    """Shows and reads the form's time fields `names` in `zone` (a name or a ZoneInfo) and
    says so under each: “In America/New_York (the cohort's time zone).”"""
    zone = zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)
    for name in names:
        field = form.fields[name]
        field.set_zone(zone)
        field.saved = form.initial.get(name, field.initial)
        field.help_text = f"In {zone.key} ({whose})."


# --- Showing a span of time --------------------------------------------------------------------


def _clock(local: datetime.datetime) -> str:
    return f"{local.strftime('%I').lstrip('0')}:{local.strftime('%M %p')}"


def format_span(starts, ends, tz, *, style: str = "short") -> str:
    """When something happens, in zone `tz`, naming both days when it spans two or more
    (a two-day final gathering). The one way every page, email and digest says it:
    short  “Thu 16 Sep 2027, 9:00 AM – Fri 17 Sep 2027, 4:00 PM EDT”
    full   “Thursday 16 September 2027, 9:00 AM – 4:00 PM EDT”
    email  “Thursday, September 16, 2027 at 9:00 AM EDT (America/New_York) – 4:00 PM EDT”."""
    zone = tz if isinstance(tz, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(tz)
    start, end = starts.astimezone(zone), ends.astimezone(zone)
    one_day = start.date() == end.date()
    if style == "email":

        def day(local):
            return f"{local.strftime('%A, %B')} {local.day}, {local.year}"

        first = f"{day(start)} at {_clock(start)} {start.tzname()} ({zone.key})"
        last = f"{_clock(end)} {end.tzname()}"
        return f"{first} – {last if one_day else f'{day(end)} at {last}'}"
    pattern = "%A %-d %B %Y" if style == "full" else "%a %-d %b %Y"
    last = f"{_clock(end)} {end.tzname()}"
    if not one_day:
        last = f"{end.strftime(pattern)}, {last}"
    return f"{start.strftime(pattern)}, {_clock(start)} – {last}"


def is_multi_day(starts, ends, tz) -> bool:
    zone = tz if isinstance(tz, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(tz)
    return starts.astimezone(zone).date() != ends.astimezone(zone).date()
