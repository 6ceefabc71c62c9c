"""Wagtail admin views narrowed to what the person may open (``hub.admin_access``).

Snippet viewsets for records with an audience, exports no spreadsheet runs as
formulas, upload screens that start from the most restricted collection, and
the screens where Wagtail lists pages without asking: the page types report,
redirects and the dashboard's panels of a person's own pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django_filters import ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.home import LockedPagesPanel, RecentEditsPanel
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel as WorkflowPanel,
)
from wagtail.admin.views.pages.create import CreateView as PageCreateView
from wagtail.admin.views.pages.delete import DeleteView as PageDeleteView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.unpublish import UnpublishView as PageUnpublishView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.contrib.redirects.views import IndexView as RedirectsView
from wagtail.documents.views.multiple import AddView as DocumentsUploadView
from wagtail.images.views.multiple import AddView as ImagesUploadView
from wagtail.models import Page
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from hub import records
from hub.admin_access import known_open, may_open, open_pages
from hub.audiences import may_see, visible_to
from hub.collections import most_restricted
from hub.exports import spreadsheet_safe
from hub.params import int_or_none

# Snippet choosers ---------------------------------------------------------------------------


class VisibleChoicesMixin:
    """Offers only the records whose audience admits the person choosing."""

    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class AudienceChooseView(VisibleChoicesMixin, ChooseView):
    pass


class AudienceChooseResultsView(VisibleChoicesMixin, ChooseResultsView):
    pass


class AudienceChosenView(SnippetChosenView):
    def get_object(self, pk):
        record = super().get_object(pk)
        if not may_see(self.request.user, record):
            raise Http404
        return record


class AudienceChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_to(self.request.user, super().get_objects(pks))


class AudienceChooserViewSet(SnippetChooserViewSet):
    """A chooser that offers and returns only records whose audience admits the person."""

    choose_view_class = AudienceChooseView
    choose_results_view_class = AudienceChooseResultsView
    chosen_view_class = AudienceChosenView
    chosen_multiple_view_class = AudienceChosenMultipleView


class SpreadsheetSafeIndexView(IndexView):
    """A snippet listing whose CSV export no spreadsheet runs as formulas."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


class RecordFilterSet(WagtailFilterSet):
    """Admin filters by record: a number no record could have is bad input (a 400), on
    every database, rather than a filter that quietly matches nothing."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for name, chosen in self.filters.items():
            if data and isinstance(chosen, ModelChoiceFilter):
                int_or_none(data.get(name))


class AudienceSnippetViewSet(SnippetViewSet):
    """Snippets with an audience: listed, exported and chosen only by people it admits.

    Register ``hub.admin_access.AudiencePermissionPolicy`` (or a subclass) for the
    model first. Views that take a record's id are refused at the door by
    ``hub.middleware.AdminAddressGuard``.
    """

    chooser_viewset_class = AudienceChooserViewSet
    index_view_class = SpreadsheetSafeIndexView

    def get_queryset(self, request):
        return visible_to(request.user, self.model._default_manager.all())


class ServiceRefusalShown:
    """For create and edit views whose form saves through a service that checks as it saves.

    The service's refusal (a ``ValidationError``) is shown on the form, and the
    save, inside the view's transaction, leaves nothing behind.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for name, errors in _by_field(error).items():
                form.add_error(name if name in form.fields else None, errors)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def _by_field(error: ValidationError) -> dict:
    return error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}


# Uploads ------------------------------------------------------------------------------------


class MostRestrictedFirstMixin:
    """Starts the collection choice at the most restricted collection the person may add to."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["collections"] and not context["selected_collection_id"]:
            context["selected_collection_id"] = str(most_restricted(context["collections"]).pk)
        return context


class DocumentUploadView(MostRestrictedFirstMixin, DocumentsUploadView):
    pass


class ImageUploadView(MostRestrictedFirstMixin, ImagesUploadView):
    pass


# Records kept: deleting refused, unpublishing with a reason ----------------------------------


class RecordDeleteView(PageDeleteView):
    """Deleting a page, refused with the reason when it is a record or others refer to it."""

    def dispatch(self, request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_id)
        refusal = records.deletion_refused(page, user=request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_explore", (page.get_parent() or page).pk)
        return super().dispatch(request, page_id, *args, **kwargs)


class WithdrawView(PageUnpublishView):
    """Unpublishing a page is withdrawing it: the reason is required, kept and shown."""

    template_name = "hub/admin/confirm_withdraw.html"
    success_message = "Page '%(page_title)s' withdrawn."

    def post(self, request, *args, **kwargs):
        self.reason = request.POST.get("reason", "").strip()
        if not self.reason:
            context = self.get_context_data(reason_error="Say why this page is being withdrawn.")
            return self.render_to_response(context)
        return super().post(request, *args, **kwargs)

    def unpublish(self):
        hook_response = self.run_hook("before_unpublish_page", self.request, self.object)
        if hook_response is not None:
            return hook_response
        try:
            records.withdraw(
                page=self.object,
                by=self.request.user,
                reason=self.reason,
                include_descendants=bool(self.request.POST.get("include_descendants")),
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("wagtailadmin_pages:edit", self.object.pk)
        return self.run_hook("after_unpublish_page", self.request, self.object)


class OpenPagesExplorerView(ExplorableIndexView):
    """Wagtail's explorer. Its rows come from the pages the person may open (the policy's
    ``explorable_instances``), so none is asked about again, one query a row."""

    def get_table(self, object_list):
        known_open(self.request.user, object_list)
        return super().get_table(object_list)


class CreateOnceView(PageCreateView):
    """Wagtail's new page form without autosave: an autosave still on its way to the "add"
    address when the editor pressed Save draft made the page a second time. Autosave
    starts once the page exists, in its editor."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "autosave_enabled": False}


class HubPageViewSet(PageViewSet):
    """Every page type's admin views, with records kept."""

    model = Page
    index_view_class = OpenPagesExplorerView
    add_view_class = CreateOnceView
    delete_view_class = RecordDeleteView
    unpublish_view_class = WithdrawView


# Reports -------------------------------------------------------------------------------------


class PageTypesUsageView(PageTypesUsageReportView):
    """Wagtail's page types report, naming each type's last edited page only to who may open it."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for page_type in page_types:
            page = page_type.last_edited_page
            if page is not None and not may_open(self.request.user, page):
                page_type.last_edited_page = None
        return page_types


class OpenRedirectsView(RedirectsView):
    """Wagtail's redirects, without those to pages the person may not open.

    Wagtail makes a redirect whenever a page moves or changes its address, so
    the list would otherwise name any page, a members-only panel's minutes too.
    """

    def get_base_queryset(self):
        openable = open_pages(self.request.user, Page.objects.all())
        return (
            super()
            .get_base_queryset()
            .filter(Q(redirect_page=None) | Q(redirect_page__in=openable))
        )


# The dashboard's panels of a person's own pages ----------------------------------------------


class OpenRecentEditsPanel(RecentEditsPanel):
    """Recent edits, without pages the person may no longer open."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["last_edits"] = [
            (when, page) for when, page in context["last_edits"] if may_open(user, page)
        ]
        return context


class OpenLockedPagesPanel(LockedPagesPanel):
    """Pages the person locked, without those they may no longer open."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["locked_pages"] = open_pages(
            parent_context["request"].user, context["locked_pages"]
        )
        return context


class OpenWorkflowPanel(WorkflowPanel):
    """The person's items in a workflow, without those they may no longer open."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["workflow_states"] = [
            state for state in context["workflow_states"] if may_open(user, state.content_object)
        ]
        return context


OWN_PAGES_PANELS = {
    RecentEditsPanel: OpenRecentEditsPanel,
    LockedPagesPanel: OpenLockedPagesPanel,
    WorkflowPanel: OpenWorkflowPanel,
}
