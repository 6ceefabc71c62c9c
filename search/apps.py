from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from hub.signals import records_changed
        from search import handlers

        page_published.connect(handlers.page_changed, dispatch_uid="search-page-published")
        page_unpublished.connect(handlers.page_changed, dispatch_uid="search-page-unpublished")
        post_page_move.connect(handlers.page_moved, dispatch_uid="search-page-moved")
        post_delete.connect(handlers.page_deleted, dispatch_uid="search-page-deleted")
        records_changed.connect(handlers.records_changed, dispatch_uid="search-records-changed")
