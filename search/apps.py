from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from hub.signals import all_records_changed, records_changed
        from search import handlers

        records_changed.connect(handlers.records_changed, dispatch_uid="search-records-changed")
        all_records_changed.connect(
            handlers.all_records_changed, dispatch_uid="search-all-records-changed"
        )
