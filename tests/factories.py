"""Factories for the people and records tests need."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hub.audiences import Audience
from tests.testapp.models import Note

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A person; ``groups=["Staff"]`` puts them in those groups by name."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@hub.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in names))
        if create:
            self.save()


class NoteFactory(factory.django.DjangoModelFactory):
    """A record carrying an audience."""

    class Meta:
        model = Note

    title = factory.Sequence(lambda n: f"Note {n}")
    audience = Audience.PUBLIC
