"""Wagtail hooks for the site as a whole."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub import accounts, document_text, privacy, privacy_overrides, records
from hub.admin_access import open_pages
from hub.admin_users import AssignRole, SetActiveState
from hub.admin_views import (
    OWN_PAGES_PANELS,
    DocumentUploadView,
    HubPageViewSet,
    ImageUploadView,
    OpenRedirectsView,
    SpreadsheetSafeIndexView,
)
from hub.audiences import may_see
from hub.collections import admits
from hub.forms import is_publishing
from hub.glossary import forget_glossary
from hub.models import Agency, AudienceMixin, GlossaryTerm, Notice, RecordLogEntry
from hub.notice_admin import NoticePermissionPolicy, NoticeViewSet


@hooks.register("before_serve_page", order=-1)
def refuse_signed_in_readers_outside_the_audience(page, request, serve_args, serve_kwargs):
    """A signed-in reader outside a page's audience gets a plain 403, not a login form.

    Anonymous readers fall through to Wagtail's own check, which asks them to sign in.
    """
    if request.user.is_authenticated and not may_see(request.user, page):
        raise PermissionDenied


@hooks.register("before_serve_document", order=-1)
def refuse_signed_in_readers_outside_the_collection(document, request):
    """As for pages, a signed-in reader outside a document's audience gets a plain 403.

    Wagtail's own check, which follows, asks signed-out readers to sign in.
    """
    if request.user.is_authenticated and not admits(request, document.collection):
        raise PermissionDenied


# Before Wagtail's own admin addresses, so these answer in their place.
@hooks.register("register_admin_urls", order=-1)
def narrowed_admin_screens():
    return [
        path("documents/multiple/add/", DocumentUploadView.as_view(), name="hub_documents_upload"),
        path("images/multiple/add/", ImageUploadView.as_view(), name="hub_images_upload"),
        path("redirects/", OpenRedirectsView.as_view(), name="hub_redirects"),
        path(
            "redirects/results/",
            OpenRedirectsView.as_view(results_only=True),
            name="hub_redirects_results",
        ),
    ]


@hooks.register("register_log_actions")
def log_records_with_an_audience_for_their_audience(actions):
    for model in apps.get_models():
        if issubclass(model, AudienceMixin) and not issubclass(model, Page):
            actions.register_model(model, RecordLogEntry)


@hooks.register("construct_page_chooser_queryset")
def choose_only_pages_people_may_open(pages, request):
    return open_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explore_only_pages_people_may_open(parent_page, pages, request):
    return open_pages(request.user, pages)


@hooks.register("construct_homepage_panels")
def only_pages_people_may_open_on_the_dashboard(request, panels):
    panels[:] = [
        OWN_PAGES_PANELS[type(panel)]() if type(panel) in OWN_PAGES_PANELS else panel
        for panel in panels
    ]


# After Wagtail's own, which these replace.
hooks.register("register_bulk_action", AssignRole, order=1)
hooks.register("register_bulk_action", SetActiveState, order=1)


class GlossaryViewSet(SnippetViewSet):
    """Terms and acronyms, searchable and exportable for editors."""

    model = GlossaryTerm
    icon = "help"
    index_view_class = SpreadsheetSafeIndexView
    menu_label = "Glossary"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["term", "expansion", "synonyms"]
    search_fields = ["term", "expansion", "synonyms"]
    list_export = ["term", "expansion", "definition", "synonyms"]


register_snippet(GlossaryViewSet)


class AgencyViewSet(SnippetViewSet):
    """The agencies people work for, kept by Administrators."""

    model = Agency
    icon = "group"
    menu_label = "Agencies"
    add_to_settings_menu = True
    list_display = ["name"]
    search_fields = ["name"]


register_snippet(AgencyViewSet)
register_permission_policy(Notice, NoticePermissionPolicy(Notice))
register_snippet(NoticeViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def refresh_glossary(request, instance):
    changed = instance if isinstance(instance, list) else [instance]
    if any(isinstance(item, GlossaryTerm) for item in changed):
        forget_glossary()


@hooks.register("register_admin_viewset", order=1)
def keep_records_of_every_page_type():
    # After Wagtail's own viewset for all pages, so that this one stands in its place.
    return HubPageViewSet()


@hooks.register("register_log_actions")
def log_withdrawals_and_sign_in_help(actions):
    @actions.register_action(records.WITHDRAW)
    class Withdraw(LogFormatter):
        label = "Withdraw"

        def format_message(self, log_entry):
            return f"Withdrawn: {log_entry.data.get('reason', '')}"

    @actions.register_action(privacy_overrides.OVERRIDE)
    class PublishPastPrivacyCheck(LogFormatter):
        label = "Publish past the privacy check"

        def format_message(self, log_entry):
            found = "; ".join(log_entry.data.get("findings", []))
            return f"Sent to publish past the privacy check ({found}), because: " + str(
                log_entry.data.get("reason", "")
            )

    actions.register_action(accounts.UNLOCK, "Unlock sign-in", "Sign-in unlocked")
    actions.register_action(accounts.RESET_TWO_FACTOR, "Reset two-factor", "Two-factor reset")


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def read_the_attached_files_of_a_draft(request, page):
    """So the privacy check reads a draft's attached files before it goes for approval."""
    document_text.request_attached(page.specific)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def keep_the_reason_for_publishing_past_the_privacy_check(request, page):
    if is_publishing(request.POST):
        reason = request.POST.get("privacy_override_reason", "")
        privacy_overrides.record_override(page=page, user=request.user, reason=reason)


@hooks.register("before_bulk_action")
def keep_records_in_bulk(request, action_type, objects, action):
    """Pages are withdrawn one at a time, with their reasons; records are not deleted; a page
    the privacy check finds something in is published from its editor, with a reason."""
    if action.model is not Page or action_type not in ("unpublish", "delete", "publish"):
        return None
    if action_type == "publish":
        held = [page for page in objects if privacy.findings_for(_latest(page))]
        refusal = (
            f"“{held[0].get_admin_display_title()}” has possible identifying details in what "
            "readers beyond its panel will see. Open it to see them, and publish it from there."
            if held
            else ""
        )
    elif action_type == "unpublish":
        refusal = (
            "Pages are withdrawn one at a time, each with its reason: open the page's "
            "actions and choose Unpublish."
        )
    else:
        refusal = next(
            (r for page in objects if (r := records.deletion_refused(page, user=request.user))),
            "",
        )
    if not refusal:
        return None
    messages.error(request, refusal)
    return redirect(action.next_url)


def _latest(page: Page):
    return page.specific.get_latest_revision_as_object()
