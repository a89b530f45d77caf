"""Pages that belong to a person, not to one program (notification choices, the calendar
page, a coach's profile and booking hours, the announcement form), in the words of that
person's programs; and which words win for a person in several programs."""

from django.urls import reverse

from announcements.models import Audience
from announcements.selectors import audience_options
from cohorts.terms import DEFAULT_TERMS, terms_of_person
from tests.factories.accounts import UserFactory
from tests.factories.announcements import AnnouncementFactory
from tests.factories.coaching import CoachProfileFactory
from tests.factories.cohorts import EnrollmentFactory, ProgramStaffFactory
from tests.queries import count_queries

from .test_terms_everywhere import use_scholars_words


def test_a_person_of_one_program_reads_its_words(cast):
    use_scholars_words(cast.program)
    for role in ("fellow", "staff", "coach", "alumnus"):
        assert terms_of_person(cast.users[role]).participant == "scholar", role


def test_a_fellow_who_staffs_another_program_reads_their_own_programs_words(cast):
    use_scholars_words(cast.program)
    ProgramStaffFactory(program=cast.other_program, user=cast.users["fellow"])
    assert terms_of_person(cast.users["fellow"]).plan == "Advocacy Action Project"


def test_the_newest_enrollment_wins_when_programs_differ(cast):
    use_scholars_words(cast.other_program)
    alumnus = cast.users["alumnus"]  # enrolled in the institute's 2025 cohort
    assert terms_of_person(alumnus).participant == "fellow"
    EnrollmentFactory(cohort=cast.other_cohort, user=alumnus)  # starts 2026
    assert terms_of_person(alumnus).participant == "scholar"


def test_a_coach_of_programs_with_different_words_reads_the_defaults(cast):
    use_scholars_words(cast.program)
    coach = UserFactory()
    CoachProfileFactory(user=coach, programs=[cast.program, cast.other_program])
    assert terms_of_person(coach) == DEFAULT_TERMS


def test_a_coach_of_programs_with_the_same_words_reads_them(cast):
    use_scholars_words(cast.program)
    use_scholars_words(cast.other_program)
    coach = UserFactory()
    CoachProfileFactory(user=coach, programs=[cast.program, cast.other_program])
    assert terms_of_person(coach).participants == "scholars"


def test_someone_of_no_program_reads_the_defaults(cast):
    assert terms_of_person(UserFactory()) == DEFAULT_TERMS


def test_the_lookup_is_one_query_however_many_programs(cast):
    use_scholars_words(cast.program)
    ProgramStaffFactory(program=cast.other_program, user=cast.users["fellow"])
    count, _sql, _terms = count_queries(lambda: terms_of_person(cast.users["fellow"]))
    assert count == 1


def test_the_calendar_page_names_the_persons_groups(cast, client_for):
    use_scholars_words(cast.program)
    html = client_for("fellow").get(reverse("notifications:calendar")).content.decode()
    assert "peer-coaching pair meetings" in html
    assert "peer group meetings" not in html


def test_the_notification_choices_read_in_the_persons_words(cast, client_for):
    use_scholars_words(cast.program)
    html = client_for("fellow").get(reverse("notifications:preferences")).content.decode()
    assert "Peer-coaching pair meeting reminders" in html
    assert "Peer group meeting reminders" not in html


def test_a_coach_profile_reads_in_the_coachs_programs_words(cast, client_for):
    use_scholars_words(cast.program)
    profile = cast.users["coach"].coach_profile
    html = client_for("staff").get(profile.get_absolute_url()).content.decode()
    assert "of 6 scholars" in html


def test_booking_hours_read_in_the_coachs_words(cast, client_for):
    use_scholars_words(cast.program)
    html = client_for("coach").get(reverse("coaching:availability")).content.decode()
    assert "Let my scholars book sessions" in html


def test_each_audience_is_named_in_its_programs_words(cast):
    """Staff of two programs write to each program's people in that program's words."""
    use_scholars_words(cast.other_program)
    ProgramStaffFactory(program=cast.other_program, user=cast.users["staff"])
    labels = {o.label for o in audience_options(cast.users["staff"])}
    assert "Scholars of Scholars 2026" in labels
    assert "Fellows of 2026–2027 cohort" in labels
    assert "Peer group Group Kōkua (2026–2027 cohort)" in labels


def test_an_announcement_names_its_audience_in_its_programs_words(cast, client_for):
    use_scholars_words(cast.program)
    to_cohort = AnnouncementFactory(
        program=cast.program, audience=Audience.COHORT, cohort=cast.cohort, author=None
    )
    to_group = AnnouncementFactory(
        program=cast.program,
        audience=Audience.PEER_GROUP,
        cohort=cast.cohort,
        peer_group=cast.group,
        author=None,
    )
    assert to_cohort.audience_label == "Scholars of 2026–2027 cohort"
    assert to_group.audience_label == "Peer-coaching pair Group Kōkua"
    html = client_for("fellow").get(to_group.get_absolute_url()).content.decode()
    assert "To Peer-coaching pair Group Kōkua" in html
