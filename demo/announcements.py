"""Demo: announcements of the program's year, so the pages and read receipts look used.

Staff wrote to the current cohort (one important, one with an agenda attached), to the whole
program, to the coaches and to the alumni; the demo fellow's group heard from its
facilitator; one announcement to the cohort is scheduled for next week. About two in three
fellows opened what was sent to their cohort. Idempotent: an announcement of the same
title in the program is left as it is."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from announcements.models import Announcement, AnnouncementRead, Audience
from demo.accounts import DemoContext

AGENDA = """Spring gathering: agenda

Thursday
  9:00  Welcome and check-in
  9:30  Policy windows: case studies from the cohort
 13:00  Peer group time
 15:30  Coaching office hours

Friday
  9:00  Presenting your Leadership Action Plan
 12:00  Close
"""


def _at(ctx: DemoContext, days: int, hour: int = 15) -> datetime.datetime:
    """`days` from today (negative: before), at `hour` UTC (morning in the Americas)."""
    day = ctx.today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def seed(ctx: DemoContext) -> None:
    program, staff, cohort = ctx.program, ctx.staff, ctx.current_cohort
    cohort_start = datetime.datetime.combine(
        cohort.start_date, datetime.time(15, 0), tzinfo=datetime.UTC
    )
    planned = [
        {
            "audience": Audience.PROGRAM,
            "title": "Welcome to the new program year",
            "body": "Welcome, fellows, coaches and facilitators!\n\n"
            "Your schedule, your coach and your peer group are all in Cohortwise. "
            "Start with **your Leadership Action Plan**: a first draft is due in October.",
            "send_at": min(cohort_start, _at(ctx, -60)),
        },
        {
            "audience": Audience.COHORT,
            "cohort": cohort,
            "title": "Seminar room changed for the spring gathering",
            "body": "The spring gathering moves to **Room 4B** (fourth floor, east wing).\n\n"
            "- Badges are at the front desk\n- Lunch is in the atrium\n\n"
            "The agenda is attached.",
            "important": True,
            "send_at": _at(ctx, -9),
            "attachment": ("spring-gathering-agenda.txt", AGENDA),
        },
        {
            "audience": Audience.COHORT,
            "cohort": cohort,
            "title": "Reading for Thursday",
            "body": "Please read chapter 3 of *Leading Change* before Thursday's session, and "
            "bring one example from your own agency.\n\n"
            "[The session's materials](https://example.org/reading) are on the schedule page.",
            "send_at": _at(ctx, -4),
        },
        {
            "audience": Audience.COACHES,
            "title": "Coaches' call: mid-year check-in",
            "body": "A 45-minute call for coaches on **the second Tuesday of next month**: what "
            "is working, which fellows need more support, and the midpoint self-assessment.",
            "send_at": _at(ctx, -14),
        },
        {
            "audience": Audience.ALUMNI,
            "title": "Alumni: tell us what has changed since your year",
            "body": "A policy adopted, a program launched, people reached: record it on your "
            "plan so it counts in the impact report for our funders.",
            "send_at": _at(ctx, -20),
        },
        {
            "audience": Audience.COHORT,
            "cohort": cohort,
            "title": "Final gathering: travel details",
            "body": "Travel booking opens next week. Look out for the form from the program "
            "office, and tell us about any access needs.",
            "send_at": _at(ctx, 7),
        },
    ]
    group = ctx.objects.get("fellow_group")
    if group is not None and group.facilitator_id:
        planned.append(
            {
                "audience": Audience.PEER_GROUP,
                "cohort": group.cohort,
                "peer_group": group,
                "title": f"{group.name}: bring one question to our next meeting",
                "body": "Next time each of us brings **one question** we are stuck on. "
                "Eight minutes each, as usual.",
                "send_at": _at(ctx, -2),
                "author": group.facilitator,
            }
        )
    existing = set(Announcement.objects.filter(program=program).values_list("title", flat=True))
    fellows = [e.user for e in ctx.current_enrollments]
    for index, fields in enumerate(planned):
        if fields["title"] in existing:
            continue
        attachment = fields.pop("attachment", None)
        fields.setdefault("author", staff)
        announcement = Announcement(program=program, **fields)
        if attachment:
            name, text = attachment
            announcement.attachment.save(name, ContentFile(text.encode()), save=False)
        announcement.full_clean()
        announcement.save()
        if announcement.audience == Audience.COHORT and announcement.send_at <= _at(ctx, 0):
            AnnouncementRead.objects.bulk_create(
                AnnouncementRead(
                    announcement=announcement,
                    user=fellow,
                    opened_at=announcement.send_at + datetime.timedelta(hours=1 + n % 30),
                )
                for n, fellow in enumerate(fellows)
                if (n + index) % 3 != 2
            )
