import datetime

import factory
from django.utils import timezone

from cohorts.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    InvitationRole,
    ParticipantProfile,
    PartnerOrganization,
    Program,
    ProgramStaff,
    RosterImport,
    Sector,
)

from .accounts import InviteeFactory, UserFactory


class PartnerOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner Organization {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Leadership Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    """A sent, pending invitation; `invitation.token` is the secret of its link."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(InviteeFactory)
    role = InvitationRole.COACH
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.sent_at + datetime.timedelta(days=14))
    send_count = 1

    @factory.post_generation
    def token(obj, create, extracted, **kwargs):
        obj.token = obj.issue_token()
        if create:
            obj.save(update_fields=["token_hash"])


class ProgramStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramStaff

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 8, 31)
    status = CohortStatus.ACTIVE
    time_zone = "America/New_York"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    state = factory.Iterator(["NY", "CA", "HI", "TX", "PR", "GU", "WA", "NM"])
    agency = factory.Sequence(lambda n: f"State Agency {n}")
    title = "Deputy Director"
    sector = factory.Iterator([s.value for s in Sector])
    status = EnrollmentStatus.ACTIVE
    withdrawn_on = factory.LazyAttribute(
        lambda o: datetime.date(2026, 10, 1) if o.status == EnrollmentStatus.WITHDRAWN else None
    )


class ParticipantProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class RosterImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterImport

    cohort = factory.SubFactory(CohortFactory)
    filename = "roster.csv"
    content = "email,full_name,state,agency\nnew.fellow@example.org,Noa Newcomer,HI,Hawaii DOH\n"


def fellow_invitation(enrollment, **kwargs):
    """A pending invitation for an invited enrollment (its cohort's program, role fellow)."""
    return InvitationFactory(
        program=enrollment.cohort.program,
        user=enrollment.user,
        role=InvitationRole.FELLOW,
        enrollment=enrollment,
        **kwargs,
    )
