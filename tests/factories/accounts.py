import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    time_zone = "America/New_York"
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Every factory user can log in through allauth (email verified)."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )


class InviteeFactory(UserFactory):
    """Someone invited who has not accepted: no usable password, email not verified."""

    password = factory.django.Password(None)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": False, "primary": True}
            )
