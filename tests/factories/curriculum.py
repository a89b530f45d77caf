import factory

from curriculum.models import CompetencyFramework


class CompetencyFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")
