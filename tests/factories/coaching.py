import factory
from django.utils import timezone

from coaching.models import CoachAssignment, CoachProfile

from .accounts import UserFactory
from .cohorts import EnrollmentFactory


class CoachProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    capacity = 6

    @factory.post_generation
    def programs(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programs.add(*extracted)


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    coach = factory.SubFactory(UserFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    started_at = factory.LazyFunction(timezone.now)
