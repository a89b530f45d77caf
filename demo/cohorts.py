"""Demo: a health-equity leadership institute (PRODUCT.md program 1) with a completed past
cohort and an active current one set up from it by copying its year, ~30 fellows each from
~20 states and territories."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from cohorts.geography import StateOrTerritory, time_zone_for_state
from cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Invitation,
    InvitationRole,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    ProgramStaff,
    Sector,
    StaffRole,
    Visibility,
)
from cohorts.services import enrollment_create, person_for_email
from demo import curriculum
from demo.accounts import DEMO_DOMAIN, DemoContext, demo_user

SLUG = "health-equity-leadership-institute"

PARTNERS = [
    "National Academy for State Health Policy",
    "Center for Public Sector Leadership",
    "Health Equity Collaborative",
]

FIRST_NAMES = [
    "Amara",
    "Luis",
    "Keoni",
    "Priya",
    "Marcus",
    "Leilani",
    "Sofia",
    "Darnell",
    "Mei",
    "Tomás",
    "Aiyana",
    "Grace",
    "Hiroshi",
    "Fatima",
    "Jamal",
    "Rosa",
    "Noelani",
    "Ethan",
    "Imani",
    "Carlos",
    "Hannah",
    "Malia",
    "Devon",
    "Yesenia",
    "Omar",
    "Ruth",
    "Kai",
    "Nadia",
    "Samuel",
    "Teresa",
]
LAST_NAMES = [
    "Okafor",
    "Rivera",
    "Kahananui",
    "Raman",
    "Whitfield",
    "Akana",
    "Delgado",
    "Brooks",
    "Chen",
    "Santiago",
    "Begay",
    "Kim",
    "Tanaka",
    "Haddad",
    "Washington",
    "Morales",
    "Palakiko",
    "Lindqvist",
    "Mensah",
    "Ortiz",
    "Novak",
    "Taitano",
    "Harris",
    "Quiñones",
    "Farouk",
    "Goldberg",
    "Cruz",
    "Petrov",
    "Adeyemi",
    "Camacho",
]
# ~20 states and territories, Hawaii to Puerto Rico and Guam.
STATES = [
    "NY",
    "CA",
    "HI",
    "TX",
    "IL",
    "PR",
    "GU",
    "WA",
    "GA",
    "NM",
    "MN",
    "AZ",
    "MI",
    "NC",
    "CO",
    "OR",
    "LA",
    "MD",
    "VI",
    "AK",
    "OH",
    "MA",
]
AGENCY_PATTERNS = [
    ("{state} Medicaid Agency", Sector.MEDICAID, "Deputy Medicaid Director"),
    ("{state} Department of Public Health", Sector.PUBLIC_HEALTH, "Chief Health Equity Officer"),
    ("{state} Office of Children and Family Services", Sector.CHILD_WELFARE, "Division Director"),
    ("Office of the Governor of {state}", Sector.GOVERNORS_OFFICE, "Senior Health Policy Advisor"),
    ("{state} Legislature, Health Committee", Sector.LEGISLATURE, "Committee Staff Director"),
    ("{state} Community Health Alliance", Sector.COMMUNITY, "Executive Director"),
]


def _program() -> Program:
    program, _ = Program.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "Health Equity Leadership Institute",
            "description": (
                "A year-long fellowship for senior public-sector leaders from states and "
                "territories: an equity-focused leadership framework, key-topic seminars, "
                "one-on-one coaching, a Leadership Action Plan and peer accountability networks."
            ),
            "default_time_zone": "America/New_York",
            "coaching_entitlement_unit": "sessions",
            "coaching_entitlement_amount": 10,
        },
    )
    for name in PARTNERS:
        partner, _ = PartnerOrganization.objects.get_or_create(name=name)
        program.partners.add(partner)
    return program


def _sponsor(index) -> PartnerOrganization | None:
    name = PARTNERS[index % len(PARTNERS)] if index % 4 else None
    return PartnerOrganization.objects.get(name=name) if name else None


def _cohort(program, name, start, end, status) -> Cohort:
    cohort, _ = Cohort.objects.update_or_create(
        program=program,
        name=name,
        defaults={"start_date": start, "end_date": end, "status": status},
    )
    return cohort


# Directory choices, in turn: open to the alumni network; the defaults with a private bio;
# location and agency open, the rest for current members; everything but the name private.
VISIBILITY_PATTERNS = [
    dict.fromkeys(
        ["pronouns", "state", "agency", "title", "sector", "bio", "photo"], Visibility.NETWORK
    ),
    {"bio": Visibility.STAFF},
    {
        "state": Visibility.NETWORK,
        "agency": Visibility.NETWORK,
        "sector": Visibility.NETWORK,
        "title": Visibility.MEMBERS,
    },
    dict.fromkeys(
        ["pronouns", "state", "agency", "title", "sector", "bio", "photo"], Visibility.STAFF
    ),
]


def _directory_choices(user, index) -> None:
    pattern = VISIBILITY_PATTERNS[index % len(VISIBILITY_PATTERNS)]
    ParticipantProfile.objects.get_or_create(
        user=user, defaults={f"{name}_visibility": value for name, value in pattern.items()}
    )


def _pending_invitation(program, user, role, *, by, enrollment=None) -> None:
    """An invitation sent a few days ago and not yet accepted. Its link is not known (only
    a hash is kept): in the demo, "Resend" on the roster prints a fresh one to the console."""
    if Invitation.objects.open().filter(program=program, user=user, role=role).exists():
        return
    invitation = Invitation(
        program=program, user=user, role=role, enrollment=enrollment, invited_by=by
    )
    invitation.issue_token()
    invitation.sent_at = timezone.now() - timedelta(days=3)
    invitation.expires_at = invitation.sent_at + timedelta(days=program.invitation_valid_days)
    invitation.send_count = 1
    invitation.save()


def _enroll(ctx, cohort, index, status, email_prefix) -> Enrollment:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + (1 if email_prefix == "past" else 0)) % len(LAST_NAMES)]
    state = STATES[index % len(STATES)]
    state_name = dict(StateOrTerritory.choices)[state]
    agency, sector, title = AGENCY_PATTERNS[index % len(AGENCY_PATTERNS)]
    suffix = f"{index}" if index >= len(FIRST_NAMES) else ""
    email = f"{email_prefix}.{slugify(first)}.{slugify(last)}{suffix}@{DEMO_DOMAIN}"
    pronouns = ["she/her", "he/him", "they/them", ""][index % 4]
    if status == EnrollmentStatus.INVITED:
        # Not joined yet: no password until they accept their invitation.
        user = person_for_email(email=email, full_name=f"{first} {last}", pronouns=pronouns)
    else:
        user = demo_user(
            email, f"{first} {last}", time_zone=time_zone_for_state(state), pronouns=pronouns
        )
    _directory_choices(user, index)
    enrollment, created = Enrollment.objects.get_or_create(
        cohort=cohort,
        user=user,
        defaults={
            "state": state,
            "agency": agency.format(state=state_name),
            "title": title,
            "sector": sector,
            "bio": f"{title} working on health equity in {state_name}.",
            "directory_opt_in": index % 5 != 0,
            "status": status,
            "status_changed_at": timezone.now(),
            "withdrawn_on": ctx.today - timedelta(days=20)
            if status == EnrollmentStatus.WITHDRAWN
            else None,
            "withdrawal_reason": "Took a new role outside the agency."
            if status == EnrollmentStatus.WITHDRAWN
            else "",
            # Most fellows come sponsored by one of the program's partners; some by none.
            "partner": _sponsor(index),
        },
    )
    if created:
        EnrollmentStatusChange.objects.create(
            enrollment=enrollment,
            from_status=EnrollmentStatus.INVITED,
            to_status=status,
            changed_by=ctx.objects.get("staff"),
            changed_at=timezone.now(),
        )
    return enrollment


# The first year's fellows, loaded as alumni when the program began using Cohortwise.
FIRST_YEAR = [
    ("Marisol Ochoa", "NM", "New Mexico Department of Health"),
    ("Darnell Whitfield", "GA", "Georgia Department of Public Health"),
    ("Keoni Kahananui", "HI", "Hawaii State Department of Health"),
    ("Priya Raman", "NJ", "New Jersey Department of Health"),
    ("Tomasz Nowak", "IL", "Illinois Department of Public Health"),
    ("Aiyana Redcloud", "SD", "South Dakota Department of Health"),
    ("Lucía Benítez", "PR", "Puerto Rico Department of Health"),
    ("Grace Whitehorse", "AZ", "Arizona Department of Health Services"),
]


def _first_year_alumni(cohort, *, by) -> None:
    """Loaded as staff load an earlier year's people (a roster import marked "these people
    completed this cohort"): alumni at once, never invited, never coached."""
    if cohort.enrollments.exists():
        return
    for full_name, state, agency in FIRST_YEAR:
        email = f"first.{slugify(full_name)}@{DEMO_DOMAIN}"
        user = person_for_email(email=email, full_name=full_name, state=state)
        enrollment_create(
            cohort=cohort,
            user=user,
            data={"state": state, "agency": agency, "title": "Program manager"},
            by=by,
            as_alumni=True,
        )


def seed(ctx: DemoContext) -> None:
    program = _program()
    director = demo_user(f"director@{DEMO_DOMAIN}", "Renée Alvarez", time_zone="America/New_York")
    coordinator = demo_user(f"staff@{DEMO_DOMAIN}", "Jordan Whitaker", time_zone="America/Chicago")
    ProgramStaff.objects.get_or_create(
        program=program, user=director, defaults={"role": StaffRole.DIRECTOR}
    )
    ProgramStaff.objects.get_or_create(
        program=program, user=coordinator, defaults={"role": StaffRole.COORDINATOR}
    )
    ctx.objects.update(program=program, staff=coordinator, director=director)
    ctx.logins["program staff"] = coordinator.email

    # The current cohort started in the autumn before "today"; the past one a year earlier,
    # set up by copying the first year's (two years earlier), whose people were loaded
    # directly as alumni. The program's years are each a copy of the one before.
    start_year = ctx.today.year if ctx.today.month >= 9 else ctx.today.year - 1
    first = _cohort(
        program,
        f"{start_year - 2}–{start_year - 1} cohort",
        date(start_year - 2, 9, 1),
        date(start_year - 1, 8, 31),
        CohortStatus.COMPLETED,
    )
    _first_year_alumni(first, by=coordinator)
    past_name, past_start, past_end = (
        f"{start_year - 1}–{start_year} cohort",
        date(start_year - 1, 9, 1),
        date(start_year, 8, 31),
    )
    if not program.cohorts.filter(name=past_name).exists():
        curriculum.cohort_copied_from(
            ctx, first, name=past_name, start_date=past_start, end_date=past_end
        )
    past = _cohort(program, past_name, past_start, past_end, CohortStatus.COMPLETED)
    name, start, end = (
        f"{start_year}–{start_year + 1} cohort",
        date(start_year, 9, 1),
        date(start_year + 1, 8, 31),
    )
    if not program.cohorts.filter(name=name).exists():
        # Set up from the past cohort, as staff do for a second year (demo/curriculum.py).
        curriculum.cohort_copied_from(ctx, past, name=name, start_date=start, end_date=end)
    current = _cohort(program, name, start, end, CohortStatus.ACTIVE)
    fellows_per_cohort = 30 * ctx.scale
    current_enrollments = []
    for i in range(fellows_per_cohort):
        # A few still invited and one withdrawn, as in any real cohort.
        status = EnrollmentStatus.ACTIVE
        if i in (27, 28):
            status = EnrollmentStatus.INVITED
        elif i == 29:
            status = EnrollmentStatus.WITHDRAWN
        current_enrollments.append(_enroll(ctx, current, i, status, "fellow"))
    past_enrollments = [
        _enroll(ctx, past, i, EnrollmentStatus.COMPLETED, "past") for i in range(fellows_per_cohort)
    ]
    for enrollment in current_enrollments:
        if enrollment.status == EnrollmentStatus.INVITED:
            _pending_invitation(
                program,
                enrollment.user,
                InvitationRole.FELLOW,
                by=coordinator,
                enrollment=enrollment,
            )
    invited_coach = person_for_email(
        email=f"invited.coach@{DEMO_DOMAIN}", full_name="Dr. Ana Lucía Ferreira"
    )
    _pending_invitation(program, invited_coach, InvitationRole.COACH, by=director)
    # The demo fellow login: a stable, easy address on the first current fellow.
    demo_fellow = current_enrollments[0].user
    ctx.objects.update(
        current_cohort=current,
        past_cohort=past,
        current_enrollments=current_enrollments,
        past_enrollments=past_enrollments,
        fellow=demo_fellow,
    )
    ctx.logins["fellow"] = demo_fellow.email
