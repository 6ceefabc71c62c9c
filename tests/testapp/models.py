"""A record with an audience, so the audience rules can be tested before any domain app has one."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
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


class RowsPage(Page):
    """A stock Wagtail page edited with many inline rows: the yardstick for admin forms."""

    content_panels = [*Page.content_panels, InlinePanel("rows", label="row")]


class Row(Orderable):
    """One inline row, with the kinds of field a row of minutes has."""

    page = ParentalKey(RowsPage, on_delete=models.CASCADE, related_name="rows")
    progress = models.TextField(blank=True)
    carried_forward = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, blank=True, choices=[("open", "Open"), ("done", "Done")]
    )
    due_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
