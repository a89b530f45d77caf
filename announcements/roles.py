"""Role questions about announcements: who may send one to which audience. Who may read
one is audience.py's (the audience, program staff, the author)."""

from __future__ import annotations

from cohorts import roles as cohort_roles
from networks.models import PeerGroup

from .models import Audience


def manages_program(user, program) -> bool:
    """Program staff (and the site admin) announce to any audience of the program, see
    what is scheduled and how many opened each announcement."""
    return cohort_roles.is_program_staff(user, program)


def may_announce(user, *, audience: str, program, peer_group=None) -> bool:
    """Staff to any audience of their program; a facilitator to the groups they lead."""
    if not user.is_authenticated:
        return False
    if manages_program(user, program):
        return True
    return (
        audience == Audience.PEER_GROUP
        and peer_group is not None
        and peer_group.facilitator_id == user.pk
    )


def facilitated_groups(user):
    if not user.is_authenticated:
        return PeerGroup.objects.none()
    return PeerGroup.objects.filter(facilitator=user)
