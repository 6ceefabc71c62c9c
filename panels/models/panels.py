"""Panels: the index of panels and each panel's terms of reference and membership."""

import datetime
from dataclasses import replace

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from hub.admin_access import GuardedPageMixin
from hub.audiences import Audience
from hub.editor_panels import PrivacyCheckPanel
from hub.lazy import imported_later
from hub.params import int_or_none
from hub.privacy import Passage
from panels.models.meetings import MeetingPage

# Selectors read these models, and the views behind the routes import them.
selectors = imported_later("panels.selectors")
views = imported_later("panels.views")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AS_NEEDED = "as_needed", "As needed"


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    SECRETARY = "secretary", "Secretary"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


class PanelIndexPage(GuardedPageMixin, Page):
    """The list of panels; the Minutes approval workflow is assigned here."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["panels.PanelPage"]
    max_count = 1

    class Meta:
        verbose_name = "panel index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panels"] = selectors.panels_for(user=request.user, index=self)
        context["upcoming"] = selectors.upcoming_meetings(user=request.user)[:5]
        return context


class PanelPage(GuardedPageMixin, RoutablePageMixin, Page):
    """A panel: its purpose, terms of reference, members and who may read its minutes."""

    short_code = models.CharField(
        max_length=12,
        unique=True,
        help_text="Letters used in decision and action references, e.g. MASP.",
    )
    purpose = models.TextField(help_text="One or two sentences: why this panel meets.")
    terms_of_reference = RichTextField(
        blank=True,
        help_text="Every published change is kept in the page's history.",
    )
    terms_approved_on = models.DateField(
        null=True, blank=True, help_text="When the current terms of reference were approved."
    )
    quorum = models.PositiveSmallIntegerField(
        default=3, help_text="How many voting members must attend for decisions to stand."
    )
    meeting_frequency = models.CharField(
        max_length=20, choices=MeetingFrequency.choices, default=MeetingFrequency.MONTHLY
    )
    multi_agency = models.BooleanField(
        default=False, help_text="Partner agencies sit on this panel."
    )
    established_on = models.DateField(help_text="The date of the panel's first meeting.")
    ended_on = models.DateField(
        null=True, blank=True, help_text="Leave empty while the panel still meets."
    )
    minutes_audience = models.CharField(
        max_length=20,
        choices=Audience.choices,
        default=Audience.PANEL,
        help_text="Who may read this panel's meetings, minutes, decisions and actions.",
    )
    oversees = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="overseen_by",
        help_text="Panels that report to this one: their open actions come to its matters "
        "arising too.",
    )
    members_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="panel_of_members",
    )
    secretaries_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="panel_of_secretaries",
    )

    content_panels = [
        PrivacyCheckPanel(),
        *Page.content_panels,
        FieldRowPanel([FieldPanel("short_code"), FieldPanel("minutes_audience")]),
        FieldPanel("purpose"),
        MultiFieldPanel(
            [FieldPanel("terms_of_reference"), FieldPanel("terms_approved_on")],
            heading="Terms of reference",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quorum"), FieldPanel("meeting_frequency")]),
                FieldPanel("multi_agency"),
                FieldRowPanel([FieldPanel("established_on"), FieldPanel("ended_on")]),
                FieldPanel("oversees", widget=forms.CheckboxSelectMultiple),
            ],
            heading="How the panel works",
        ),
        InlinePanel("memberships", heading="Members", label="member"),
    ]

    parent_page_types = ["panels.PanelIndexPage"]
    subpage_types = ["panels.MeetingPage"]
    # Readers may follow it by email (``hub.notices``).
    accepts_subscriptions = True

    class Meta:
        verbose_name = "panel page"

    def clean(self):
        super().clean()
        if self.ended_on and self.established_on and self.ended_on < self.established_on:
            raise ValidationError({"ended_on": "A panel cannot end before it was established."})

    def shared_passages(self) -> list[Passage]:
        """For the privacy check: what its meetings' minutes say, when this version would open
        them beyond the panel for the first time; nothing otherwise."""
        return [
            Passage(f"{meeting.title}: {passage.where}", passage.text)
            for meeting in self._meetings_opened()
            for passage in meeting.minutes_passages()
        ]

    def children_named(self) -> list[str]:
        return [name for meeting in self._meetings_opened() for name in meeting.children_named()]

    def unchecked_files(self) -> list:
        return [
            replace(item, where=f"{meeting.title}: {item.where}")
            for meeting in self._meetings_opened()
            for item in meeting.unchecked_files()
        ]

    def _meetings_opened(self) -> list:
        """The published meetings whose minutes this version opens beyond the panel."""
        if self.pk is None or self.minutes_audience == Audience.PANEL:
            return []
        live = PanelPage.objects.filter(pk=self.pk, live=True).values_list(
            "minutes_audience", flat=True
        )
        if live.first() not in (Audience.PANEL, None):
            return []
        return list(MeetingPage.objects.child_of(self).live().specific())

    def life_includes(self, day: datetime.date) -> bool:
        """Whether the panel existed on ``day``."""
        if self.established_on and day < self.established_on:
            return False
        return not (self.ended_on and day > self.ended_on)

    def current_memberships(self, on: datetime.date | None = None):
        """Memberships in force on ``on`` (today by default), in their listed order."""
        on = on or timezone.localdate()
        return [
            membership
            for membership in self.memberships.all()
            if membership.from_date <= on
            and (membership.to_date is None or membership.to_date >= on)
        ]

    def holder_of(self, role: str) -> "PanelMembership | None":
        return next((m for m in self.current_memberships() if m.role == role), None)

    @property
    def chair(self):
        return self.holder_of(MembershipRole.CHAIR)

    @property
    def secretary(self):
        return self.holder_of(MembershipRole.SECRETARY)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["memberships"] = self.current_memberships()
        context["meeting_year"] = selectors.meeting_year(
            user=request.user, panel=self, year=int_or_none(request.GET.get("year"))
        )
        return context

    # Meetings beneath have dated addresses (2015-01-14/), which no route here takes.

    @path("terms/")
    def terms_history(self, request):
        return views.terms_history(request, self)

    @path("terms/compare/")
    def terms_compare_choice(self, request):
        return views.terms_compare_choice(request, self)

    @path("terms/compare/<str:spec>/")
    def terms_compare(self, request, spec):
        return views.terms_compare(request, self, spec)

    @path("terms/<int:number>/")
    def terms_version(self, request, number):
        return views.terms_version(request, self, number)


class PanelMembership(Orderable):
    """One person's seat on a panel: their agency, role, vote and time in post."""

    panel = ParentalKey(PanelPage, on_delete=models.CASCADE, related_name="memberships")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200, help_text="e.g. Police, Health, Education.")
    job_title = models.CharField(max_length=200, blank=True)
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    voting = models.BooleanField(
        default=True, help_text="Clear this for advisory members, who do not vote."
    )
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_memberships",
        help_text="Link a sign-in to let this member read the panel's restricted minutes.",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("agency")]),
        FieldRowPanel([FieldPanel("job_title"), FieldPanel("role"), FieldPanel("voting")]),
        FieldRowPanel([FieldPanel("from_date"), FieldPanel("to_date")]),
        FieldPanel("user"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "panel membership"

    def __str__(self):
        return f"{self.name} ({self.agency})"

    def clean(self):
        super().clean()
        if self.to_date and self.from_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": "A membership cannot end before it starts."})

    @property
    def vote_label(self) -> str:
        return "Voting" if self.voting else "Advisory"
