"""Announcements (issue: nobody outside the audience reads one). Staff of the program read
every announcement of it and send to any of its audiences; a peer group's facilitator (the
alumnus, in every case here) sends to their own group; each audience reads what was sent
to it once its time has come; everyone else gets 404."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from announcements.models import Announcement, Audience

from ..factories.announcements import AnnouncementFactory
from . import LOGIN, Case, all_roles

STAFF = {"admin": 200, "staff": 200}
COHORT_READERS = {**STAFF, "fellow": 200, "peer": 200, "classmate": 200}
PROGRAM_READERS = {
    **COHORT_READERS,
    "other_cohort_fellow": 200,
    "coach": 200,
    "other_coach": 200,
    "alumnus": 200,  # facilitates a group of the program
}
# Staff of the other program announce there: the form is theirs too.
SENDERS_GET = {**all_roles(403, anonymous=LOGIN), **STAFF, "other_staff": 200, "alumnus": 200}


def _facilitator(cast):
    cast.group.facilitator = cast.alumnus
    cast.group.save()


def _announcement(audience, *, scheduled=False, with_file=False):
    def kwargs(cast):
        target = {"cohort": None}
        if audience == Audience.COHORT:
            target = {"cohort": cast.cohort}
        elif audience == Audience.PEER_GROUP:
            target = {"cohort": cast.cohort, "peer_group": cast.group}
        found = Announcement.objects.filter(program=cast.program, audience=audience).first()
        if found is None:
            extra = {}
            if scheduled:
                extra["send_at"] = timezone.now() + datetime.timedelta(days=1)
            if with_file:
                extra["attachment"] = SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 agenda")
            found = AnnouncementFactory(
                program=cast.program, audience=audience, author=cast.staff, **target, **extra
            )
        return {"code": found.code}

    return kwargs


CASES = [
    Case("announcements:mine", all_roles(200, anonymous=LOGIN), setup=_facilitator),
    Case("announcements:create", SENDERS_GET, setup=_facilitator),
    Case(
        "announcements:create",
        SENDERS_GET,  # the form again, with what is wrong next to the fields
        setup=_facilitator,
        method="post",
        data=lambda cast: {"audience": f"cohort:{cast.cohort.code}", "title": "", "body": ""},
        label="post invalid",
    ),
    # The cohort's page: those who read the cohort (the alumnus facilitates one of its groups).
    Case(
        "announcements:cohort",
        {**COHORT_READERS, "coach": 200, "other_coach": 200, "alumnus": 200},
        kwargs=lambda cast: {"code": cast.cohort.code},
        setup=_facilitator,
    ),
    Case(
        "announcements:program",
        PROGRAM_READERS,
        kwargs=lambda cast: {"slug": cast.program.slug},
        setup=_facilitator,
    ),
    # One announcement: its audience, the program's staff; nobody else.
    Case("announcements:detail", COHORT_READERS, kwargs=_announcement(Audience.COHORT)),
    Case(
        "announcements:detail",
        {**STAFF, "fellow": 200, "peer": 200, "alumnus": 200},
        kwargs=_announcement(Audience.PEER_GROUP),
        setup=_facilitator,
        label="peer group",
    ),
    Case(
        "announcements:detail",
        {k: v for k, v in PROGRAM_READERS.items() if k != "alumnus"},
        kwargs=_announcement(Audience.PROGRAM),
        label="program",
    ),
    Case(
        "announcements:detail",
        {**STAFF, "coach": 200, "other_coach": 200},
        kwargs=_announcement(Audience.COACHES),
        label="coaches",
    ),
    Case(
        "announcements:detail",
        {**STAFF, "alumnus": 200},
        kwargs=_announcement(Audience.ALUMNI),
        label="alumni",
    ),
    Case(
        "announcements:detail",
        STAFF,  # the cohort reads it once it is sent
        kwargs=_announcement(Audience.COHORT, scheduled=True),
        label="scheduled",
    ),
    Case(
        "announcements:attachment",
        COHORT_READERS,
        kwargs=_announcement(Audience.COHORT, with_file=True),
    ),
    # Withdrawing: staff (and the author) before it is sent; the audience cannot (403).
    Case(
        "announcements:withdraw",
        {"admin": 302, "staff": 302},
        kwargs=_announcement(Audience.COHORT, scheduled=True),
        method="post",
        label="scheduled",
    ),
    Case(
        "announcements:withdraw",
        {"admin": 302, "staff": 302, "fellow": 403, "peer": 403, "classmate": 403},
        kwargs=_announcement(Audience.COHORT),
        method="post",
        label="sent",
    ),
]
