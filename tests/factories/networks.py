import factory

from networks.models import PeerGroup, PeerGroupMembership

from .cohorts import CohortFactory, EnrollmentFactory


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class PeerGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroupMembership

    group = factory.SubFactory(PeerGroupFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..group.cohort")
    )
