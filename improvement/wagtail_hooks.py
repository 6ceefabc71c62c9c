"""The improvement plan in Wagtail's admin: focus areas, milestones and risks."""

import datetime

from django.utils import timezone
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from hub.admin_access import AudiencePermissionPolicy
from hub.admin_views import AudienceSnippetViewSet, ServiceRefusalShown
from hub.audiences import visible_to
from hub.changes import announce
from hub.concurrency import StaleRecordForm
from hub.notices import REMINDERS_HOOK
from improvement import reminders, services
from improvement.admin_forms import RiskAdminForm
from improvement.models import FocusArea, Inspection, Milestone, Risk
from improvement.search_records import records_showing

# Registered before any view asks for the policy, or Wagtail makes a plain one first.
register_permission_policy(Milestone, AudiencePermissionPolicy(Milestone))
register_permission_policy(Risk, AudiencePermissionPolicy(Risk))


class FocusAreaViewSet(SnippetViewSet):
    """The plan's areas of particular focus."""

    model = FocusArea
    icon = "folder-open-inverse"
    list_display = ["title", "plan", "sort_order"]


class MilestoneViewSet(AudienceSnippetViewSet):
    """Milestones with their due dates; export for the improvement board."""

    model = Milestone
    icon = "flag"
    edit_handler = ObjectList(Milestone.panels, base_form_class=StaleRecordForm)
    list_display = ["title", "focus_area", "owner", "due_on", "done_on", "status_override"]
    list_filter = ["focus_area", "owner", "audience"]
    list_export = [
        "title",
        "focus_area",
        "owner",
        "due_on",
        "period",
        "done_on",
        "status_override",
        "override_reason",
        "audience",
    ]
    search_fields = ["title", "description"]
    ordering = ["due_on"]

    def get_queryset(self, request):
        # Managers list and export only the milestones they may see.
        return visible_to(request.user, Milestone.objects.select_related("focus_area", "owner"))


class RiskEditView(ServiceRefusalShown, EditView):
    """Saves a change through the plan's services, whose log entry says what changed and why."""

    def save_instance(self):
        return self.form.save()


class RiskViewSet(AudienceSnippetViewSet):
    """The risk register."""

    model = Risk
    icon = "warning"
    edit_view_class = RiskEditView
    edit_handler = ObjectList(
        [*Risk.panels, FieldRowPanel([FieldPanel("on"), FieldPanel("reason")])],
        base_form_class=RiskAdminForm,
    )
    list_display = ["title", "impact", "likelihood", "owner", "review_on", "closed"]
    list_filter = ["impact", "likelihood", "closed"]
    list_export = [
        "title",
        "description",
        "impact",
        "likelihood",
        "owner",
        "mitigation",
        "review_on",
        "closed",
    ]

    def get_queryset(self, request):
        return visible_to(request.user, Risk.objects.select_related("owner"))


class InspectionViewSet(SnippetViewSet):
    """The inspections the plan answers, with their judgements."""

    model = Inspection
    icon = "doc-full"
    list_display = ["title", "inspectorate", "started_on", "published_on"]
    ordering = ["-started_on"]


class ImprovementViewSetGroup(SnippetViewSetGroup):
    """One admin menu for the plan's records."""

    items = (InspectionViewSet, FocusAreaViewSet, MilestoneViewSet, RiskViewSet)
    menu_icon = "list-ul"
    menu_label = "Improvement plan"
    menu_order = 250


register_snippet(ImprovementViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def announce_changes(request, instance):
    announce(records_showing([instance]))


@hooks.register("before_delete_snippet")
def note_records_showing_deleted(request, instances):
    # Once deleted, a milestone no longer says which decisions and actions served it.
    request.records_showing_deleted = records_showing(instances)


@hooks.register("after_delete_snippet")
def announce_deletions(request, instances):
    announce(getattr(request, "records_showing_deleted", []))


# The daily notification run tells the plan's managers of milestones that turned red.
hooks.register(REMINDERS_HOOK, reminders.announce_turned_red)


@hooks.register("register_log_actions")
def describe_risk_changes(actions):
    @actions.register_action(services.RISK_CHANGED)
    class RiskChanged(LogFormatter):
        """What changed in words (Likelihood: Medium → High), why, and when it took effect."""

        label = "Change risk"

        def format_message(self, log_entry):
            data = log_entry.data
            changes = "; ".join(
                f"{change['field']}: {_short(change['old'])} → {_short(change['new'])}"
                for change in data.get("changes", [])
            )
            message = [_sentence(changes) if changes else "Saved."]
            if data.get("reason"):
                message.append(f"Reason: {_sentence(data['reason'])}")
            on = datetime.date.fromisoformat(data["on"]) if data.get("on") else None
            if on and on != timezone.localtime(log_entry.timestamp).date():
                message.append(f"Took effect on {on:%-d %B %Y}.")
            return " ".join(message)


def _short(value: str) -> str:
    return Truncator(value).chars(80)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
