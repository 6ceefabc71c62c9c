from django.apps import AppConfig
from django.core import checks
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
        checks.register(case_reference_formats, "hub")
        task_submitted.connect(
            review_submitted_notifier, sender=TaskState, dispatch_uid="hub-review-submitted"
        )
        connect_changes()


def case_reference_formats(app_configs, **kwargs) -> list[checks.Error]:
    """The privacy check's case reference formats, refused at start-up when one is broken."""
    from hub.privacy import case_reference_problems

    return [
        checks.Error(
            f"HUB_CASE_REFERENCE_PATTERNS holds a format that is not a regular expression: "
            f"{problem}",
            hint="Correct it, or remove that line from HUB_CASE_REFERENCE_PATTERNS.",
            id="hub.E001",
        )
        for problem in case_reference_problems()
    ]


def connect_changes() -> None:
    """Wagtail's page signals start the change pipeline (``hub.changes``), and only here.

    What the pipeline announces also makes every page kept for anonymous readers
    stale (``hub.page_cache``); a bulk load also refreshes the planner's statistics.
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from hub import changes, database, page_cache
    from hub.models import GlossaryTerm, HubSettings
    from hub.signals import all_records_changed, records_changed, site_changed

    page_published.connect(changes.page_published, dispatch_uid="hub-page-published")
    page_unpublished.connect(changes.page_unpublished, dispatch_uid="hub-page-unpublished")
    post_page_move.connect(changes.page_was_moved, dispatch_uid="hub-page-moved")
    # With a sender only: a receiver for every model turns off Django's fast delete.
    post_delete.connect(changes.page_deleted, sender=Page, dispatch_uid="hub-page-deleted")
    # Wagtail's privacy dialog changes restrictions without publishing anything.
    post_save.connect(
        changes.restriction_saved, sender=PageViewRestriction, dispatch_uid="hub-restriction-saved"
    )
    post_delete.connect(
        changes.restriction_deleted,
        sender=PageViewRestriction,
        dispatch_uid="hub-restriction-deleted",
    )
    m2m_changed.connect(
        changes.restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="hub-restriction-groups",
    )
    for model in (HubSettings, GlossaryTerm):
        name = model._meta.model_name
        post_save.connect(changes.shown_everywhere, sender=model, dispatch_uid=f"hub-{name}-saved")
        post_delete.connect(
            changes.shown_everywhere, sender=model, dispatch_uid=f"hub-{name}-deleted"
        )
    records_changed.connect(page_cache.changed, dispatch_uid="hub-page-cache-records")
    all_records_changed.connect(page_cache.changed, dispatch_uid="hub-page-cache-all")
    all_records_changed.connect(database.refresh_after_bulk_load, dispatch_uid="hub-statistics")
    site_changed.connect(page_cache.changed, dispatch_uid="hub-page-cache-site")


class HubUsersConfig(WagtailUsersAppConfig):
    """Wagtail's people screens, with superusers changed by superusers only."""

    user_viewset = "hub.admin_users.PersonViewSet"
