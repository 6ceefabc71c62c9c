"""Panels of the page editor that belong to the site itself."""

from wagtail.admin.panels import FieldPanel, Panel

from hub import notices, privacy, privacy_overrides


class PublishReachPanel(Panel):
    """How many people publishing the page as it now stands would email, before anyone does."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "hub/admin/publish_reach.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            saved = self.instance.pk is not None
            context["count"] = notices.count_recipients(self.instance) if saved else None
            return context


class PrivacyCheckPanel(FieldPanel):
    """What the privacy check finds in what readers beyond the panel will see, where and why,
    with the reason for publishing anyway; shown only when there is something to read."""

    def __init__(self, field_name="privacy_override_reason", **kwargs):
        kwargs.setdefault("heading", "Publish anyway, because")
        kwargs.setdefault("disable_comments", True)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "hub/admin/privacy_check.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.located = privacy.findings_for(self.instance)
            revision = self.instance.latest_revision if self.instance.pk else None
            self.override = privacy_overrides.override_of(revision)

        def is_shown(self):
            wanted = self.located or self.override or (self.bound_field and self.bound_field.errors)
            return super().is_shown() and bool(wanted)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(located=self.located, override=self.override)
            return context
