"""Rendering a ledger row into an email: text and HTML parts from templates/email/, a link
back to the page, and an .ics invitation for sessions and meetings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts.timezones import format_span

from . import ical
from .kinds import rule
from .ledger import absolute
from .models import Kind, Notification
from .timeutil import format_moment, parse, zone

SUBJECT_PREFIX = "[Cohortwise] "


def _date(value: str) -> str:
    day = datetime.date.fromisoformat(value)
    return f"{day.strftime('%A, %B')} {day.day}, {day.year}"


def describe(n: Notification, tz_name: str) -> dict:
    """Subject, opening sentence and detail lines of one notification, in the reader's zone."""
    p = n.payload
    lines: list[str] = []
    intro = n.title
    if rule(n.kind).is_event:
        starts, ends = parse(p["starts_at"]), parse(p["ends_at"])
        lines.append(f"When: {format_span(starts, ends, zone(tz_name), style='email')}")
        if p.get("location"):
            lines.append(f"Where: {p['location']}")
        if p.get("video_url"):
            lines.append(f"Join online: {p['video_url']}")
        intro = {
            Kind.SESSION_24H: "A reminder of your upcoming session.",
            Kind.SESSION_1H: "Your online session starts in an hour.",
            Kind.COACHING_24H: "A reminder of your upcoming coaching session.",
            Kind.COACHING_1H: "Your online coaching session starts in an hour.",
            Kind.MEETING_24H: "A reminder: your peer group meets soon.",
            Kind.MEETING_1H: "Your peer group meets online in an hour.",
            Kind.EVENT_UPDATED: "The time or place has changed. The attached invitation "
            "updates your calendar.",
            Kind.EVENT_CANCELLED: "This has been cancelled. The attached file removes it from "
            "your calendar.",
        }[n.kind]
        if p.get("with_name"):
            lines.insert(0, f"With: {p['with_name']}")
    elif n.kind in (Kind.MILESTONE_SOON, Kind.MILESTONE_DUE, Kind.MILESTONE_OVERDUE):
        lines.append(f"Milestone: {p.get('milestone', '')}")
        lines.append(f"Due: {_date(p['due_date'])}")
        intro = {
            Kind.MILESTONE_SOON: "One of your action-plan milestones is due soon.",
            Kind.MILESTONE_DUE: "One of your action-plan milestones is due today.",
            Kind.MILESTONE_OVERDUE: "One of your action-plan milestones is past its due date. "
            "Mark it done, or talk with your coach about a new date.",
        }[n.kind]
    elif n.kind == Kind.PLAN_SILENT:
        intro = (
            f"You have not posted a progress update on your action plan for {p.get('days', 30)} "
            "days. A few lines are enough."
        )
        if p.get("last_update"):
            lines.append(f"Last update: {_date(p['last_update'])}")
    elif n.kind == Kind.PLAN_COMMENT:
        intro = f"{p.get('author', 'Someone')} commented on {p.get('plan', 'an action plan')}."
        if p.get("excerpt"):
            lines.append(f"“{p['excerpt']}”")
    elif n.kind == Kind.COACH_LOG:
        intro = "Your coaching session has ended. Please log it (or mark it a no-show)."
        lines.append(f"Fellow: {p.get('with_name', '')}")
        if p.get("starts_at"):
            lines.append(f"Held: {format_moment(parse(p['starts_at']), tz_name)}")
    return {"subject": n.title, "intro": intro, "lines": lines}


def build_email(n: Notification, *, now, held=()) -> EmailMultiAlternatives:
    recipient = n.recipient
    tz_name = recipient.time_zone
    context = {
        "recipient": recipient,
        "notification": n,
        "url": absolute(n.url),
        "site_url": settings.SITE_URL,
        "preferences_url": f"{settings.SITE_URL}/notifications/preferences/",
        "time_zone": tz_name,
    }
    if n.kind == Kind.DAILY_DIGEST:
        template = "email/daily_digest"
        context["items"] = [{**describe(h, tz_name), "url": absolute(h.url)} for h in held]
        subject = f"Your Cohortwise digest: {len(held)} update{'s' if len(held) != 1 else ''}"
    elif n.kind == Kind.STAFF_DIGEST:
        from .digests import staff_digest_context

        template = "email/staff_digest"
        context.update(staff_digest_context(n, now=now))
        subject = n.title
    else:
        template = "email/notification"
        context.update(describe(n, tz_name))
        subject = n.title
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"X-Cohortwise-Notification": str(n.code)},
    )
    message.attach_alternative(html, "text/html")
    if rule(n.kind).is_event:
        cancelled = n.kind == Kind.EVENT_CANCELLED
        data = ical.invitation(
            n.payload,
            url=absolute(n.url),
            attendee_email=recipient.email,
            attendee_name=recipient.display_name,
            now=now,
            cancelled=cancelled,
        )
        method = "CANCEL" if cancelled else "REQUEST"
        message.attach(
            "cancel.ics" if cancelled else "invite.ics",
            data.decode(),
            f"text/calendar; charset=utf-8; method={method}",
        )
    return message
