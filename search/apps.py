from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from hub.signals import records_changed
        from search import handlers

        page_published.connect(handlers.page_changed, dispatch_uid="search-page-published")
        page_unpublished.connect(handlers.page_changed, dispatch_uid="search-page-unpublished")
        post_page_move.connect(handlers.page_moved, dispatch_uid="search-page-moved")
        # With a sender only: a receiver for every model turns off Django's fast delete.
        post_delete.connect(handlers.page_deleted, sender=Page, dispatch_uid="search-page-deleted")
        records_changed.connect(handlers.records_changed, dispatch_uid="search-records-changed")
        # Wagtail's privacy dialog changes restrictions without publishing anything.
        post_save.connect(
            handlers.restriction_saved,
            sender=PageViewRestriction,
            dispatch_uid="search-restriction-saved",
        )
        post_delete.connect(
            handlers.restriction_deleted,
            sender=PageViewRestriction,
            dispatch_uid="search-restriction-deleted",
        )
        m2m_changed.connect(
            handlers.restriction_groups_changed,
            sender=PageViewRestriction.groups.through,
            dispatch_uid="search-restriction-groups",
        )
