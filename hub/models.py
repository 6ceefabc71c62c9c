"""The site itself: the home page, site-wide settings and the audience fields records share."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from hub import selectors
from hub.audiences import Audience


class AudienceMixin(models.Model):
    """Who may see a record that is not a page: an audience and, for panels, its group."""

    audience = models.CharField(
        max_length=20,
        choices=Audience.choices,
        default=Audience.STAFF,
        help_text="Who may see this. Members of a panel also needs the panel's group.",
    )
    audience_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="panel group",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.audience == Audience.PANEL and self.audience_group_id is None:
            raise ValidationError(
                {"audience_group": "Choose the panel whose members may see this."}
            )
        if self.audience != Audience.PANEL and self.audience_group_id is not None:
            raise ValidationError(
                {"audience_group": "Only a 'Members of a panel' audience names a panel group."}
            )


class HomePage(Page):
    """The front page: what changed recently and what needs the reader's attention."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A short welcome shown above the lists.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recent_changes"] = selectors.recent_changes(user=request.user)
        context["attention_panels"] = selectors.attention_panels(request=request)
        return context


@register_setting(icon="site")
class HubSettings(BaseSiteSetting):
    """Who runs the site and how readers reach them; shown in every page's footer."""

    organisation_name = models.CharField(max_length=200, default="Children's Services")
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_address = models.TextField(blank=True)
    alternative_formats_notice = models.TextField(
        blank=True,
        default=(
            "If you need this information in large print, audio, Braille or another "
            "language, please contact us and we will provide it."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
            ],
            heading="Contact details",
        ),
        FieldPanel("alternative_formats_notice"),
    ]

    class Meta:
        verbose_name = "site settings"


class GlossaryTerm(models.Model):
    """A term or acronym readers meet in policies and minutes, and what it means."""

    term = models.CharField(max_length=40, unique=True, help_text="As written, e.g. CIN")
    expansion = models.CharField(max_length=200, help_text="In full, e.g. Child in Need")
    definition = models.TextField(blank=True)
    synonyms = models.CharField(
        max_length=400,
        blank=True,
        help_text="Other words people search for, separated by commas.",
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("expansion"),
        FieldPanel("definition"),
        FieldPanel("synonyms"),
    ]

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self):
        return f"{self.term} ({self.expansion})"

    @property
    def anchor(self) -> str:
        return f"term-{slugify(self.term)}"


class SubscriptionToken(models.Model):
    """A private key in a person's feed and calendar addresses; a new key revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription_token"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Subscription key for {self.user}"
