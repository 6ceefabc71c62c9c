"""A record with an audience, so the audience rules can be tested before any domain app has one."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from hub.models import AudienceMixin


class Note(AudienceMixin):
    """A piece of text someone may or may not be allowed to see."""

    title = models.CharField(max_length=100)


class PlainPage(Page):
    """A stock Wagtail page on the site's base template: the yardstick for benchmarks."""

    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    # The body too, so a benchmark's stock search reads the same text as the site's.
    search_fields = [*Page.search_fields, index.SearchField("body")]
