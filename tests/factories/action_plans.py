import datetime

import factory

from action_plans.models import (
    ActionPlan,
    Goal,
    Milestone,
    MilestoneStatus,
    PlanComment,
    ProgressSignal,
    ProgressUpdate,
)
from curriculum.models import Competency, CompetencyDomain

from .accounts import UserFactory
from .cohorts import EnrollmentFactory
from .curriculum import CompetencyFrameworkFactory


class CompetencyDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyDomain

    framework = factory.SubFactory(CompetencyFrameworkFactory)
    name = factory.Sequence(lambda n: f"Domain {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    domain = factory.SubFactory(CompetencyDomainFactory)
    name = factory.Sequence(lambda n: f"Competency {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    enrollment = factory.SubFactory(EnrollmentFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")
    initiative = "Align Medicaid managed-care contracts with community health worker services."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    order = factory.Sequence(lambda n: n)


class MilestoneFactory(factory.django.DjangoModelFactory):
    """Due inside the cohort (the plan's cohort starts the factory's 1 Sep 2026)."""

    class Meta:
        model = Milestone

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyAttribute(
        lambda o: o.goal.plan.enrollment.cohort.start_date + datetime.timedelta(days=120)
    )
    status = MilestoneStatus.NOT_STARTED
    completed_on = factory.LazyAttribute(
        lambda o: o.due_date if o.status == MilestoneStatus.DONE else None
    )
    order = factory.Sequence(lambda n: n)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    plan = factory.SubFactory(ActionPlanFactory)
    author = factory.LazyAttribute(lambda o: o.plan.enrollment.user)
    as_of = factory.LazyAttribute(lambda o: o.plan.enrollment.cohort.start_date)
    signal = ProgressSignal.ON_TRACK
    body = "Met with the managed-care team; drafted contract language."


class PlanCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanComment

    plan = factory.SubFactory(ActionPlanFactory)
    author = factory.SubFactory(UserFactory)
    body = "Have you looped in the tribal health liaison?"
