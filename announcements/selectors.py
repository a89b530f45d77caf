"""Reads of the announcements pages, with their joins: each page costs the same number of
queries however many announcements, cohorts and groups there are."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.text import capfirst

from accounts.models import User
from accounts.viewer import Viewer
from cohorts import roles as cohort_roles
from cohorts.models import Cohort, Enrollment, Program
from networks.models import PeerGroup

from . import audience as audience_rules
from . import roles
from .models import Announcement, Audience

JOINS = ("program", "cohort", "peer_group", "author")
PROGRAM_WIDE = [Audience.PROGRAM, Audience.COACHES, Audience.ALUMNI]


def visible(user: Viewer, now: datetime.datetime) -> QuerySet[Announcement]:
    """Announcements the viewer sees, newest first, with how many opened each."""
    return (
        Announcement.objects.filter(audience_rules.visible_q(user, now))
        .select_related(*JOINS)
        .annotate(opened=Count("reads", distinct=True))
        .order_by("-send_at", "-pk")
    )


def for_cohort(user: Viewer, cohort: Cohort, now: datetime.datetime) -> QuerySet[Announcement]:
    """To the cohort, to its peer groups and to the whole program (what the viewer may read)."""
    return visible(user, now).filter(
        Q(cohort=cohort) | Q(program_id=cohort.program_id, audience__in=PROGRAM_WIDE)
    )


def for_program(user: Viewer, program: Program, now: datetime.datetime) -> QuerySet[Announcement]:
    return visible(user, now).filter(program=program)


def audience_sizes(announcements: Iterable[Announcement]) -> dict[int, int]:
    """{announcement pk: people in its audience now}, in at most five queries whatever the
    number of announcements: one per kind of audience (program-wide kinds once per program)."""
    by_cohort, by_group, program_wide = defaultdict(list), defaultdict(list), defaultdict(list)
    for a in announcements:
        if a.audience == Audience.COHORT:
            by_cohort[a.cohort_id].append(a)
        elif a.audience == Audience.PEER_GROUP:
            by_group[a.peer_group_id].append(a)
        else:
            program_wide[(a.audience, a.program_id)].append(a)
    sizes: dict[int, int] = {}
    if by_cohort:
        counts = dict(
            Enrollment.objects.filter(
                cohort_id__in=by_cohort,
                status__in=audience_rules.WITH_ACCESS,
                user__is_active=True,
            )
            .values("cohort_id")
            .annotate(n=Count("user_id", distinct=True))
            .values_list("cohort_id", "n")
        )
        for cohort_id, items in by_cohort.items():
            sizes.update({a.pk: counts.get(cohort_id, 0) for a in items})
    if by_group:
        members = Q(
            memberships__enrollment__status__in=audience_rules.WITH_ACCESS,
            memberships__enrollment__user__is_active=True,
        )
        groups = PeerGroup.objects.filter(pk__in=by_group).annotate(
            n=Count("memberships", filter=members, distinct=True)
        )
        for group_id, n, facilitator_id in groups.values_list("pk", "n", "facilitator_id"):
            sizes.update({a.pk: n + (1 if facilitator_id else 0) for a in by_group[group_id]})
    for items in program_wide.values():
        n = audience_rules.members(items[0]).count()
        sizes.update({a.pk: n for a in items})
    return sizes


@dataclass(frozen=True)
class AudienceOption:
    """One audience the viewer may announce to, as the form offers it."""

    key: str  # the form's value: "cohort:<code>", "group:<code>", "program:<slug>", ...
    label: str
    section: str  # the program's name: the form groups its choices by program
    program: Program
    audience: str
    cohort: Cohort | None = None
    peer_group: PeerGroup | None = None


def audience_options(user: User) -> list[AudienceOption]:
    """Staff: every audience of their programs (site admin: of every program); a facilitator:
    the groups they lead. Four queries, whatever the number of programs and groups."""
    if not user.is_authenticated:
        return []
    program_ids = cohort_roles.staff_program_ids(user)
    options: list[AudienceOption] = []
    cohorts = defaultdict(list)
    for cohort in Cohort.objects.filter(program_id__in=program_ids).order_by("-start_date", "name"):
        cohorts[cohort.program_id].append(cohort)
    groups = defaultdict(list)
    led = PeerGroup.objects.filter(
        Q(cohort__program_id__in=program_ids) | Q(facilitator=user)
    ).select_related("cohort__program")
    for group in led.order_by("cohort__start_date", "name"):
        groups[group.cohort.program_id].append(group)
    programs = {p.pk: p for p in Program.objects.filter(pk__in=program_ids)}
    programs.update({gs[0].cohort.program_id: gs[0].cohort.program for gs in groups.values()})
    for program in sorted(programs.values(), key=lambda p: p.name):
        name = program.name
        terms = program.terms  # each program's audiences in its own words
        if program.pk in program_ids:
            options.append(
                AudienceOption(
                    f"program:{program.slug}",
                    f"Everyone in {name}",
                    name,
                    program,
                    Audience.PROGRAM,
                )
            )
            for cohort in cohorts[program.pk]:
                options.append(
                    AudienceOption(
                        f"cohort:{cohort.code}",
                        f"{capfirst(terms.participants)} of {cohort.name}",
                        name,
                        program,
                        Audience.COHORT,
                        cohort=cohort,
                    )
                )
            options.append(
                AudienceOption(
                    f"coaches:{program.slug}", f"Coaches of {name}", name, program, Audience.COACHES
                )
            )
            options.append(
                AudienceOption(
                    f"alumni:{program.slug}", f"Alumni of {name}", name, program, Audience.ALUMNI
                )
            )
        for group in groups[program.pk]:
            if program.pk in program_ids or roles.may_announce(
                user, audience=Audience.PEER_GROUP, program=program, peer_group=group
            ):
                options.append(
                    AudienceOption(
                        f"group:{group.code}",
                        f"{capfirst(terms.group)} {group.name} ({group.cohort.name})",
                        name,
                        program,
                        Audience.PEER_GROUP,
                        cohort=group.cohort,
                        peer_group=group,
                    )
                )
    return options
