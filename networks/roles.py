"""Role questions about peer groups: who shares a group with whom, who facilitates.

Apps below networks ask these through `cohorts.roles` (shares_peer_group, can_read_cohort,
works_in_program); networks registers the answers there in its `AppConfig.ready()`. Apps
above networks may import this module directly.
"""

from __future__ import annotations

from cohorts.models import EnrollmentStatus
from cohorts.roles import may_be

from .models import PeerGroup, PeerGroupMembership


def shares_peer_group(user, enrollment) -> bool:
    """The user is another member of the enrollment's peer group (with cohort access)."""
    if not user.is_authenticated or enrollment is None or enrollment.user_id == user.pk:
        return False
    if not may_be(user, "fellow"):  # no enrollment with cohort access anywhere
        return False
    return PeerGroupMembership.objects.filter(
        group__memberships__enrollment=enrollment,
        enrollment__user=user,
        enrollment__status__in=EnrollmentStatus.with_cohort_access(),
    ).exists()


def facilitates_in_cohort(user, cohort) -> bool:
    if not user.is_authenticated or cohort is None or not may_be(user, "facilitator"):
        return False
    return PeerGroup.objects.filter(facilitator=user, cohort=cohort).exists()


def facilitates_in_program(user, program) -> bool:
    if not user.is_authenticated or program is None or not may_be(user, "facilitator"):
        return False
    return PeerGroup.objects.filter(facilitator=user, cohort__program=program).exists()


def navigation_facilitator_rows(user_id: int):
    """The navigation's facilitator links (accounts.roles.viewer_roles)."""
    return PeerGroup.objects.filter(facilitator_id=user_id)
