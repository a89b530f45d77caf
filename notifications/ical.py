"""iCalendar (RFC 5545) for email invitations and the private calendar feeds.

One UID per event (its `code`), a SEQUENCE that grows with every change, METHOD:REQUEST for
an invitation or an update and METHOD:CANCEL with STATUS:CANCELLED for a cancellation: what
Google Calendar and Outlook need to update the copy already in someone's calendar.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .timeutil import parse

UID_DOMAIN = "cohortwise"
PRODID = "-//Cohortwise//Fellowship calendar//EN"


def event_uid(code) -> str:
    return f"{code}@{UID_DOMAIN}"


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _organizer() -> vCalAddress:
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        address = address.split("<", 1)[1].rstrip(">")
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText("Cohortwise")
    return organizer


def _vevent(snapshot: dict, *, url: str, stamp: datetime.datetime, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", event_uid(snapshot["event_code"]))
    event.add("dtstamp", stamp)
    event.add("sequence", int(snapshot.get("sequence") or 0))
    event.add("summary", snapshot["event_title"])
    event.add("dtstart", parse(snapshot["starts_at"]))
    event.add("dtend", parse(snapshot["ends_at"]))
    description = []
    if snapshot.get("video_url"):
        description.append(f"Join online: {snapshot['video_url']}")
    if url:
        description.append(f"Details: {url}")
        event.add("url", url)
    if description:
        event.add("description", "\n".join(description))
    location = snapshot.get("location") or snapshot.get("video_url") or ""
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def invitation(
    snapshot: dict,
    *,
    url: str,
    attendee_email: str,
    attendee_name: str,
    now,
    cancelled: bool = False,
) -> bytes:
    """An invitation (or update, same UID and higher SEQUENCE) or a cancellation."""
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    event = _vevent(snapshot, url=url, stamp=now, cancelled=cancelled)
    event.add("organizer", _organizer())
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()


def feed(name: str, events: list[dict], milestones: list[dict], *, now) -> bytes:
    """A subscription feed (METHOD:PUBLISH): timed events and all-day milestone due dates."""
    cal = _calendar("PUBLISH", name=name)
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for snapshot in events:
        event = _vevent(
            snapshot,
            url=snapshot.get("url", ""),
            stamp=now,
            cancelled=bool(snapshot.get("cancelled")),
        )
        # RFC 5546 wants an ORGANIZER on every published event (libical checks it).
        event.add("organizer", _organizer())
        cal.add_component(event)
    for item in milestones:
        event = Event()
        event.add("uid", event_uid(item["code"]))
        event.add("dtstamp", now)
        event.add("summary", f"Due: {item['title']}")
        event.add("dtstart", item["due_date"])
        event.add("dtend", item["due_date"] + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if item.get("url"):
            event.add("url", item["url"])
            event.add("description", f"Details: {item['url']}")
        cal.add_component(event)
    return cal.to_ical()
