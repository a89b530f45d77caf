import datetime

import factory

from outcomes.models import Consent, DemographicProfile, Result, ResultFocusLevel, ResultKind

from .action_plans import ActionPlanFactory


class ResultFactory(factory.django.DjangoModelFactory):
    """A result a month after its cohort started (so never before the start, and in the past
    while the test clock is in the cohort's year)."""

    class Meta:
        model = Result
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    kind = ResultKind.POLICY
    title = factory.Sequence(lambda n: f"Result {n}")
    story = "The state adopted the change this leader led."
    achieved_on = factory.LazyAttribute(
        lambda o: o.plan.enrollment.cohort.start_date + datetime.timedelta(days=30)
    )
    jurisdiction = factory.LazyAttribute(lambda o: o.plan.enrollment.state)
    consent = Consent.FUNDERS
    recorded_by = factory.LazyAttribute(lambda o: o.plan.enrollment.user)

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create:
            for level in extracted or ["community"]:
                ResultFocusLevel.objects.create(result=self, level=level)


class DemographicProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemographicProfile
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    @factory.post_generation
    def race(self, create, extracted, **kwargs):
        if create and extracted:
            for category in extracted:
                self.race_ethnicity.create(category=category)

    @factory.post_generation
    def lived(self, create, extracted, **kwargs):
        if create and extracted:
            for item in extracted:
                self.lived_experience.create(item=item)
