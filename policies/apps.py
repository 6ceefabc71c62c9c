from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "Policy library"

    def ready(self):
        from hub.signals import page_went_live
        from policies.handlers import record_published_version

        page_went_live.connect(record_published_version, dispatch_uid="policies-record-version")
