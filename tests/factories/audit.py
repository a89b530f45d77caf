import factory

from audit.models import AuditEntry


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    action = "plans.approved"
    target_label = factory.Sequence(lambda n: f"Plan {n}")
