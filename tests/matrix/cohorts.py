"""Permission matrix of the cohorts app (and of accepting an invitation).

Who is who in the cast: `staff` directs the program; `other_staff` coordinates another
program; `coach` coaches `fellow`, `other_coach` coaches `classmate` (both coach the program);
`fellow`, `peer`, `classmate` and `withdrawn` are in the current cohort, `other_cohort_fellow`
in a sibling cohort, `alumnus` in the completed past cohort."""

from django.core.files.base import ContentFile

from cohorts.models import ParticipantProfile, RosterImport

from ..factories.accounts import UserFactory
from ..factories.cohorts import InvitationFactory, RosterImportFactory
from . import LOGIN, Case, all_roles

# Program staff only (site admins are staff of every program); everyone else 404.
STAFF = {"admin": 200, "staff": 200}
# Those who read the current cohort (roster, schedule) without managing it.
COHORT_READERS = ("coach", "other_coach", "fellow", "peer", "classmate")
# Staff manage; the cohort's readers get 403; everyone else 404.
COHORT_STAFF_PAGE = {**STAFF, **dict.fromkeys(COHORT_READERS, 403)}
# Staff manage the fellow's record; the fellow and their coach read it (403 on changes).
RECORD_STAFF_PAGE = {**STAFF, "coach": 403, "fellow": 403}
# Active fellows and alumni of the program have a participant profile.
PARTICIPANTS = ("fellow", "peer", "classmate", "other_cohort_fellow", "alumnus")
# The program's directory: staff, its coaches, its current fellows and its alumni.
DIRECTORY = {**STAFF, **dict.fromkeys(("coach", "other_coach", *PARTICIPANTS), 200)}


def program(cast):
    return {"slug": cast.program.slug}


def cohort(cast):
    return {"code": cast.cohort.code}


def fellow_record(cast):
    return {"code": cast.enrollments["fellow"].code}


def _fellow_with_photo(cast):
    enrollment = cast.enrollments["fellow"]
    enrollment.directory_opt_in = True
    enrollment.save()
    profile, _ = ParticipantProfile.objects.get_or_create(user=cast.fellow)
    profile.photo = ContentFile(_PNG, name="photo.png")
    profile.save()


def _roster_import(cast):
    RosterImportFactory(cohort=cast.cohort)


def _import_code(cast):
    return {"code": RosterImport.objects.get(cohort=cast.cohort).code}


def _coach_invitation(cast):
    cast.invitation = InvitationFactory(program=cast.program)


def _facilitator(cast):
    cast.facilitator = UserFactory(full_name="Fumiko Facilitator")
    cast.program.facilitators.add(cast.facilitator)


def _facilitator_of_program(cast):
    return {"slug": cast.program.slug, "user_code": cast.facilitator.code}


def _staff_member(cast):
    return {"slug": cast.program.slug, "user_code": cast.staff.code}


def _invitation_code(cast):
    return {"code": cast.invitation.code}


def _invitation_token(cast):
    return {"token": cast.invitation.token}


# A 1×1 PNG.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a9a10000000049454e44ae426082"
)

CASES = [
    # --- Start pages and the fellow's own profile -------------------------------------------
    Case("cohorts:staff_home", all_roles(200, anonymous=LOGIN)),
    Case("cohorts:fellow_home", all_roles(200, anonymous=LOGIN)),
    Case("cohorts:profile_edit", dict.fromkeys(PARTICIPANTS, 200)),
    Case(
        "cohorts:profile_edit",
        dict.fromkeys(PARTICIPANTS, 200),
        method="post",
        data=lambda cast: {"full_name": "", "time_zone": "Mars/Olympus"},
        label="invalid",
    ),
    Case(
        "cohorts:participant_photo",
        # The fellow lists themselves with the default visibility (program members): the
        # program's current members see the photo, alumni and outsiders do not.
        {
            **STAFF,
            "coach": 200,
            "other_coach": 200,
            "fellow": 200,
            "peer": 200,
            "classmate": 200,
            "other_cohort_fellow": 200,
        },
        kwargs=lambda cast: {"code": cast.fellow.code},
        setup=_fellow_with_photo,
    ),
    # --- Programs ---------------------------------------------------------------------------
    Case("cohorts:program_create", {**STAFF, "other_staff": 200}, default=403),
    Case(
        "cohorts:program_create",
        {**STAFF, "other_staff": 200},
        default=403,
        method="post",
        data=lambda cast: {"name": ""},
        label="invalid",
    ),
    Case("cohorts:program_detail", STAFF, kwargs=program),
    Case("cohorts:program_edit", STAFF, kwargs=program),
    Case(
        "cohorts:program_edit",
        STAFF,
        kwargs=program,
        method="post",
        data=lambda cast: {"name": ""},
        label="invalid",
    ),
    Case("cohorts:program_terms", STAFF, kwargs=program),
    Case(
        "cohorts:program_terms",
        STAFF,
        kwargs=program,
        method="post",
        data=lambda cast: {"participant_singular": ""},
        label="invalid",
    ),
    Case("cohorts:program_plan_template", STAFF, kwargs=program),
    Case(
        "cohorts:program_plan_template",
        STAFF,
        kwargs=program,
        method="post",
        data=lambda cast: {"skeleton": "- a milestone before any goal | 3"},
        label="invalid",
    ),
    Case("cohorts:program_people", STAFF, kwargs=program),
    Case(
        "cohorts:program_people",
        STAFF,
        kwargs=program,
        method="post",
        data=lambda cast: {"email": "not-an-email", "role": "coach"},
        label="invalid",
    ),
    Case(
        "cohorts:program_staff_role",
        # The only director stays director (refused with a message), back to the people page.
        {"admin": 302, "staff": 302},
        kwargs=_staff_member,
        method="post",
        data=lambda cast: {"role": "coordinator"},
    ),
    Case(
        "cohorts:program_staff_role",
        {"admin": 302, "staff": 302},
        kwargs=_staff_member,
        method="post",
        data=lambda cast: {"role": "emperor"},
        label="invalid",
    ),
    Case(
        "cohorts:program_staff_remove",
        # Refused (the only staff member), then back to the people page.
        {"admin": 302, "staff": 302},
        kwargs=_staff_member,
        method="post",
    ),
    Case(
        "cohorts:program_facilitator_remove",
        {"admin": 302, "staff": 302},
        kwargs=_facilitator_of_program,
        setup=_facilitator,
        method="post",
    ),
    Case("cohorts:directory", DIRECTORY, kwargs=program),
    Case("cohorts:cohort_create", STAFF, kwargs=program),
    Case(
        "cohorts:cohort_create",
        STAFF,
        kwargs=program,
        method="post",
        data=lambda cast: {"name": "", "start_date": "2027-09-01", "end_date": "2027-01-01"},
        label="invalid",
    ),
    # --- Cohorts and rosters ----------------------------------------------------------------
    Case("cohorts:cohort_detail", {**STAFF, **dict.fromkeys(COHORT_READERS, 200)}, kwargs=cohort),
    Case(
        "cohorts:cohort_detail",
        {**STAFF, "alumnus": 200},
        kwargs=lambda cast: {"code": cast.past_cohort.code},
        label="past cohort",
    ),
    Case("cohorts:cohort_edit", COHORT_STAFF_PAGE, kwargs=cohort),
    Case(
        "cohorts:cohort_edit",
        COHORT_STAFF_PAGE,
        kwargs=cohort,
        method="post",
        data=lambda cast: {"name": ""},
        label="invalid",
    ),
    Case("cohorts:roster", {**STAFF, **dict.fromkeys(COHORT_READERS, 200)}, kwargs=cohort),
    Case(
        "cohorts:roster",
        {**STAFF, "alumnus": 200},
        kwargs=lambda cast: {"code": cast.past_cohort.code},
        label="past cohort",
    ),
    Case(
        "cohorts:roster_bulk",
        # An empty selection is refused with a message, back on the roster.
        {**COHORT_STAFF_PAGE, "admin": 302, "staff": 302},
        kwargs=cohort,
        method="post",
        data=lambda cast: {"action": "activate"},
    ),
    Case("cohorts:enrollment_add", COHORT_STAFF_PAGE, kwargs=cohort),
    Case(
        "cohorts:enrollment_add",
        COHORT_STAFF_PAGE,
        kwargs=cohort,
        method="post",
        data=lambda cast: {"email": "bad", "state": "XX"},
        label="invalid",
    ),
    Case("cohorts:roster_import", COHORT_STAFF_PAGE, kwargs=cohort),
    Case(
        "cohorts:roster_import",
        COHORT_STAFF_PAGE,
        kwargs=cohort,
        method="post",
        label="no file",
    ),
    Case("cohorts:roster_import_template", COHORT_STAFF_PAGE, kwargs=cohort),
    Case("cohorts:roster_import_preview", STAFF, kwargs=_import_code, setup=_roster_import),
    Case(
        "cohorts:roster_import_apply",
        # A digest that does not match the dry run imports nothing and goes back to it.
        {"admin": 302, "staff": 302},
        kwargs=_import_code,
        setup=_roster_import,
        method="post",
        data=lambda cast: {"digest": "stale"},
    ),
    # --- One fellow's record ----------------------------------------------------------------
    Case(
        "cohorts:enrollment_detail",
        {**STAFF, "coach": 200, "fellow": 200},
        kwargs=fellow_record,
    ),
    Case(
        "cohorts:enrollment_detail",
        # A withdrawn fellow loses access, to their own record too.
        STAFF,
        kwargs=lambda cast: {"code": cast.enrollments["withdrawn"].code},
        label="withdrawn fellow's own",
    ),
    Case("cohorts:enrollment_edit", RECORD_STAFF_PAGE, kwargs=fellow_record),
    Case(
        "cohorts:enrollment_edit",
        RECORD_STAFF_PAGE,
        kwargs=fellow_record,
        method="post",
        data=lambda cast: {"agency": "", "state": "XX"},
        label="invalid",
    ),
    Case("cohorts:enrollment_status", RECORD_STAFF_PAGE, kwargs=fellow_record),
    Case(
        "cohorts:enrollment_status",
        RECORD_STAFF_PAGE,
        kwargs=fellow_record,
        method="post",
        data=lambda cast: {"to_status": "withdrawn"},
        label="invalid",
    ),
    Case(
        "cohorts:enrollment_invite",
        # The fellow has already joined: nothing is sent, back to the record.
        {**RECORD_STAFF_PAGE, "admin": 302, "staff": 302},
        kwargs=fellow_record,
        method="post",
    ),
    # --- Invitations ------------------------------------------------------------------------
    Case(
        "cohorts:invitation_resend",
        {"admin": 302, "staff": 302},
        kwargs=_invitation_code,
        setup=_coach_invitation,
        method="post",
    ),
    Case(
        "cohorts:invitation_revoke",
        {"admin": 302, "staff": 302},
        kwargs=_invitation_code,
        setup=_coach_invitation,
        method="post",
    ),
    Case(
        "invitations:accept",
        # Anyone holding the link sees the form; someone logged in as another person is told
        # to log out first.
        all_roles(200),
        kwargs=_invitation_token,
        setup=_coach_invitation,
    ),
    Case(
        "invitations:accept",
        {**all_roles(200), "anonymous": 302},
        kwargs=_invitation_token,
        setup=_coach_invitation,
        method="post",
        data=lambda cast: {
            "full_name": "Ines Invited",
            "time_zone": "America/Chicago",
            "new_password1": "a-long-Passphrase-9",
            "new_password2": "a-long-Passphrase-9",
        },
        label="accept",
    ),
    Case(
        "invitations:accept",
        all_roles(404),
        kwargs=lambda cast: {"token": "not-a-real-token"},
        label="unknown link",
    ),
]
