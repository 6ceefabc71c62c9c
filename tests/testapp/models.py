"""A record with an audience, so the audience rules can be tested before any domain app has one."""

from django.db import models

from hub.models import AudienceMixin


class Note(AudienceMixin):
    """A piece of text someone may or may not be allowed to see."""

    title = models.CharField(max_length=100)
