"""Admin forms for the plan's records: a risk changes through the services, with a reason.

The services check each change as they save it; a refusal comes back as a
``ValidationError`` that ``hub.admin_views.ServiceRefusalShown`` puts beside
the field it concerns, with nothing saved and everything typed kept.
"""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from hub.concurrency import StaleRecordFormMixin
from improvement import services
from improvement.models import Risk


class RiskAdminForm(StaleRecordFormMixin, WagtailAdminModelForm):
    """A risk, new or changed; a change of rating, closing or reopening says why."""

    on = forms.DateField(
        label="Change took effect on",
        widget=AdminDateInput,
        help_text="Today unless the change happened earlier; never in the future.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the impact or likelihood changes, or the risk is closed or "
        "reopened; kept in the risk's history and shown with it.",
    )

    class Meta:
        model = Risk
        fields = [
            "plan",
            "title",
            "description",
            "impact",
            "likelihood",
            "owner",
            "mitigation",
            "review_on",
            "closed",
            "audience",
            "audience_group",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new risk is recorded as it is; only changes to it are dated and explained.
            del self.fields["on"], self.fields["reason"]
            return
        self.fields["on"].initial = timezone.localdate()
        # A risk stays on the plan it was recorded for.
        self.fields["plan"].disabled = True

    def _post_clean(self):
        if self.instance.pk is None:
            super()._post_clean()
        # A change is checked in full, once, by the services as they save it.

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.CHANGEABLE_RISK_FIELDS
        }

    def save(self, commit=True):
        if self.instance.pk is None:
            return super().save(commit=commit)
        self.instance = services.change_risk(
            risk=self.instance,
            by=self.for_user,
            reason=self.cleaned_data.get("reason", ""),
            on=self.cleaned_data["on"],
            **self.changes(),
        )
        return self.instance
