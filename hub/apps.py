from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class HubConfig(AppConfig):
    # The module also holds the users app's configuration.
    default = True
    name = "hub"
    verbose_name = "Safeguarding Hub"

    def ready(self):
        from wagtail.models import Page, TaskState
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import task_submitted

        from hub.admin_access import AdminPagePolicy
        from hub.notifications import review_submitted_notifier

        # Here rather than in wagtail_hooks.py, which loads only when a hook is first
        # asked for: commands and tasks ask for page permissions too.
        register_permission_policy(Page, AdminPagePolicy())
        task_submitted.connect(
            review_submitted_notifier, sender=TaskState, dispatch_uid="hub-review-submitted"
        )


class HubUsersConfig(WagtailUsersAppConfig):
    """Wagtail's people screens, with superusers changed by superusers only."""

    user_viewset = "hub.admin_users.PersonViewSet"
