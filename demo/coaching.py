"""Demo: five coaches with differing capacity, expertise and languages; a coach for every
active fellow of the current cohort but one; a year of coaching sessions so far (completed,
a no-show, a cancelled one, upcoming ones, and one past session still to log), with shared
summaries and private notes; weekly booking hours for every coach. Idempotent: an
enrollment that has sessions gets no more."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from coaching.models import (
    AvailabilityWindow,
    CoachAssignment,
    CoachAvailability,
    CoachingPreferences,
    CoachingSession,
    CoachProfile,
    PrivateNote,
    SessionMode,
    SessionStatus,
)
from cohorts.models import EnrollmentStatus
from demo.accounts import DEMO_DOMAIN, DemoContext, demo_user

COACHES = [
    # email local part, name, zone, capacity, languages, regions, affiliations, tags, availability
    (
        "coach",
        "Dr. Maya Thompson",
        "America/Denver",
        8,
        "English, Spanish",
        "CO, NM, AZ, TX, PR",
        "Colorado Department of Public Health",
        "Executive presence, Medicaid policy, Difficult conversations",
        "Mondays and Wednesdays, 9 AM – 3 PM MT",
    ),
    (
        "coach.okonkwo",
        "James Okonkwo",
        "America/New_York",
        6,
        "English, Igbo",
        "NY, MD, NC, GA, MA",
        "New York State Department of Health",
        "Coalition building, Legislative strategy",
        "Tuesday and Thursday mornings ET",
    ),
    (
        "coach.kahale",
        "Leilani Kahale",
        "Pacific/Honolulu",
        5,
        "English, Hawaiian",
        "HI, GU, AK, WA, OR",
        "Office of the Governor of Hawaii",
        "Indigenous leadership, Community trust, Burnout",
        "Weekdays 7 – 11 AM HT",
    ),
    (
        "coach.martinez",
        "Rosa Martínez",
        "America/Puerto_Rico",
        7,
        "English, Spanish",
        "PR, VI, FL, TX, NM",
        "Puerto Rico Medicaid Agency",
        "Child welfare systems, Change management",
        "Afternoons AST, not Fridays",
    ),
    (
        "coach.chen",
        "David Chen",
        "America/Los_Angeles",
        4,
        "English, Mandarin, Cantonese",
        "CA, WA, OR, IL",
        "",
        "Data-driven decisions, Budget negotiation",
        "Evenings PT",
    ),
]

# Weekly hours each coach takes bookings in, on their own clock, as their availability note
# says: (weekdays, from, until, lengths offered).
BOOKING_HOURS = {
    "coach": ((0, 2), "09:00", "15:00", [60, 90]),
    "coach.okonkwo": ((1, 3), "08:00", "12:00", [30, 60]),
    "coach.kahale": ((0, 1, 2, 3, 4), "07:00", "11:00", [60]),
    "coach.martinez": ((0, 1, 2, 3), "13:00", "17:00", [45, 60]),
    "coach.chen": ((0, 1, 2, 3), "17:00", "20:00", [30, 60]),
}

SUMMARIES = [
    (
        "Stakeholder map, waiver timeline",
        "We mapped who needs to say yes to the waiver amendment and who can stall it. "
        "You named the budget office as the real gate.",
        "Book a 20-minute call with the budget office lead before the next session.",
        "Energised today; the deputy relationship is the real issue, not the waiver.",
    ),
    (
        "Delegation, team capacity",
        "We looked at what only you can do and what your managers could own. Two items moved "
        "off your list.",
        "Hand the data-sharing agreement to your deputy with a clear deadline.",
        "Pattern: takes back delegated work under pressure. Watch for it in February.",
    ),
    (
        "Community voice in the plan",
        "You want community partners shaping the plan, not just reviewing it. We drafted "
        "three questions for the listening sessions.",
        "Hold the first listening session and bring back what surprised you.",
        "Worried about being seen as 'the state' in the room. Revisit trust.",
    ),
    (
        "Testimony preparation",
        "We rehearsed the committee testimony and tightened the equity argument to one "
        "sentence and one story.",
        "Send the one-page brief to the committee staff director.",
        "Strong on content, rushes the story. Practice pausing.",
    ),
]


def _profile(ctx, spec, suffix="") -> CoachProfile:
    local, name, zone, capacity, languages, regions, affiliations, tags, availability = spec
    email = f"{local}{suffix}@{DEMO_DOMAIN}"
    user = demo_user(email, name + (f" {suffix}" if suffix else ""), time_zone=zone)
    profile, created = CoachProfile.objects.get_or_create(
        user=user,
        defaults={
            "bio": f"{name} coaches public-sector leaders on {tags.split(',')[0].lower()} "
            f"and equity-centred leadership.",
            "capacity": capacity,
            "languages": languages,
            "regions": regions,
            "affiliations": affiliations,
            "expertise_tags": tags,
            "availability_note": availability,
        },
    )
    profile.programs.add(ctx.program)
    _availability(profile, local)
    return profile


def _availability(profile: CoachProfile, local: str) -> None:
    """The coach's booking hours (once: a coach who changed them keeps theirs)."""
    days, starts, ends, lengths = BOOKING_HOURS[local]
    availability, created = CoachAvailability.objects.get_or_create(
        profile=profile,
        defaults={
            "time_zone": profile.user.time_zone,
            "session_lengths": lengths,
            "video_url": f"https://meet.example.org/{local.replace('.', '-')}",
        },
    )
    if created:
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(
                availability=availability,
                weekday=day,
                starts=datetime.time.fromisoformat(starts),
                ends=datetime.time.fromisoformat(ends),
            )
            for day in days
        )


def _at_local(day: datetime.date, hour: int, zone: str) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo(zone))


def _sessions_for(ctx, enrollment, coach, competencies, index, *, to_log=False):
    """Sessions from the cohort start to a few weeks ahead. Cadence varies: every fourth
    fellow is slow, every ninth has not started (behind pace), one is fast (running out),
    the rest about monthly."""
    if CoachingSession.objects.filter(enrollment=enrollment).exists():
        return
    cohort = enrollment.cohort
    now = timezone.now()
    gap = 28
    if index % 4 == 3:
        gap = 63
    if index == 1:
        gap = 9
    day = cohort.start_date + datetime.timedelta(days=10 + index % 7)
    if index % 9 == 8:
        # A fellow who has not started coaching yet: flagged as behind pace.
        day = max(day, ctx.today + datetime.timedelta(days=5))
    zone = enrollment.user.time_zone
    n = 0
    while day <= ctx.today + datetime.timedelta(days=30):
        starts = _at_local(day, 9 + index % 6, zone)
        future = starts > now
        status = SessionStatus.SCHEDULED if future else SessionStatus.COMPLETED
        if not future and index == 2 and n == 1:
            status = SessionStatus.NO_SHOW
        if not future and index == 4 and n == 1:
            status = SessionStatus.CANCELLED
        topics, summary, steps, note = SUMMARIES[(index + n) % len(SUMMARIES)]
        session = CoachingSession.objects.create(
            enrollment=enrollment,
            coach=coach,
            starts_at=starts,
            duration_minutes=[60, 60, 45, 90][(index + n) % 4],
            mode=[SessionMode.VIDEO, SessionMode.VIDEO, SessionMode.PHONE][n % 3],
            video_url="https://meet.example.org/coaching" if n % 3 != 2 else "",
            status=status,
            topics=topics if status == SessionStatus.COMPLETED else "",
            shared_summary=summary if status == SessionStatus.COMPLETED else "",
            next_steps=steps if status == SessionStatus.COMPLETED else "",
            cancelled_at=starts - datetime.timedelta(days=1)
            if status == SessionStatus.CANCELLED
            else None,
            logged_at=starts + datetime.timedelta(hours=2)
            if status in SessionStatus.counting()
            else None,
        )
        if status == SessionStatus.COMPLETED:
            session.competencies.set(competencies[(index + n) % max(len(competencies), 1) :][:2])
            PrivateNote.objects.create(session=session, author=coach, body=note)
        n += 1
        day += datetime.timedelta(days=gap)
    if to_log:
        # A session two days ago that the coach has not logged yet.
        CoachingSession.objects.create(
            enrollment=enrollment,
            coach=coach,
            starts_at=_at_local(ctx.today - datetime.timedelta(days=2), 10, zone),
            duration_minutes=60,
            mode=SessionMode.VIDEO,
            video_url="https://meet.example.org/coaching",
        )


def seed(ctx: DemoContext) -> None:
    profiles = [_profile(ctx, spec) for spec in COACHES]
    for k in range(1, ctx.scale):
        profiles += [_profile(ctx, spec, suffix=str(k + 1)) for spec in COACHES]
    coach = profiles[0].user
    ctx.objects["coach"] = coach
    ctx.objects["coaches"] = [p.user for p in profiles]
    ctx.logins["coach"] = coach.email

    cohort = ctx.current_cohort
    competencies = []
    if cohort.framework_id:
        from curriculum.models import Competency

        competencies = list(Competency.objects.filter(domain__framework_id=cohort.framework_id))
        for i, profile in enumerate(profiles):
            if competencies and not profile.expertise.exists():
                profile.expertise.set(competencies[i % len(competencies) :: 3][:4])

    active = [e for e in ctx.current_enrollments if e.status == EnrollmentStatus.ACTIVE]
    # The last active fellow waits for a coach: the "fellows with no coach" list is not empty.
    unassigned = active[-1]
    CoachAssignment.objects.active().filter(enrollment=unassigned).update(
        ended_at=timezone.now(), end_reason="Demo: waiting for a new coach"
    )
    load = {
        p.user_id: CoachAssignment.objects.active().filter(coach=p.user).count() for p in profiles
    }
    started = timezone.make_aware(datetime.datetime.combine(cohort.start_date, datetime.time(12)))
    for index, enrollment in enumerate(active[:-1]):
        current = CoachAssignment.objects.active().filter(enrollment=enrollment).first()
        if current is None:
            if index == 0:
                chosen = profiles[0]  # the demo fellow has the demo coach
            else:
                chosen = min(
                    (
                        p
                        for p in profiles
                        if load[p.user_id] < p.capacity
                        and enrollment.agency.casefold()
                        not in {a.casefold() for a in p.affiliation_list}
                    ),
                    key=lambda p: (load[p.user_id] / p.capacity, p.pk),
                    default=profiles[index % len(profiles)],
                )
            if index == 5:
                # A change of coach in October, kept in the history.
                earlier = profiles[(profiles.index(chosen) + 1) % len(profiles)]
                CoachAssignment.objects.create(
                    coach=earlier.user,
                    enrollment=enrollment,
                    started_at=started,
                    ended_at=started + datetime.timedelta(days=35),
                    end_reason="Schedules did not fit across time zones.",
                    assigned_by=ctx.staff,
                )
            current = CoachAssignment.objects.create(
                coach=chosen.user,
                enrollment=enrollment,
                started_at=started + datetime.timedelta(days=35 if index == 5 else 0),
                assigned_by=ctx.staff,
            )
            load[chosen.user_id] = load.get(chosen.user_id, 0) + 1
        _sessions_for(
            ctx,
            enrollment,
            current.coach,
            competencies,
            index,
            to_log=current.coach == coach and index == 0,
        )
        prefs, _ = CoachingPreferences.objects.get_or_create(
            enrollment=enrollment,
            defaults={
                "share_summaries_with_staff": index % 3 == 0,
                "consent_changed_at": timezone.now() if index % 3 == 0 else None,
                "languages": "English, Spanish" if enrollment.state in ("PR", "NM") else "English",
            },
        )
