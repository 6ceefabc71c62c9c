"""Admin for panels: the action log snippet, hooks for new pages, home page lists, notices."""

from typing import NamedTuple

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, SubmitForModerationMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView

from hub import notices
from hub.admin_access import MANAGED_GROUPS_HOOK, OPEN_PAGES_HOOK
from hub.admin_views import AudienceSnippetViewSet, RecordFilterSet, ServiceRefusalShown
from hub.audiences import visible_to
from hub.selectors import ATTENTION_HOOK, RECENT_HOOK, AttentionItem, AttentionPanel, RecentItem
from panels import permissions, reminders, selectors, services
from panels.admin_forms import ActionAdminForm
from panels.admin_views import MattersArisingView, RaiseActionView
from panels.models import Action, MeetingPage, PanelIndexPage, PanelPage

# Registered before any view asks for the policy, or Wagtail makes a plain one first.
register_permission_policy(Action, permissions.ActionPermissionPolicy(Action))

HOME_LIST_LENGTH = 5


@hooks.register(OPEN_PAGES_HOOK)
def only_its_members_open_a_panels_pages(user, queryset):
    return permissions.pages_open_to_members(user, queryset)


@hooks.register(MANAGED_GROUPS_HOOK)
def panel_groups():
    """A panel's groups follow its published membership; nobody sets them by hand."""
    return selectors.panel_groups()


@hooks.register("after_create_page")
def prepare_new_panel_pages(request, page):
    """A new panel index gets the minutes workflow; a new meeting its panel's live audience.

    Neither changes who may read what is published: that follows publishing
    alone (``panels.handlers``).
    """
    page = page.specific
    if isinstance(page, PanelIndexPage):
        services.set_up_panel_index(index=page)
    elif isinstance(page, MeetingPage):
        services.restrict_meeting(meeting=page)


class MeetingScreen(NamedTuple):
    """One of the secretary's screens for a meeting, and how the admin leads to it."""

    address: str
    name: str
    label: str
    icon: str
    view: type


MATTERS_ARISING = MeetingScreen(
    "matters-arising", "panels_matters_arising", "Matters arising", "tasks", MattersArisingView
)
RAISE_ACTION = MeetingScreen(
    "raise-action", "panels_raise_action", "Raise an action", "plus", RaiseActionView
)


@hooks.register("register_admin_urls")
def meeting_screen_urls():
    return [
        path(
            f"panels/meetings/<int:page_id>/{screen.address}/",
            screen.view.as_view(),
            name=screen.name,
        )
        for screen in (MATTERS_ARISING, RAISE_ACTION)
    ]


def _may_work_on(page, user) -> bool:
    # The meeting's own permissions, which also ask whether the person may open it.
    page = page.specific_deferred
    return isinstance(page, MeetingPage) and page.permissions_for_user(user).can_edit()


class MeetingScreenMenuItem(ActionMenuItem):
    """A link from a meeting's editor to one of the secretary's screens for it."""

    def __init__(self, screen: MeetingScreen, order: int):
        super().__init__(order=order)
        self.name, self.label, self.icon_name = screen.name, screen.label, screen.icon

    def is_shown(self, context):
        return context["view"] == "edit" and isinstance(context["page"], MeetingPage)

    def get_url(self, parent_context):
        return reverse(self.name, args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def matters_arising_menu_item():
    return MeetingScreenMenuItem(MATTERS_ARISING, order=70)


@hooks.register("register_page_action_menu_item")
def raise_action_menu_item():
    return MeetingScreenMenuItem(RAISE_ACTION, order=71)


@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def meeting_screen_buttons(page, user, *args, **kwargs):
    if not _may_work_on(page, user):
        return
    for priority, screen in enumerate((MATTERS_ARISING, RAISE_ACTION), start=12):
        url = reverse(screen.name, args=[page.pk])
        yield Button(screen.label, url=url, icon_name=screen.icon, priority=priority)


class SendMinutesMenuItem(SubmitForModerationMenuItem):
    """Minutes are sent to the chair or an approver, in the secretary's words."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if context["label"].startswith("Submit to"):
            context["label"] = "Send minutes for approval"
        return context


@hooks.register("construct_page_action_menu")
def minutes_are_sent_for_approval(menu_items, request, context):
    new_meeting = context["view"] == "create" and isinstance(context["parent_page"], PanelPage)
    if not (new_meeting or isinstance(context.get("page"), MeetingPage)):
        return
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = SendMinutesMenuItem(order=item.order)


class ActionFilterSet(RecordFilterSet):
    panel = django_filters.ModelChoiceFilter(
        queryset=PanelPage.objects.order_by("title"), label="Panel"
    )
    overdue = django_filters.BooleanFilter(label="Overdue", method="filter_overdue")

    class Meta:
        model = Action
        fields = ["panel", "owner", "status", "priority"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ActionEditView(ServiceRefusalShown, EditView):
    """Refuses, before showing the form, an action the person may not change."""

    def get_object(self, queryset=None):
        action = super().get_object(queryset)
        if not self.user_has_permission_for_instance("change", action):
            raise PermissionDenied
        return action


class ActionViewSet(AudienceSnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Action log"
    menu_name = "action_log"
    add_to_admin_menu = True
    menu_order = 250
    edit_view_class = ActionEditView
    edit_handler = ObjectList(
        [
            FieldPanel("description"),
            FieldPanel("owner_membership", heading="Owner"),
            FieldRowPanel([FieldPanel("due_on"), FieldPanel("status"), FieldPanel("priority")]),
            FieldPanel("progress"),
            FieldRowPanel([FieldPanel("decision_reference"), FieldPanel("agenda_item")]),
            FieldPanel("milestones"),
            FieldRowPanel([FieldPanel("on"), FieldPanel("reason")]),
        ],
        base_form_class=ActionAdminForm,
    )
    filterset_class = ActionFilterSet
    list_display = [
        "reference",
        "description",
        "owner_name",
        "owner_agency",
        "due_on",
        "state_label",
    ]
    list_export = [
        "reference",
        "description",
        "owner_name",
        "owner_agency",
        "raised_on",
        "due_on",
        "status",
        "state_label",
        "priority",
        "progress",
        "completed_on",
        "panel",
        "meeting",
        "decision_reference",
        "agenda_item",
    ]
    export_headings = {"state_label": "Status (with overdue)", "owner_agency": "Agency"}
    export_filename = "action-log"
    ordering = ["due_on", "reference"]
    search_fields = None

    def get_queryset(self, request):
        return visible_to(request.user, Action.objects.select_related("panel", "meeting"))


register_snippet(ActionViewSet)


def _items(actions) -> list[AttentionItem]:
    return [
        AttentionItem(
            label=f"{action.reference}: {action.description[:80]}",
            url=reverse("panels:action_detail", args=[action.pk]),
            detail=f"Due {action.due_on:%-d %B %Y} · {action.state_label}",
        )
        for action in actions[:HOME_LIST_LENGTH]
    ]


@hooks.register(ATTENTION_HOOK)
def my_open_actions(request):
    if not request.user.panel_actions.exists():
        return None
    return AttentionPanel(
        title="My open actions",
        items=_items(selectors.my_open_actions(user=request.user)),
        empty_text="You have no open actions.",
    )


@hooks.register(ATTENTION_HOOK)
def overdue_actions_on_my_panels(request):
    actions = selectors.overdue_actions_on_my_panels(user=request.user)
    if not request.user.panel_memberships.exists() and not actions.exists():
        return None
    return AttentionPanel(
        title="Overdue actions on my panels",
        items=_items(actions),
        empty_text="No actions on your panels are overdue.",
    )


@hooks.register(RECENT_HOOK)
def recent_minutes_and_decisions(*, user, limit: int) -> list[RecentItem]:
    minutes = [
        RecentItem(
            kind="Minutes",
            title=f"Minutes: {meeting.title}",
            url=meeting.url,
            published=timezone.localdate(meeting.last_published_at),
        )
        for meeting in selectors.recently_minuted(user=user, limit=limit)
    ]
    decisions = [
        RecentItem(
            kind="Decision",
            title=f"{decision.reference}: {decision.title}",
            url=f"{decision.meeting.url}#decision-{decision.pk}",
            published=decision.meeting.local_start.date(),
            detail=f"Decided at {decision.meeting.title}",
            published_label="Decided",
        )
        for decision in selectors.recent_decisions(user=user, limit=limit)
    ]
    return minutes + decisions


@hooks.register(notices.REMINDERS_HOOK)
def action_reminders(*, today):
    """Owners of actions due or overdue, and secretaries' weekly lists of overdue actions."""
    return reminders.reminders(today=today)


@hooks.register(notices.PUBLISH_RECIPIENTS_HOOK)
def meeting_publish_recipients(page):
    """Who publishing a meeting would tell of its minutes, or of it being added or moved."""
    return services.publish_recipients(page=page)
