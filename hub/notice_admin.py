"""The record of emails sent, for Administrators: what went to whom and when, and sending again.

A row shows only when what it is about is something the person may read
(``NoticeQuerySet.readable_by``), so the record never names a restricted meeting
or action to someone outside its audience.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from hub import notices
from hub.models import Notice


class NoticePermissionPolicy(ModelPermissionPolicy):
    """Reading the record and sending again; nobody adds, changes or deletes what was sent."""

    def user_has_permission(self, user, action):
        return action in ("view", "resend") and super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.user_has_any_permission(user, actions)
            and Notice.objects.filter(pk=instance.pk).readable_by(user).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Notice.objects.none()
        return Notice.objects.readable_by(user)


class NoticeIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().readable_by(self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "resend"):
            buttons.append(
                ListingButton(
                    "Send again",
                    url=reverse("wagtailsnippets_hub_notice:resend", args=[instance.pk]),
                    icon_name="mail",
                    priority=30,
                )
            )
        return buttons


class ResendNoticeView(WagtailAdminTemplateMixin, TemplateView):
    """Asks, then sends an email again to the same address, recorded as a new row."""

    template_name = "hub/admin/confirm_resend.html"
    header_icon = "mail"
    page_title = "Send an email again"

    def setup(self, request, pk, *args, **kwargs):
        super().setup(request, pk, *args, **kwargs)
        policy = NoticePermissionPolicy(Notice)
        if not policy.user_has_permission(request.user, "resend"):
            raise PermissionDenied
        self.notice = get_object_or_404(Notice.objects.readable_by(request.user), pk=pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "notice": self.notice,
            "back_url": reverse("wagtailsnippets_hub_notice:list"),
        }

    def post(self, request, *args, **kwargs):
        copy = notices.resend(notice=self.notice, by=request.user)
        messages.success(request, f"Sent again to {copy.address}: {copy.subject}")
        return redirect("wagtailsnippets_hub_notice:list")


class NoticeViewSet(SnippetViewSet):
    """Emails the Hub sent: to whom, about what, when and whether they went."""

    model = Notice
    icon = "mail"
    menu_label = "Emails sent"
    add_to_settings_menu = True
    index_view_class = NoticeIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["subject", "address", "kind", "get_status_display", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "address"]
    inspect_view_fields = [
        "recipient",
        "address",
        "subject",
        "url",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "resent_from",
        "resent_by",
        "text",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", ResendNoticeView.as_view(), name="resend"),
        ]
