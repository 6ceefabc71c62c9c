"""Factories for the people and records tests need."""

import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hub.audiences import Audience
from tests.testapp.models import Note

PASSWORD = "correct-horse-battery"
# Everyone the tests make has set up an authenticator app with this key, unless a
# test says otherwise (``UserFactory(two_factor=False)``).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user, secret: str = TOTP_SECRET) -> None:
    """``user`` sets up an authenticator app holding ``secret``."""
    TOTP.activate(user, secret)


def totp_code(secret: str = TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (RFC 6238: 30-second steps, 6 digits)."""
    counter = int(time.time()) // 30 + steps_ahead
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


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

    @factory.post_generation
    def two_factor(self, create, wanted, **kwargs):
        if create and wanted is not False and not self.authenticator_set.exists():
            enrol(self)


class NoteFactory(factory.django.DjangoModelFactory):
    """A record carrying an audience."""

    class Meta:
        model = Note

    title = factory.Sequence(lambda n: f"Note {n}")
    audience = Audience.PUBLIC
