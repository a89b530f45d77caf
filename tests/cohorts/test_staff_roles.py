"""What each staff role may do with the staff itself (SECURITY.md's table): a director (or
the site admin) grants, changes and removes staff roles and invites staff; a coordinator
runs the program but may only step down; the last director is never removed or demoted,
by anyone, the Django admin included. Each change is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from audit.models import AuditEntry
from cohorts.invitations import invite_person
from cohorts.models import Invitation, ProgramStaff, StaffRole
from cohorts.services import program_staff_change_role, program_staff_remove, program_update
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import ProgramStaffFactory


@pytest.fixture
def coordinator(cast):
    user = UserFactory(full_name="Jordan Whitaker", email="jordan@example.org")
    ProgramStaffFactory(program=cast.program, user=user, role=StaffRole.COORDINATOR)
    return user


def _membership(cast, user):
    return ProgramStaff.objects.get(program=cast.program, user=user)


def _role_url(cast, user):
    return reverse(
        "cohorts:program_staff_role", kwargs={"slug": cast.program.slug, "user_code": user.code}
    )


def _remove_url(cast, user):
    return reverse(
        "cohorts:program_staff_remove", kwargs={"slug": cast.program.slug, "user_code": user.code}
    )


def test_a_coordinator_cannot_make_themselves_director(cast, coordinator):
    with pytest.raises(PermissionDenied):
        program_staff_change_role(
            membership=_membership(cast, coordinator), role=StaffRole.DIRECTOR, by=coordinator
        )
    assert _membership(cast, coordinator).role == StaffRole.COORDINATOR


def test_a_coordinator_cannot_remove_the_director(cast, coordinator):
    with pytest.raises(PermissionDenied):
        program_staff_remove(membership=_membership(cast, cast.staff), by=coordinator)
    assert ProgramStaff.objects.filter(program=cast.program, user=cast.staff).exists()


def test_through_the_pages_a_coordinator_gets_403_and_nothing_changes(client, cast, coordinator):
    client.force_login(coordinator)
    from tests.mfa import mark_mfa_done

    mark_mfa_done(client)
    assert client.post(_role_url(cast, coordinator), {"role": "director"}).status_code == 403
    assert client.post(_remove_url(cast, cast.staff)).status_code == 403
    assert _membership(cast, coordinator).role == StaffRole.COORDINATOR
    page = client.get(reverse("cohorts:program_people", kwargs={"slug": cast.program.slug}))
    body = page.content.decode()
    assert _role_url(cast, cast.staff) not in body  # no role controls for a coordinator
    assert "Step down" in body
    assert ("director", "Program director") not in page.context["form"].fields["role"].choices


def test_a_coordinator_may_step_down(cast, coordinator):
    program_staff_remove(membership=_membership(cast, coordinator), by=coordinator)
    assert not ProgramStaff.objects.filter(user=coordinator).exists()


def test_a_coordinator_cannot_invite_staff(cast, coordinator):
    with pytest.raises(ValidationError) as refused:
        invite_person(
            program=cast.program,
            email="new.director@example.org",
            full_name="New Director",
            role=StaffRole.DIRECTOR,
            by=coordinator,
        )
    assert "Only a director can invite program staff." in refused.value.message_dict["role"]
    assert not Invitation.objects.filter(user__email="new.director@example.org").exists()


def test_a_director_grants_and_removes_roles_and_each_change_is_audited(cast, coordinator):
    program_staff_change_role(
        membership=_membership(cast, coordinator), role=StaffRole.DIRECTOR, by=cast.staff
    )
    program_staff_change_role(
        membership=_membership(cast, cast.staff), role=StaffRole.COORDINATOR, by=cast.staff
    )
    program_staff_remove(membership=_membership(cast, cast.staff), by=coordinator)
    entries = list(
        AuditEntry.objects.filter(action__startswith="cohorts.staff_").order_by("created_at", "id")
    )
    assert [(e.action, e.actor, e.target_id, e.details.get("role")) for e in entries] == [
        ("cohorts.staff_role_changed", cast.staff, str(coordinator.code), "director"),
        ("cohorts.staff_role_changed", cast.staff, str(cast.staff.code), "coordinator"),
        ("cohorts.staff_removed", coordinator, str(cast.staff.code), "coordinator"),
    ]
    assert all(e.program_id == cast.program.pk for e in entries)


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_nobody_demotes_or_removes_the_last_director(cast, coordinator, who):
    by = cast.user(who)
    with pytest.raises(ValidationError, match="only director"):
        program_staff_change_role(
            membership=_membership(cast, cast.staff), role=StaffRole.COORDINATOR, by=by
        )
    with pytest.raises(ValidationError, match="only director"):
        program_staff_remove(membership=_membership(cast, cast.staff), by=by)
    assert _membership(cast, cast.staff).role == StaffRole.DIRECTOR


def test_model_validation_refuses_demoting_the_last_director(cast):
    membership = _membership(cast, cast.staff)
    membership.role = StaffRole.COORDINATOR
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "only director" in refused.value.message_dict["role"][0]


def test_the_admin_cannot_demote_the_last_director(cast, client_for):
    membership = _membership(cast, cast.staff)
    url = reverse("admin:cohorts_programstaff_change", args=[membership.pk])
    response = client_for("admin").post(
        url, {"program": cast.program.pk, "user": cast.staff.pk, "role": "coordinator"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "only director" in response.content.decode()
    assert _membership(cast, cast.staff).role == StaffRole.DIRECTOR


def test_the_admin_cannot_delete_the_last_director(cast, client_for):
    membership = _membership(cast, cast.staff)
    url = reverse("admin:cohorts_programstaff_delete", args=[membership.pk])
    assert client_for("admin").post(url, {"post": "yes"}).status_code == 403
    assert ProgramStaff.objects.filter(pk=membership.pk).exists()


def test_the_admin_program_page_cannot_drop_the_last_director(cast, client_for):
    membership = _membership(cast, cast.staff)
    client = client_for("admin")
    url = reverse("admin:cohorts_program_change", args=[cast.program.pk])
    page = client.get(url)
    data = {}
    for form in [page.context["adminform"].form]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if name in ("partners", "facilitators"):
                data[name] = [getattr(v, "pk", v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            else:
                data[name] = value
    prefix = "staff_memberships"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": membership.pk,
            f"{prefix}-0-program": cast.program.pk,
            f"{prefix}-0-user": cast.staff.pk,
            f"{prefix}-0-role": "director",
            f"{prefix}-0-DELETE": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200, response.get("Location")
    assert "must keep at least one director" in response.content.decode()
    assert ProgramStaff.objects.filter(pk=membership.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_leaving_a_program_without_a_director(cast):
    membership = _membership(cast, cast.staff)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ProgramStaff.objects.filter(pk=membership.pk).update(role=StaffRole.COORDINATOR)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert _membership(cast, cast.staff).role == StaffRole.DIRECTOR


def test_only_a_director_changes_whether_coaches_need_mfa(cast, coordinator):
    with pytest.raises(PermissionDenied):
        program_update(program=cast.program, data={"coaches_need_mfa": True}, by=coordinator)
    program_update(program=cast.program, data={"coaches_need_mfa": True}, by=cast.staff)
    cast.program.refresh_from_db()
    assert cast.program.coaches_need_mfa
    entry = AuditEntry.objects.get(action="cohorts.security_changed")
    assert entry.details == {"coaches_need_mfa": True}
