"""Workflow emails name what they are about, so they go only to people who may open it."""

from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import TaskState

from hub.models import ReviewTask


class ReviewSubmittedNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Tells a review step's reviewers that something awaits them, with Wagtail's own email.

    Wagtail's group approval email goes to every member of the groups; this one
    goes only to those who review the item (``ReviewTask.reviews``).
    """

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(instance.task.specific, ReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        item = task_state.workflow_state.content_object
        return {
            user
            for user in super().get_recipient_users(task_state, **kwargs)
            if task.reviews(item, user)
        }


review_submitted_notifier = ReviewSubmittedNotifier()
