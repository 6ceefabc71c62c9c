from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels and meetings"

    def ready(self):
        from wagtail.signals import page_published, post_page_move

        from panels import handlers

        page_published.connect(handlers.page_published, dispatch_uid="panels-page-published")
        post_page_move.connect(handlers.page_moved, dispatch_uid="panels-page-moved")
