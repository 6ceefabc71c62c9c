"""Panels of the page editor that belong to the site itself."""

from wagtail.admin.panels import Panel

from hub import notices


class PublishReachPanel(Panel):
    """How many people publishing the page as it now stands would email, before anyone does."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "hub/admin/publish_reach.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            saved = self.instance.pk is not None
            context["count"] = notices.count_recipients(self.instance) if saved else None
            return context
