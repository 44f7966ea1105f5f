from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from accounts.models import Company, Invitation, Membership, User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    role = User.Role.ENGINEER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class EngineerFactory(UserFactory):
    role = User.Role.ENGINEER


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    website = "https://example.com"


class EmployerFactory(UserFactory):
    """An employer who owns a new company unless ``membership__company`` is given."""

    role = User.Role.EMPLOYER
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory",
        factory_related_name="user",
        role=Membership.Role.OWNER,
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=User.Role.EMPLOYER)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    company = factory.SubFactory(CompanyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
