from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels and meetings"

    def ready(self):
        from hub.signals import page_moved, page_went_live
        from panels import handlers

        page_went_live.connect(handlers.page_published, dispatch_uid="panels-page-published")
        page_moved.connect(handlers.page_moved, dispatch_uid="panels-page-moved")
