import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from curriculum import services
from curriculum.models import Module, Submission
from tests.factories.curriculum import AssignmentFactory, ModuleFactory, framework_with_scale

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
DUE = datetime.datetime(2026, 10, 31, 23, 0, tzinfo=UTC)


@pytest.fixture
def assignment(cast):
    return AssignmentFactory(module=ModuleFactory(cohort=cast.cohort), due_at=DUE)


def test_module_dates_must_make_sense_and_sit_within_the_cohort(cast):
    with pytest.raises(ValidationError) as info:
        services.module_save(
            cohort=cast.cohort,
            order=1,
            title="Backwards",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 9, 1),
        )
    assert "ends_on" in info.value.message_dict
    with pytest.raises(ValidationError, match="within the cohort"):
        services.module_save(
            cohort=cast.cohort,
            order=1,
            title="Too early",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 10, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Module.objects.create(
            cohort=cast.cohort,
            order=1,
            title="x",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 9, 1),
        )


def test_module_competencies_come_from_the_cohorts_framework(cast):
    own = framework_with_scale()
    cast.cohort.framework = own
    cast.cohort.save()
    foreign = framework_with_scale().domains.first().competencies.first()
    with pytest.raises(ValidationError, match="cohort's framework"):
        services.module_save(
            cohort=cast.cohort,
            order=1,
            title="Leading self",
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 10, 31),
            competencies=[foreign],
        )
    module = services.module_save(
        cohort=cast.cohort,
        order=1,
        title="Leading self",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 31),
        competencies=[own.domains.first().competencies.first()],
    )
    assert module.competencies.count() == 1
    with pytest.raises(ValidationError, match="Module 1 already exists"):
        services.module_save(
            cohort=cast.cohort,
            order=1,
            title="Again",
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 10, 31),
        )


def test_assignment_due_date_within_the_cohort(cast):
    module = ModuleFactory(cohort=cast.cohort)
    with pytest.raises(ValidationError, match="within the cohort"):
        services.assignment_save(
            module=module,
            title="Late",
            instructions="x",
            due_at=datetime.datetime(2028, 1, 1, tzinfo=UTC),
        )


def test_fellow_submits_and_revises_until_feedback(cast, assignment):
    enrollment = cast.enrollments["fellow"]
    first = services.submission_submit(
        assignment=assignment,
        enrollment=enrollment,
        text="Draft",
        now=DUE - datetime.timedelta(days=1),
    )
    assert not first.is_late and first.revision == 1
    revised = services.submission_submit(
        assignment=assignment,
        enrollment=enrollment,
        text="Final",
        now=DUE + datetime.timedelta(hours=2),
    )
    assert revised.pk == first.pk and revised.revision == 2 and revised.is_late
    services.submission_review(
        submission=revised, feedback="Strong map.", complete=True, by=cast.staff
    )
    revised.refresh_from_db()
    assert revised.completed_at is not None and revised.feedback_by == cast.staff
    with pytest.raises(ValidationError, match="Feedback has been given"):
        services.submission_submit(assignment=assignment, enrollment=enrollment, text="More")


def test_submission_needs_content_and_allowed_files(cast, assignment, settings):
    enrollment = cast.enrollments["fellow"]
    with pytest.raises(ValidationError, match="Write your response or attach a file"):
        services.submission_submit(assignment=assignment, enrollment=enrollment, text="  ")
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="limit is 10"):
        services.submission_submit(
            assignment=assignment,
            enrollment=enrollment,
            file=SimpleUploadedFile("plan.pdf", b"x" * 11),
        )
    with pytest.raises(ValidationError, match="cannot be uploaded"):
        services.submission_submit(
            assignment=assignment, enrollment=enrollment, file=SimpleUploadedFile("x.html", b"<")
        )
    assert not Submission.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(assignment=assignment, enrollment=enrollment, submitted_at=DUE)


def test_only_active_fellows_of_the_cohort_submit(cast, assignment):
    with pytest.raises(ValidationError, match="active fellows"):
        services.submission_submit(
            assignment=assignment, enrollment=cast.enrollments["withdrawn"], text="Hi"
        )
    with pytest.raises(ValidationError, match="another cohort"):
        services.submission_submit(
            assignment=assignment, enrollment=cast.enrollments["other_cohort_fellow"], text="Hi"
        )


def test_feedback_is_required(cast, assignment):
    submission = services.submission_submit(
        assignment=assignment, enrollment=cast.enrollments["fellow"], text="Draft"
    )
    with pytest.raises(ValidationError, match="Write some feedback"):
        services.submission_review(
            submission=submission, feedback=" ", complete=True, by=cast.staff
        )


def test_fellow_submits_a_file_through_the_page_and_staff_see_it_late(client_for, cast, assignment):
    url = reverse("curriculum:assignment_detail", args=[assignment.code])
    response = client_for("fellow").post(
        url, {"text": "", "file": SimpleUploadedFile("map.pdf", b"%PDF")}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.file.name.endswith("map.pdf")
    staff_page = client_for("staff").get(url).content.decode()
    assert "Fiona Fellow" in staff_page and "Late" in staff_page  # submitted after the due date
    peer_file = reverse("curriculum:submission_file", args=[submission.code])
    assert client_for("peer").get(peer_file).status_code == 403
    assert client_for("fellow").get(peer_file).status_code == 200


def test_empty_submission_through_the_page_is_refused(client_for, cast, assignment):
    response = client_for("fellow").post(
        reverse("curriculum:assignment_detail", args=[assignment.code]), {"text": ""}
    )
    assert response.status_code == 200
    assert "Write your response or attach a file." in response.content.decode()


def test_staff_feedback_closes_the_submission_for_the_fellow(client_for, cast, assignment):
    submission = services.submission_submit(
        assignment=assignment, enrollment=cast.enrollments["fellow"], text="Draft"
    )
    client_for("staff").post(
        reverse("curriculum:submission_detail", args=[submission.code]),
        {"feedback": "Well argued.", "complete": "on"},
    )
    url = reverse("curriculum:assignment_detail", args=[assignment.code])
    body = client_for("fellow").get(url).content.decode()
    assert "Well argued." in body and "Complete" in body and "Save revision" not in body
    assert client_for("fellow").post(url, {"text": "sneaky"}).status_code == 403


def test_staff_see_each_submissions_review_state_and_the_past_due_mark(client_for, cast, cur):
    import time_machine

    from tests.factories.curriculum import SubmissionFactory

    SubmissionFactory(
        assignment=cur.assignment,
        enrollment=cast.enrollments["peer"],
        feedback="Good.",
        feedback_at=DUE,
    )
    with time_machine.travel(DUE - datetime.timedelta(days=1), tick=False):
        body = client_for("staff").get(cur.assignment.get_absolute_url()).content.decode()
    assert "Awaiting feedback" in body and "Feedback given" in body and "Past due" not in body
    with time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
        body = client_for("staff").get(cur.assignment.get_absolute_url()).content.decode()
    assert "Past due" in body


def test_a_revised_file_replaces_the_earlier_one_in_storage(
    cast, assignment, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    enrollment = cast.enrollments["fellow"]
    first = services.submission_submit(
        assignment=assignment, enrollment=enrollment, file=SimpleUploadedFile("v1.pdf", b"%PDF")
    )
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        revised = services.submission_submit(
            assignment=assignment,
            enrollment=enrollment,
            file=SimpleUploadedFile("v2.pdf", b"%PDF-2"),
        )
    assert revised.file.name.endswith("v2.pdf") and default_storage.exists(revised.file.name)
    assert not default_storage.exists(old_name)
