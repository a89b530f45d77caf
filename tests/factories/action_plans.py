import factory

from action_plans.models import ActionPlan

from .cohorts import EnrollmentFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    enrollment = factory.SubFactory(EnrollmentFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")
