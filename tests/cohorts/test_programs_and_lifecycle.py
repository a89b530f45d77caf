"""Programs, staff membership, cohorts, and the enrollment lifecycle with its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cohorts.models import (
    Cohort,
    CohortStatus,
    EnrollmentStatus,
    EnrollmentStatusChange,
    PartnerOrganization,
    Program,
    ProgramStaff,
    StaffRole,
)
from cohorts.services import enrollment_change_status, enrollments_change_status
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrollmentFactory, PartnerOrganizationFactory

PROGRAM = {
    "name": "Public Sector Leadership Consortium",
    "slug": "",
    "description": "Five domains, one language for leadership.",
    "default_time_zone": "America/Chicago",
    "coaching_entitlement_unit": "hours",
    "coaching_entitlement_amount": "12",
    "coaching_behind_pace_percent": "15",
    "coaching_running_low_percent": "20",
    "at_risk_missed_sessions": "3",
    "at_risk_days_without_coaching": "60",
    "at_risk_days_without_plan_update": "21",
    "milestone_nudge_days_before": "5",
    "overdue_nudge_interval_days": "7",
    "coach_log_nudge_hours": "48",
    "coaching_change_cutoff_hours": "12",
    "invitation_valid_days": "10",
}


def test_staff_create_a_program_with_partners_and_become_its_director(cast, client_for):
    existing = PartnerOrganizationFactory(name="Center for Public Sector Leadership")
    response = client_for("staff").post(
        reverse("cohorts:program_create"),
        {**PROGRAM, "partners": [existing.pk], "new_partners": "State Leaders Network\n\n"},
    )
    program = Program.objects.get(name=PROGRAM["name"])
    assert response["Location"] == program.get_absolute_url()
    assert program.slug == "public-sector-leadership-consortium"
    assert program.coaching_entitlement_unit == "hours"
    assert program.coaching_entitlement_amount == 12
    assert (program.at_risk_days_without_plan_update, program.coach_log_nudge_hours) == (21, 48)
    assert program.coaching_change_cutoff_hours == 12
    assert set(program.partners.values_list("name", flat=True)) == {
        "Center for Public Sector Leadership",
        "State Leaders Network",
    }
    assert ProgramStaff.objects.get(program=program).user == cast.staff
    assert ProgramStaff.objects.get(program=program).role == StaffRole.DIRECTOR


def test_program_settings_are_validated_next_to_the_field(cast, client_for):
    response = client_for("staff").post(
        reverse("cohorts:program_edit", kwargs={"slug": cast.program.slug}),
        {
            **PROGRAM,
            "coaching_entitlement_amount": "-1",
            "invitation_valid_days": "0",
            "default_time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "coaching_entitlement_amount",
        "invitation_valid_days",
        "default_time_zone",
    }
    cast.program.refresh_from_db()
    assert cast.program.name == "Health Equity Leadership Institute"


def test_staff_set_the_coaching_pace_thresholds_with_the_entitlement(cast, client_for):
    url = reverse("cohorts:program_edit", kwargs={"slug": cast.program.slug})
    page = client_for("staff").get(url).content.decode()
    coaching = page[page.index("Coaching entitlement per fellow") :]
    coaching = coaching[: coaching.index("</fieldset>")]
    assert 'name="coaching_behind_pace_percent"' in coaching
    assert 'name="coaching_running_low_percent"' in coaching

    response = client_for("staff").post(
        url,
        {**PROGRAM, "coaching_behind_pace_percent": "25", "coaching_running_low_percent": "0"},
    )
    assert response.status_code == 302
    cast.program.refresh_from_db()
    assert cast.program.coaching_behind_pace_percent == 25
    assert cast.program.coaching_running_low_percent == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "A percentage cannot be above 100."),
        ("-5", "A percentage cannot be below 0."),
        ("12.5", "Give a whole percentage, from 0 to 100."),
        ("", "This field is required."),
    ],
)
def test_coaching_pace_thresholds_are_percentages(cast, client_for, value, message):
    response = client_for("staff").post(
        reverse("cohorts:program_edit", kwargs={"slug": cast.program.slug}),
        {**PROGRAM, "coaching_behind_pace_percent": value, "coaching_running_low_percent": value},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["coaching_behind_pace_percent"] == [message]
    assert errors["coaching_running_low_percent"] == [message]
    assert message in response.content.decode()
    cast.program.refresh_from_db()
    assert cast.program.name == "Health Equity Leadership Institute"
    assert cast.program.coaching_behind_pace_percent == 15


def test_the_database_refuses_a_percentage_above_100(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=cast.program.pk).update(coaching_running_low_percent=101)


def test_editing_a_program_keeps_its_slug(cast, client_for):
    response = client_for("staff").post(
        reverse("cohorts:program_edit", kwargs={"slug": cast.program.slug}),
        {**PROGRAM, "slug": "hijacked", "new_partners": "Health Equity Collaborative"},
    )
    assert response.status_code == 302
    cast.program.refresh_from_db()
    assert cast.program.slug == "heli"
    assert cast.program.name == PROGRAM["name"]
    assert PartnerOrganization.objects.filter(name="Health Equity Collaborative").exists()


def test_fellows_cannot_create_programs(client_for):
    assert client_for("fellow").get(reverse("cohorts:program_create")).status_code == 403


def test_the_last_staff_member_cannot_be_removed(cast, client_for):
    url = reverse(
        "cohorts:program_staff_remove",
        kwargs={"slug": cast.program.slug, "user_code": cast.staff.code},
    )
    response = client_for("staff").post(url, follow=True)
    assert "needs at least one staff member" in response.content.decode()
    assert ProgramStaff.objects.filter(program=cast.program).count() == 1

    coordinator = UserFactory(full_name="Jordan Whitaker")
    ProgramStaff.objects.create(program=cast.program, user=coordinator)
    url = reverse(
        "cohorts:program_staff_remove",
        kwargs={"slug": cast.program.slug, "user_code": coordinator.code},
    )
    client_for("staff").post(url)
    assert not ProgramStaff.objects.filter(user=coordinator).exists()


def test_staff_of_another_program_cannot_remove_staff(cast, client_for):
    url = reverse(
        "cohorts:program_staff_remove",
        kwargs={"slug": cast.other_program.slug, "user_code": cast.other_staff.code},
    )
    assert client_for("staff").post(url).status_code == 404


def test_a_cohort_must_end_after_it_starts(cast, client_for):
    response = client_for("staff").post(
        reverse("cohorts:cohort_create", kwargs={"slug": cast.program.slug}),
        {
            "name": "Backwards",
            "start_date": "2027-09-01",
            "end_date": "2027-08-31",
            "time_zone": "America/New_York",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "The cohort must end after it starts." in response.content.decode()
    assert not Cohort.objects.filter(name="Backwards").exists()
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            program=cast.program,
            name="Backwards",
            start_date=datetime.date(2027, 9, 1),
            end_date=datetime.date(2027, 9, 1),
        )


def test_a_cohort_name_is_unique_in_its_program(cast, client_for):
    response = client_for("staff").post(
        reverse("cohorts:cohort_create", kwargs={"slug": cast.program.slug}),
        {
            "name": cast.cohort.name,
            "start_date": "2027-09-01",
            "end_date": "2028-08-31",
            "time_zone": "America/New_York",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_new_cohort_starts_in_the_programs_zone(cast, client_for):
    cast.program.default_time_zone = "Pacific/Honolulu"
    cast.program.save()
    response = client_for("staff").get(
        reverse("cohorts:cohort_create", kwargs={"slug": cast.program.slug})
    )
    assert response.context["form"].initial["time_zone"] == "Pacific/Honolulu"


def test_completing_a_cohort_makes_its_active_fellows_alumni(cast, client_for):
    invited = EnrollmentFactory(cohort=cast.cohort, status=EnrollmentStatus.INVITED)
    response = client_for("staff").post(
        reverse("cohorts:cohort_edit", kwargs={"code": cast.cohort.code}),
        {
            "name": cast.cohort.name,
            "start_date": "2026-09-01",
            "end_date": "2027-08-31",
            "time_zone": "America/New_York",
            "status": "completed",
        },
        follow=True,
    )
    assert "3 fellows are alumni" in response.content.decode()
    statuses = dict(cast.cohort.enrollments.values_list("user__email", "status"))
    assert statuses == {
        "fellow@example.org": "completed",
        "peer@example.org": "completed",
        "classmate@example.org": "completed",
        "withdrawn@example.org": "withdrawn",
        invited.user.email: "invited",
    }
    change = EnrollmentStatusChange.objects.filter(enrollment=cast.enrollments["fellow"]).last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "active",
        "completed",
        cast.staff,
    )
    assert change.note == "The cohort completed."
    # Alumni keep access to their cohort.
    assert client_for("fellow").get(cast.cohort.get_absolute_url()).status_code == 200


# --- The enrollment lifecycle -------------------------------------------------------------


def test_each_status_change_is_recorded_with_who_and_when(cast):
    enrollment = EnrollmentFactory(cohort=cast.cohort, status=EnrollmentStatus.INVITED)
    enrollment_change_status(enrollment=enrollment, to_status="active", by=cast.staff)
    enrollment_change_status(
        enrollment=enrollment,
        to_status="withdrawn",
        by=cast.staff,
        withdrawn_on=datetime.date(2027, 1, 15),
        reason="New role in the governor's office.",
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn"
    assert enrollment.withdrawn_on == datetime.date(2027, 1, 15)
    assert enrollment.withdrawal_reason == "New role in the governor's office."
    changes = list(enrollment.status_changes.values_list("from_status", "to_status", "note"))
    assert changes == [
        ("active", "withdrawn", "New role in the governor's office."),
    ] or changes[-2:] == [
        ("invited", "active", ""),
        ("active", "withdrawn", "New role in the governor's office."),
    ]
    assert all(c.changed_by == cast.staff and c.changed_at for c in enrollment.status_changes.all())

    # Reinstated: the record is cleared, the history keeps the withdrawal.
    enrollment_change_status(enrollment=enrollment, to_status="active", by=cast.staff)
    enrollment.refresh_from_db()
    assert (enrollment.withdrawn_on, enrollment.withdrawal_reason) == (None, "")
    assert enrollment.status_changes.count() >= 3


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("invited", "completed"),
        ("invited", "invited"),
        ("active", "invited"),
        ("completed", "active"),
        ("completed", "withdrawn"),
        ("withdrawn", "completed"),
    ],
)
def test_invalid_transitions_are_refused(cast, start, to):
    enrollment = EnrollmentFactory(cohort=cast.cohort, status=start)
    with pytest.raises(ValidationError, match="cannot become|is already invited"):
        enrollment_change_status(
            enrollment=enrollment,
            to_status=to,
            by=cast.staff,
            withdrawn_on=datetime.date(2027, 1, 1),
            reason="x",
        )
    enrollment.refresh_from_db()
    assert enrollment.status == start
    assert not enrollment.status_changes.exists()


def test_a_withdrawal_needs_a_date_and_a_reason(cast, client_for):
    url = reverse("cohorts:enrollment_status", kwargs={"code": cast.enrollments["fellow"].code})
    response = client_for("staff").post(url, {"to_status": "withdrawn"})
    body = response.content.decode()
    assert "Give the date the fellow withdrew." in body
    assert "Give the reason for the withdrawal." in body
    with pytest.raises(ValidationError, match="needs a date and a reason"):
        enrollment_change_status(
            enrollment=cast.enrollments["fellow"], to_status="withdrawn", by=cast.staff
        )
    # The database backs it up.
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(cohort=cast.sibling_cohort, status="withdrawn", withdrawn_on=None)


def test_only_one_enrollment_per_person_per_cohort(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(cohort=cast.cohort, user=cast.fellow)


def test_the_status_page_offers_only_allowed_moves(cast, client_for):
    url = reverse("cohorts:enrollment_status", kwargs={"code": cast.enrollments["alumnus"].code})
    response = client_for("staff").get(url)
    assert "does not change any more" in response.content.decode()
    url = reverse("cohorts:enrollment_status", kwargs={"code": cast.enrollments["fellow"].code})
    choices = [
        v for v, _ in client_for("staff").get(url).context["form"].fields["to_status"].choices
    ]
    assert choices == ["completed", "withdrawn"]


def test_staff_withdraw_a_fellow_who_then_loses_access(cast, client_for):
    url = reverse("cohorts:enrollment_status", kwargs={"code": cast.enrollments["fellow"].code})
    response = client_for("staff").post(
        url, {"to_status": "withdrawn", "withdrawn_on": "2027-02-01", "reason": "Moved abroad."}
    )
    assert response.status_code == 302
    fellow = client_for("fellow")
    assert fellow.get(cast.cohort.get_absolute_url()).status_code == 404
    assert fellow.get(cast.enrollments["fellow"].get_absolute_url()).status_code == 404
    assert fellow.get(reverse("cohorts:directory", kwargs={"slug": "heli"})).status_code == 404
    assert fellow.get(reverse("cohorts:profile_edit")).status_code == 404
    page = client_for("staff").get(cast.enrollments["fellow"].get_absolute_url())
    assert "Withdrawn on 1 February 2027: Moved abroad." in page.content.decode()
    assert "by Sam Staff — Moved abroad." in page.content.decode()


def _bulk(client, cast, action, enrollments, **extra):
    return client.post(
        reverse("cohorts:roster_bulk", kwargs={"code": cast.cohort.code}),
        {"action": action, "enrollments": [e.code for e in enrollments], **extra},
        follow=True,
    )


def test_bulk_status_changes_apply_where_valid_and_name_who_was_skipped(cast, client_for):
    invited = [EnrollmentFactory(cohort=cast.cohort, status="invited") for _ in range(3)]
    client = client_for("staff")
    response = _bulk(client, cast, "activate", invited)
    assert "3 fellows now active." in response.content.decode()
    assert all(e.status_changes.last().to_status == "active" for e in invited)

    # One already active and one who cannot move: the others still change, in one message.
    newcomer = EnrollmentFactory(cohort=cast.cohort, status="invited")
    before = cast.enrollments["fellow"].status_changes.count()
    done = EnrollmentFactory(cohort=cast.cohort, status="completed", user__full_name="Dana Done")
    batch = [newcomer, cast.enrollments["fellow"], done]
    response = _bulk(client, cast, "activate", batch)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 fellow now active. Skipped 2: Dana Done is completed and cannot become active. "
        "Fiona Fellow is already active."
    ]
    newcomer.refresh_from_db()
    assert newcomer.status == "active"
    assert cast.enrollments["fellow"].status_changes.count() == before

    batch = [*invited, cast.enrollments["withdrawn"]]
    response = _bulk(client, cast, "complete", batch)
    body = response.content.decode()
    assert "3 fellows now completed. Skipped 1:" in body
    assert "Will Withdrawn is withdrawn and cannot become completed." in body
    assert set(
        cast.cohort.enrollments.filter(pk__in=[e.pk for e in invited]).values_list(
            "status", flat=True
        )
    ) == {"completed"}
    cast.enrollments["withdrawn"].refresh_from_db()
    assert cast.enrollments["withdrawn"].status == "withdrawn"


def test_bulk_status_change_where_nobody_can_move_changes_nothing(cast, client_for):
    before = EnrollmentStatusChange.objects.count()
    response = _bulk(client_for("staff"), cast, "activate", [cast.enrollments["fellow"]])
    body = response.content.decode()
    assert "0 fellows now active. Skipped 1:" in body
    assert EnrollmentStatusChange.objects.count() == before


def test_bulk_withdrawal_needs_a_date_and_reason(cast, client_for):
    client = client_for("staff")
    response = _bulk(client, cast, "withdraw", [cast.enrollments["peer"]])
    assert "Give the date the fellow withdrew." in response.content.decode()
    response = _bulk(
        client,
        cast,
        "withdraw",
        [cast.enrollments["peer"]],
        withdrawn_on="2027-03-01",
        reason="Health reasons.",
    )
    assert "1 fellow now withdrawn" in response.content.decode()
    cast.enrollments["peer"].refresh_from_db()
    assert cast.enrollments["peer"].withdrawal_reason == "Health reasons."


def test_bulk_actions_only_reach_this_cohorts_fellows(cast, client_for):
    response = _bulk(
        client_for("staff"), cast, "complete", [cast.enrollments["other_cohort_fellow"]]
    )
    assert "Select a valid choice" in response.content.decode()
    cast.enrollments["other_cohort_fellow"].refresh_from_db()
    assert cast.enrollments["other_cohort_fellow"].status == "active"


def test_enrollments_change_status_is_atomic_with_its_history(cast):
    batch = [cast.enrollments["fellow"], cast.enrollments["peer"]]
    count = enrollments_change_status(enrollments=batch, to_status="completed", by=cast.staff)
    assert count == 2
    assert EnrollmentStatusChange.objects.filter(to_status="completed").count() == 2


def test_staff_edit_a_fellows_record(cast, client_for):
    url = reverse("cohorts:enrollment_edit", kwargs={"code": cast.enrollments["fellow"].code})
    response = client_for("staff").post(
        url,
        {
            "state": "GU",
            "agency": "Guam Department of Public Health",
            "title": "Director",
            "sector": "public_health",
            "bio": "",
        },
    )
    assert response.status_code == 302
    cast.enrollments["fellow"].refresh_from_db()
    assert cast.enrollments["fellow"].state == "GU"
    response = client_for("staff").post(url, {"state": "ZZ", "agency": "", "sector": "other"})
    assert set(response.context["form"].errors) == {"state", "agency"}


def test_the_cohort_page_counts_the_roster_by_status(cast, client_for):
    response = client_for("staff").get(cast.cohort.get_absolute_url())
    assert response.context["counts"] == {"invited": 0, "active": 3, "completed": 0, "withdrawn": 1}
    assert response.context["cohort"].status == CohortStatus.ACTIVE
    # Fellows see no counts, but do see the other apps' panels' page.
    assert client_for("fellow").get(cast.cohort.get_absolute_url()).context["counts"] is None


def test_past_cohorts_stay_browsable(cast, client_for):
    body = client_for("staff").get(cast.program.get_absolute_url()).content.decode()
    assert cast.past_cohort.name in body
    roster = client_for("staff").get(
        reverse("cohorts:roster", kwargs={"code": cast.past_cohort.code})
    )
    assert "Alma Alumna" in roster.content.decode()


def _cohort_data(cast, **extra):
    return {
        "name": cast.cohort.name,
        "start_date": "2026-09-01",
        "end_date": "2027-08-31",
        "time_zone": "America/New_York",
        "status": "active",
        **extra,
    }


def test_staff_set_the_groups_meeting_pattern_on_the_cohort(cast, client_for):
    url = reverse("cohorts:cohort_edit", kwargs={"code": cast.cohort.code})
    page = client_for("staff").get(url).content.decode()
    assert "Meeting time (in the cohort&#x27;s time zone)" in page
    response = client_for("staff").post(
        url,
        _cohort_data(
            cast,
            group_meeting_every_weeks="2",
            group_meeting_weekday="1",
            group_meeting_time="17:30",
            group_meeting_minutes="60",
        ),
    )
    assert response.status_code == 302
    cast.cohort.refresh_from_db()
    assert cast.cohort.group_meeting_summary() == "Every 2 weeks on Tuesday at 17:30 for 60 minutes"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("group_meeting_every_weeks", "0", "greater than or equal to 1"),
        ("group_meeting_every_weeks", "9", "less than or equal to 8"),
        ("group_meeting_minutes", "5", "greater than or equal to 15"),
        ("group_meeting_weekday", "7", "Select a valid choice"),
        ("group_meeting_time", "25:99", "Enter a valid time"),
    ],
)
def test_a_meeting_pattern_out_of_range_is_refused_next_to_its_field(
    cast, client_for, field, value, message
):
    url = reverse("cohorts:cohort_edit", kwargs={"code": cast.cohort.code})
    response = client_for("staff").post(url, _cohort_data(cast, **{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    cast.cohort.refresh_from_db()
    assert cast.cohort.group_meeting_pattern() == {}
