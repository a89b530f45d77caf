"""A new cohort from an earlier one: the preview, the copy, what is never copied, refusals."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from curriculum.models import AssessmentWindow, Assignment, Material, Module, Session, Speaker
from tests.factories.curriculum import (
    AssessmentWindowFactory,
    AssignmentFactory,
    AttendanceFactory,
    CompetencyFactory,
    MaterialFactory,
    ModuleFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.queries import assert_stable_queries

NY = ZoneInfo("America/New_York")
UTC = datetime.UTC


def _at(day, hour, zone=NY):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


@pytest.fixture
def year(cast):
    """The past cohort's year (starts Mon 1 Sep 2025, New York): a module with a
    competency, a two-session series across the end of daylight saving time, a speaker, a
    link, an assignment, a baseline window and the attendance of its alumna."""
    past = cast.past_cohort
    competency = CompetencyFactory()
    module = ModuleFactory(
        cohort=past,
        order=1,
        title="Leading self",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2025, 12, 19),
    )
    module.competencies.add(competency)
    series = uuid.uuid4()
    first = SessionFactory(
        cohort=past,
        module=module,
        title="Monthly session",
        starts_at=_at(datetime.date(2025, 9, 16), 18),
        ends_at=_at(datetime.date(2025, 9, 16), 20),
        series=series,
    )
    SessionFactory(
        cohort=past,
        module=module,
        title="Monthly session",
        starts_at=_at(datetime.date(2025, 11, 18), 18),
        ends_at=_at(datetime.date(2025, 11, 18), 20),
        series=series,
        sequence=1,
    )
    SpeakerFactory(session=first, name="Dr Rosa Ruiz")
    MaterialFactory(session=first, title="Reading list", url="https://example.org/read")
    AssignmentFactory(
        module=module, title="Stakeholder map", due_at=_at(datetime.date(2025, 10, 3), 17)
    )
    AssessmentWindowFactory(
        cohort=past, opens_on=datetime.date(2025, 9, 1), closes_on=datetime.date(2025, 9, 15)
    )
    AttendanceFactory(session=first, enrollment=cast.enrollments["alumnus"])
    return {"competency": competency}


def _url(cast):
    return reverse("curriculum:cohort_copy", args=[cast.past_cohort.code])


NEW = {"name": "2027–2028 cohort", "start_date": "2027-08-30", "end_date": "2028-08-25"}


def test_the_preview_lists_everything_with_its_dates_and_saves_nothing(cast, client_for, year):
    client = client_for("staff")
    page = client.get(_url(cast))
    assert page.context["form"].initial["start_date"] == datetime.date(2026, 8, 31)  # a Monday
    before = Cohort.objects.count()
    response = client.post(_url(cast), NEW)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mon 30 Aug 2027 to Fri 17 Dec 2027" in body  # the module, moved by the start dates
    assert "Tue 14 Sep 2027, 18:00–20:00: Monthly session" in body
    assert "Tue 16 Nov 2027, 18:00–20:00: Monthly session" in body
    assert "2 sessions, 1 speaker, 1 material" in body
    assert "Stakeholder map — due Fri 1 Oct 2027, 17:00" in body
    assert "Baseline: Mon 30 Aug 2027 to Mon 13 Sep 2027" in body
    assert "Create 2027–2028 cohort" in body
    assert Cohort.objects.count() == before


def test_creating_copies_the_year_and_no_people(cast, client_for, year):
    client = client_for("staff")
    response = client.post(_url(cast), {**NEW, "confirm": "on"})
    new = Cohort.objects.get(name="2027–2028 cohort")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.program == cast.program and new.time_zone == cast.past_cohort.time_zone
    module = Module.objects.get(cohort=new)
    assert list(module.competencies.all()) == [year["competency"]]
    sessions = list(Session.objects.filter(cohort=new).order_by("starts_at"))
    assert [s.starts_at.astimezone(NY).strftime("%a %H:%M") for s in sessions] == [
        "Tue 18:00",
        "Tue 18:00",
    ]
    # Across the end of daylight saving time: the same local hour, a different UTC one.
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [22, 23]
    assert sessions[0].series and sessions[0].series == sessions[1].series
    assert sessions[0].series != Session.objects.filter(cohort=cast.past_cohort)[0].series
    assert all(s.module == module for s in sessions)
    assert Speaker.objects.get(session__cohort=new).name == "Dr Rosa Ruiz"
    assert Material.objects.get(session__cohort=new).url == "https://example.org/read"
    assert Assignment.objects.get(module__cohort=new).title == "Stakeholder map"
    assert AssessmentWindow.objects.get(cohort=new).opens_on == datetime.date(2027, 8, 30)
    assert not new.enrollments.exists()
    assert not new.peer_groups.exists()
    assert not sessions[0].attendance.exists()
    assert not sessions[0].facilitators.exists()


def test_a_copy_that_puts_sessions_outside_the_new_dates_is_refused_and_saves_nothing(
    cast, client_for, year
):
    client = client_for("staff")
    short = {**NEW, "end_date": "2027-10-31", "confirm": "on"}
    before = (Cohort.objects.count(), Session.objects.count(), Module.objects.count())
    response = client.post(_url(cast), short)
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Session “Monthly session” would fall on Tue 16 Nov 2027, after the cohort ends."
        in (body.replace("&ldquo;", "“").replace("&rdquo;", "”"))
        or "would fall on Tue 16 Nov 2027, after the cohort ends." in body
    )
    assert "Create 2027–2028 cohort" not in body
    assert (Cohort.objects.count(), Session.objects.count(), Module.objects.count()) == before


def test_the_service_refuses_the_same_way(cast, year):
    from django.core.exceptions import ValidationError

    from curriculum.services.cohort_copy import cohort_copy

    # An orientation on the first day (a Monday); the new year starts on a Wednesday, so
    # the Monday that keeps its weekday comes two days before the start.
    SessionFactory(
        cohort=cast.past_cohort,
        title="Orientation",
        starts_at=_at(datetime.date(2025, 9, 1), 9),
        ends_at=_at(datetime.date(2025, 9, 1), 12),
    )
    with pytest.raises(ValidationError) as exc:
        cohort_copy(
            source=cast.past_cohort,
            name="Late start",
            start_date=datetime.date(2027, 9, 1),
            end_date=datetime.date(2028, 9, 1),
            by=cast.staff,
        )
    assert exc.value.message_dict["start_date"] == [
        "Session “Orientation” would fall on Mon 30 Aug 2027, before the cohort starts."
    ]
    assert not Cohort.objects.filter(name="Late start").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**NEW, "end_date": "2027-08-01"}, "The cohort must end after it starts."),
        ({**NEW, "start_date": "not a date"}, "Enter a valid date."),
        ({**NEW, "name": ""}, "This field is required."),
    ],
)
def test_bad_dates_come_back_next_to_their_field(cast, client_for, year, data, message):
    before = Cohort.objects.count()
    response = client_for("staff").post(_url(cast), {**data, "confirm": "on"})
    assert message in response.content.decode()
    assert Cohort.objects.count() == before


def test_the_preview_costs_the_same_for_a_bigger_year(cast, client_for, year):
    client = client_for("staff")

    def grow(n):
        for i in range(n):
            module = ModuleFactory(
                cohort=cast.past_cohort,
                order=10 + i,
                starts_on=datetime.date(2025, 9, 1),
                ends_on=datetime.date(2025, 10, 1),
            )
            module.competencies.add(CompetencyFactory())
            session = SessionFactory(
                cohort=cast.past_cohort,
                module=module,
                starts_at=_at(datetime.date(2025, 9, 23), 18),
                ends_at=_at(datetime.date(2025, 9, 23), 19),
            )
            SpeakerFactory(session=session)
            MaterialFactory(session=session)
            AssignmentFactory(module=module, due_at=_at(datetime.date(2025, 10, 3), 17))

    assert_stable_queries(lambda: client.post(_url(cast), NEW), grow, factor=10)


def test_a_name_the_program_already_uses_is_refused_where_it_can_be_seen(cast, client_for, year):
    before = Cohort.objects.count()
    taken = {**NEW, "name": cast.cohort.name, "confirm": "on"}
    response = client_for("staff").post(_url(cast), taken)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in body and "already exists" in body
    assert Cohort.objects.count() == before


def _stored_materials(settings) -> dict[str, bytes]:
    root = settings.MEDIA_ROOT / "curriculum" / "materials"
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _with_uploaded_slides(cast):
    """Two sessions of the past year, each with an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = []
    for session in cast.past_cohort.sessions.order_by("starts_at"):
        material = MaterialFactory.build(session=session, title="Slides", url="")
        material.file.save(
            f"slides-{session.pk}.pdf", SimpleUploadedFile("s.pdf", b"%PDF-1.4 slides")
        )
        files.append(material.file.name)
    return files


def test_uploaded_materials_are_copied_as_files_of_their_own(cast, year, settings):
    from curriculum.services.cohort_copy import cohort_copy

    originals = _with_uploaded_slides(cast)
    cohort = cohort_copy(
        source=cast.past_cohort,
        name="2027–2028 cohort",
        start_date=datetime.date(2027, 8, 30),
        end_date=datetime.date(2028, 8, 25),
        by=cast.staff,
    )
    copies = Material.objects.filter(session__cohort=cohort).exclude(file="")
    assert copies.count() == 2
    for copy in copies:
        assert copy.file.name not in originals
        with copy.file.open("rb") as handle:
            assert handle.read() == b"%PDF-1.4 slides"
    assert len(_stored_materials(settings)) == 4


def test_a_failure_mid_copy_leaves_no_row_and_no_copied_file_in_storage(
    cast, year, settings, monkeypatch
):
    """The files are written while sessions are copied; the self-assessment windows come
    last. A failure there rolls every row back, and the copied files leave storage."""
    from curriculum.services.cohort_copy import cohort_copy

    _with_uploaded_slides(cast)
    stored = _stored_materials(settings)
    assert len(stored) == 2
    rows = (Cohort.objects.count(), Session.objects.count(), Material.objects.count())

    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(AssessmentWindow, "full_clean", fail)
    with pytest.raises(RuntimeError):
        cohort_copy(
            source=cast.past_cohort,
            name="2027–2028 cohort",
            start_date=datetime.date(2027, 8, 30),
            end_date=datetime.date(2028, 8, 25),
            by=cast.staff,
        )
    assert (Cohort.objects.count(), Session.objects.count(), Material.objects.count()) == rows
    assert _stored_materials(settings) == stored  # the originals, and nothing else


def test_the_groups_meeting_pattern_is_previewed_and_kept_for_the_new_year(cast, client_for, year):
    Cohort.objects.filter(pk=cast.past_cohort.pk).update(
        group_meeting_every_weeks=3,
        group_meeting_weekday=3,
        group_meeting_time=datetime.time(12, 30),
        group_meeting_minutes=90,
    )
    client = client_for("staff")
    body = client.post(_url(cast), NEW).content.decode()
    assert "Every 3 weeks on Thursday at 12:30 for 90 minutes, kept for the new cohort." in body

    client.post(_url(cast), {**NEW, "confirm": "on"})
    new = Cohort.objects.get(name="2027–2028 cohort")
    assert new.group_meeting_pattern() == {
        "every_weeks": 3,
        "weekday": 3,
        "start_time": datetime.time(12, 30),
        "duration_minutes": 90,
    }
