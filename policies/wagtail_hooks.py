"""How the policy library plugs into Wagtail's admin and the home page."""

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub import notices
from hub.admin_access import OPEN_PAGES_HOOK
from hub.selectors import ATTENTION_HOOK, RECENT_HOOK, AttentionItem, AttentionPanel, RecentItem
from policies import selectors, services
from policies.admin_views import PoliciesDueForReviewView
from policies.models import PolicyIndexPage, PolicyPage


class ReviewReportMenuItem(MenuItem):
    """Shown to superusers and to people who may change a policy due for review."""

    def is_shown(self, request):
        # The admin asks once for the sidebar and again for the reports menu.
        shown = getattr(request, "_hub_review_report_shown", None)
        if shown is None:
            shown = (
                request.user.is_superuser or selectors.due_for_review(user=request.user).exists()
            )
            request._hub_review_report_shown = shown
        return shown


@hooks.register(OPEN_PAGES_HOOK)
def policies_open_to_their_audience(user, queryset):
    return selectors.policies_open_to(user, queryset)


@hooks.register("register_admin_urls")
def register_review_report_urls():
    view = PoliciesDueForReviewView.as_view
    return [
        path("reports/policies-due-for-review/", view(), name="policies_due_for_review"),
        path(
            "reports/policies-due-for-review/results/",
            view(results_only=True),
            name="policies_due_for_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        "Policies due for review", reverse("policies_due_for_review"), icon_name="date", order=50
    )


@hooks.register("before_serve_document")
def keep_policy_documents_within_their_audience(document, request):
    """A document a policy published is only served to people who may read that policy.

    The version's own copy is what readers are linked to; this closes the
    document library's address to everyone else.
    """
    if not selectors.may_download(user=request.user, document=document):
        raise Http404("No such document")


@hooks.register("after_create_page")
def assign_approval_workflow(request, page):
    if isinstance(page.specific, PolicyIndexPage):
        services.set_up_library(library=page.specific)


@hooks.register(ATTENTION_HOOK)
def policies_to_read(request):
    unread = list(selectors.unread_by(user=request.user)[:10])
    if not unread:
        return None
    return AttentionPanel(
        title="Policies to read",
        items=[
            AttentionItem(
                label=policy.title,
                url=policy.get_url(request),
                detail=f"Confirm you have read version {policy.current_number}",
            )
            for policy in unread
        ],
    )


@hooks.register(ATTENTION_HOOK)
def policies_due_for_review(request):
    due = list(selectors.due_for_review(user=request.user)[:10])
    if not due:
        return None
    return AttentionPanel(
        title="Policies due for review",
        items=[
            AttentionItem(
                label=policy.title,
                url=reverse("wagtailadmin_pages:edit", args=[policy.pk]),
                detail=f"Review due {policy.next_review_date:%-d %B %Y}",
            )
            for policy in due
        ],
    )


@hooks.register(RECENT_HOOK)
def recent_versions(*, user, limit: int) -> list[RecentItem]:
    return [
        RecentItem(
            kind="Policy",
            title=f"{version.page.title}, version {version.number}",
            url=f"{version.page.url}versions/{version.number}/",
            published=timezone.localdate(version.published_at),
            detail=f"In force from {version.effective_from:%-d %B %Y}",
        )
        for version in selectors.feed_versions(user=user, limit=limit)
    ]


@hooks.register(notices.REMINDERS_HOOK)
def policy_review_reminders(*, today):
    return services.remind_of_reviews(today=today)


@hooks.register(notices.PUBLISH_RECIPIENTS_HOOK)
def policy_version_recipients(page):
    """Who publishing ``page`` (a policy's draft as it stands) would email; None for other pages."""
    if not isinstance(page, PolicyPage):
        if page.specific_class is not PolicyPage:
            return None
        page = page.specific
    return selectors.would_hear_of_version(page)
