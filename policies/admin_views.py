"""The editors' report of policies due for review."""

import datetime

from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from policies import selectors


class ReviewStatusColumn(Column):
    """Overdue or due soon, in words."""

    def get_value(self, instance):
        return "Overdue" if instance.next_review_date < datetime.date.today() else "Due soon"


class PoliciesDueForReviewView(ReportView):
    """Policies the editor may change that are overdue or due within 30 days."""

    page_title = "Policies due for review"
    header_icon = "date"
    index_url_name = "policies_due_for_review"
    index_results_url_name = "policies_due_for_review_results"
    columns = [
        TitleColumn(
            "title",
            label="Policy",
            url_name="wagtailadmin_pages:edit",
        ),
        Column("policy_owner", label="Owner"),
        DateColumn("next_review_date", label="Review due"),
        ReviewStatusColumn("status", label="Status"),
    ]
    list_export = ["title", "policy_owner", "next_review_date", "kind"]
    export_headings = {"policy_owner": "Owner", "next_review_date": "Review due"}
    paginate_by = 50

    def get_queryset(self):
        return selectors.due_for_review(user=self.request.user)

    def get_filename(self):
        return f"policies-due-for-review-{datetime.date.today():%Y-%m-%d}"
