from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policy library"

    def ready(self):
        from wagtail.signals import page_published

        from policies.handlers import record_published_version

        page_published.connect(record_published_version, dispatch_uid="policies-record-version")
