"""The secretary's screens under a meeting in the admin: matters arising and raising actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page

from hub.admin_access import may_open_page
from hub.audiences import visible_to
from panels import selectors, services
from panels.admin_forms import RaiseActionForm, ReportDateForm, ReportForm
from panels.models import MeetingPage


class MeetingScreenView(WagtailAdminTemplateMixin, TemplateView):
    """A screen for a meeting its panel's secretaries (and whoever may edit it) work on."""

    header_icon = "tasks"

    def setup(self, request, page_id, *args, **kwargs):
        super().setup(request, page_id, *args, **kwargs)
        self.meeting = get_object_or_404(MeetingPage, pk=page_id)
        permissions = self.meeting.permissions_for_user(request.user)
        if not (permissions.can_edit() and may_open_page(request.user, self.meeting)):
            raise PermissionDenied

    def get_page_subtitle(self):
        return self.meeting.get_admin_display_title()

    def get_breadcrumbs_items(self):
        here = {"url": "", "label": self.get_page_title()}
        return [*get_breadcrumbs_items_for_page(self.meeting, self.request.user), here]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "meeting": self.meeting,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[self.meeting.pk]),
            "raise_url": reverse("panels_raise_action", args=[self.meeting.pk]),
            "matters_url": reverse("panels_matters_arising", args=[self.meeting.pk]),
        }


class MattersArisingView(MeetingScreenView):
    """Every earlier action still open, to record at once what the meeting heard on each."""

    template_name = "panels/admin/matters_arising.html"
    page_title = "Matters arising"

    @cached_property
    def panel_ids(self) -> list[int]:
        return services.panels_reviewed_at(self.meeting)

    def forms(self, data=None) -> tuple[ReportDateForm, list[ReportForm]]:
        actions = selectors.matters_arising(
            meeting=self.meeting, panel_ids=self.panel_ids, user=self.request.user
        )
        date_form = ReportDateForm(data, initial={"on": self.meeting.local_start.date()})
        return date_form, [ReportForm(data, action=action) for action in actions]

    def get_context_data(self, date_form=None, rows=None, **kwargs):
        if rows is None:
            date_form, rows = self.forms()
        return {
            **super().get_context_data(**kwargs),
            "date_form": date_form,
            "rows": rows,
            "reviewed": selectors.reviews_at(meeting=self.meeting, user=self.request.user),
            "oversees": len(self.panel_ids) > 1,
        }

    def post(self, request, *args, **kwargs):
        date_form, rows = self.forms(request.POST)
        if date_form.is_valid() and all(row.is_valid() for row in rows):
            reported = [(row, row.report()) for row in rows]
            reported = [(row, report) for row, report in reported if report is not None]
            try:
                services.record_matters_arising(
                    meeting=self.meeting,
                    by=request.user,
                    reports=[report for _, report in reported],
                    on=date_form.cleaned_data["on"],
                )
            except services.ReportsRefused as refused:
                for index, error in refused.errors.items():
                    _show(reported[index][0], error, date_form=date_form)
            else:
                if reported:
                    messages.success(request, _recorded(len(reported)))
                else:
                    messages.warning(request, "Nothing was recorded: every row was left empty.")
                return redirect("panels_matters_arising", self.meeting.pk)
        messages.error(request, "Nothing was recorded: correct the rows marked below.")
        return self.render_to_response(self.get_context_data(date_form=date_form, rows=rows))


def _recorded(count: int) -> str:
    return f"Recorded what was reported on {count} action{'s' if count != 1 else ''}."


def _show(form, error: ValidationError, *, date_form=None) -> None:
    """Put each of a service's refusals beside the field it concerns."""
    for name, messages_ in error.message_dict.items():
        if name == "on" and date_form is not None:
            date_form.add_error("on", f"{form.action.reference}: {' '.join(messages_)}")
        else:
            form.add_error(name if name in form.fields else None, messages_)


class RaiseActionView(MeetingScreenView):
    """Raise actions at a meeting, one after another, against its agenda items and decisions."""

    template_name = "panels/admin/raise_action.html"
    page_title = "Raise an action"

    def get_context_data(self, form=None, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "form": form or RaiseActionForm(meeting=self.meeting, user=self.request.user),
            "raised": visible_to(self.request.user, self.meeting.actions_raised.all()).order_by(
                "reference"
            ),
        }

    def post(self, request, *args, **kwargs):
        form = RaiseActionForm(request.POST, meeting=self.meeting, user=request.user)
        if form.is_valid():
            try:
                action = form.save()
            except ValidationError as error:
                _show(form, error)
            else:
                messages.success(request, f"Action {action.reference} raised.")
                if "another" in request.POST:
                    return redirect("panels_raise_action", self.meeting.pk)
                return redirect("wagtailadmin_pages:edit", self.meeting.pk)
        messages.error(request, "The action was not raised: correct the fields marked below.")
        return self.render_to_response(self.get_context_data(form=form))
