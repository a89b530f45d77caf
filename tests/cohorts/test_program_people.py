"""The program's people page: staff roles (never without a director), staff removal, and
the peer-group facilitators who joined through an invitation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import InvitationRole, ProgramStaff, StaffRole
from cohorts.services import program_staff_add, program_staff_change_role, program_staff_remove
from networks.selectors import eligible_facilitators
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import InvitationFactory, ProgramStaffFactory
from tests.factories.networks import PeerGroupFactory
from tests.queries import assert_stable_queries


def _people(cast):
    return reverse("cohorts:program_people", kwargs={"slug": cast.program.slug})


def _role_url(cast, user, program=None):
    slug = (program or cast.program).slug
    return reverse("cohorts:program_staff_role", kwargs={"slug": slug, "user_code": user.code})


def _remove_url(cast, user):
    return reverse(
        "cohorts:program_staff_remove", kwargs={"slug": cast.program.slug, "user_code": user.code}
    )


def _facilitator_remove_url(program, user):
    return reverse(
        "cohorts:program_facilitator_remove", kwargs={"slug": program.slug, "user_code": user.code}
    )


@pytest.fixture
def coordinator(cast):
    user = UserFactory(full_name="Jordan Whitaker")
    ProgramStaffFactory(program=cast.program, user=user, role=StaffRole.COORDINATOR)
    return user


@pytest.fixture
def facilitator(cast):
    user = UserFactory(full_name="Fumiko Facilitator", email="fumiko@example.org")
    cast.program.facilitators.add(user)
    cast.other_program.facilitators.add(user)
    return user


def _role_of(cast, user):
    return ProgramStaff.objects.get(program=cast.program, user=user).role


# --- Roles ----------------------------------------------------------------------------------


def test_staff_make_a_coordinator_director_and_then_step_down(cast, client_for, coordinator):
    client = client_for("staff")
    response = client.post(_role_url(cast, coordinator), {"role": "director"}, follow=True)
    assert _role_of(cast, coordinator) == StaffRole.DIRECTOR
    assert "Jordan Whitaker is now Program director." in response.content.decode()

    # With a second director, the first may become a coordinator.
    client.post(_role_url(cast, cast.staff), {"role": "coordinator"})
    assert _role_of(cast, cast.staff) == StaffRole.COORDINATOR


def test_the_last_director_cannot_step_down(cast, client_for, coordinator):
    response = client_for("staff").post(
        _role_url(cast, cast.staff), {"role": "coordinator"}, follow=True
    )
    assert response.redirect_chain[-1][0] == _people(cast)
    assert (
        "Sam Staff is the program’s only director; make someone else director first."
        in response.content.decode()
    )
    assert _role_of(cast, cast.staff) == StaffRole.DIRECTOR


@pytest.mark.parametrize("role", ["boss", ""])
def test_an_unknown_role_is_refused(cast, client_for, coordinator, role):
    response = client_for("staff").post(_role_url(cast, coordinator), {"role": role}, follow=True)
    page = response.content.decode()
    assert (
        "Choose program director or program coordinator." in page
        or "This field is required." in page
    )
    assert _role_of(cast, coordinator) == StaffRole.COORDINATOR


def test_roles_of_another_programs_staff_are_out_of_reach(cast, client_for):
    client = client_for("staff")
    # Their program: 404; their code under our program: not our staff, 404 too.
    other = _role_url(cast, cast.other_staff, program=cast.other_program)
    assert client.post(other, {"role": "director"}).status_code == 404
    assert client.post(_role_url(cast, cast.other_staff), {"role": "director"}).status_code == 404
    assert client.post(_role_url(cast, cast.fellow), {"role": "director"}).status_code == 404
    assert _role_of(cast, cast.staff) == StaffRole.DIRECTOR
    assert not ProgramStaff.objects.filter(user=cast.fellow).exists()


def test_the_people_page_offers_each_member_their_role(cast, client_for, coordinator):
    page = client_for("staff").get(_people(cast)).content.decode()
    assert f'action="{_role_url(cast, coordinator)}"' in page
    assert 'value="coordinator" selected' in page
    assert 'value="director" selected' in page
    assert "Role of Jordan Whitaker" in page


def test_a_role_change_keeps_a_director_under_the_lock(cast, coordinator):
    # The service, as two directors demoting each other would reach it one after the other.
    ProgramStaff.objects.filter(user=coordinator).update(role=StaffRole.DIRECTOR)
    first = ProgramStaff.objects.get(program=cast.program, user=cast.staff)
    second = ProgramStaff.objects.get(program=cast.program, user=coordinator)
    program_staff_change_role(membership=first, role=StaffRole.COORDINATOR)
    with pytest.raises(ValidationError, match="only director"):
        program_staff_change_role(membership=second, role=StaffRole.COORDINATOR)
    assert _role_of(cast, coordinator) == StaffRole.DIRECTOR


# --- Removal --------------------------------------------------------------------------------


def test_the_last_director_cannot_be_removed_even_with_coordinators(cast, client_for, coordinator):
    response = client_for("staff").post(_remove_url(cast, cast.staff), follow=True)
    assert "is the program’s only director" in response.content.decode()
    assert ProgramStaff.objects.filter(program=cast.program).count() == 2
    with pytest.raises(ValidationError):
        program_staff_remove(membership=ProgramStaff.objects.get(user=cast.staff))


def test_a_director_who_leaves_goes_to_the_start_page(cast, client_for, coordinator):
    ProgramStaff.objects.filter(user=coordinator).update(role=StaffRole.DIRECTOR)
    response = client_for("staff").post(_remove_url(cast, cast.staff))
    assert response["Location"] == reverse("cohorts:staff_home")
    assert not ProgramStaff.objects.filter(program=cast.program, user=cast.staff).exists()


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- Facilitators ---------------------------------------------------------------------------


def test_the_people_page_lists_facilitators_with_a_way_to_remove_them(
    cast, client_for, facilitator
):
    page = client_for("staff").get(_people(cast)).content.decode()
    assert "Fumiko Facilitator" in page
    assert "fumiko@example.org" in page
    assert f'action="{_facilitator_remove_url(cast.program, facilitator)}"' in page


def test_staff_remove_a_facilitator_from_their_program_only(cast, client_for, facilitator):
    group = PeerGroupFactory(cohort=cast.cohort, name="Group Aloha", facilitator=facilitator)
    response = client_for("staff").post(
        _facilitator_remove_url(cast.program, facilitator), follow=True
    )
    assert response.redirect_chain[-1][0] == _people(cast)
    assert "Fumiko Facilitator is no longer a facilitator" in response.content.decode()
    assert not cast.program.facilitators.filter(pk=facilitator.pk).exists()
    assert facilitator not in eligible_facilitators(cast.program)
    # Another program keeps them; the group they led loses them, and with it their access.
    assert cast.other_program.facilitators.filter(pk=facilitator.pk).exists()
    group.refresh_from_db()
    assert group.facilitator is None
    assert client_for_user(facilitator).get(group.get_absolute_url()).status_code == 404


def test_only_the_programs_own_facilitators_can_be_removed(cast, client_for, facilitator):
    client = client_for("staff")
    other = _facilitator_remove_url(cast.other_program, facilitator)
    assert client.post(other).status_code == 404
    assert client.post(_facilitator_remove_url(cast.program, cast.coach)).status_code == 404
    assert client.get(_facilitator_remove_url(cast.program, facilitator)).status_code == 405
    assert cast.other_program.facilitators.filter(pk=facilitator.pk).exists()
    assert cast.program.facilitators.filter(pk=facilitator.pk).exists()


def test_the_people_page_does_not_grow_with_its_people(cast, client_for):
    client = client_for("staff")

    def grow(times):
        for _ in range(times * 5):
            ProgramStaffFactory(program=cast.program)
            cast.program.facilitators.add(UserFactory())
            InvitationFactory(program=cast.program, role=InvitationRole.FACILITATOR)

    grow(1)
    assert_stable_queries(lambda: client.get(_people(cast)), grow)


def test_accepting_an_old_coordinator_invitation_does_not_demote_a_director(cast):
    membership = program_staff_add(program=cast.program, user=cast.staff, role="coordinator")
    assert membership.role == StaffRole.DIRECTOR
    assert _role_of(cast, cast.staff) == StaffRole.DIRECTOR
    # Joining as director promotes a coordinator.
    other = UserFactory()
    program_staff_add(program=cast.program, user=other, role="coordinator")
    program_staff_add(program=cast.program, user=other, role="director")
    assert _role_of(cast, other) == StaffRole.DIRECTOR


def test_changing_a_role_does_not_grow_with_the_staff(cast, client_for, coordinator):
    client = client_for("staff")
    url = _role_url(cast, coordinator)

    def change_role():
        role = "coordinator" if _role_of(cast, coordinator) == "director" else "director"
        return client.post(url, {"role": role}, follow=True)

    def grow(times):
        for _ in range(times * 5):
            ProgramStaffFactory(program=cast.program, role=StaffRole.DIRECTOR)

    change_role()  # director now: the next calls both step down with other directors present
    assert_stable_queries(change_role, lambda times: (grow(times), change_role()))


def test_removing_a_facilitator_does_not_grow_with_the_people(cast, client_for, facilitator):
    client = client_for("staff")
    url = _facilitator_remove_url(cast.program, facilitator)

    def remove():
        cast.program.facilitators.add(facilitator)
        return client.post(url, follow=True)

    def grow(times):
        for _ in range(times * 5):
            cast.program.facilitators.add(UserFactory())

    assert_stable_queries(remove, grow)
