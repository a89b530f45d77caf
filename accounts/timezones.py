"""IANA time zones offered to users, most used by our programs first."""

import zoneinfo

from django.core.exceptions import ValidationError

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
