"""The improvement plan in Wagtail's admin: focus areas, milestones and risks."""

from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from hub.admin_access import AudiencePermissionPolicy
from hub.admin_views import AudienceSnippetViewSet
from hub.audiences import visible_to
from hub.changes import announce
from hub.concurrency import StaleRecordForm
from improvement.models import FocusArea, Milestone, Risk
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


class RiskViewSet(AudienceSnippetViewSet):
    """The risk register."""

    model = Risk
    icon = "warning"
    edit_handler = ObjectList(Risk.panels, base_form_class=StaleRecordForm)
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


class ImprovementViewSetGroup(SnippetViewSetGroup):
    """One admin menu for the plan's records."""

    items = (FocusAreaViewSet, MilestoneViewSet, RiskViewSet)
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
