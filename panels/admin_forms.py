"""The action form in the admin: new actions are raised, changes must say why.

The services check each action as they save it; ``ServiceRefusalShown`` puts
their refusal on the form.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from hub.admin_access import pages_user_may
from hub.audiences import visible_to
from hub.concurrency import StaleRecordFormMixin
from panels import services
from panels.models import Action, MeetingPage

NEW_ACTION_FIELDS = (
    "description",
    "owner",
    "owner_agency",
    "due_on",
    "priority",
    "decision_reference",
)


class ActionAdminForm(StaleRecordFormMixin, WagtailAdminModelForm):
    """Raises a new action through the services, or changes one with a reason for the history."""

    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the status or due date changes; kept in the action's history.",
    )

    class Meta:
        model = Action
        fields = [
            "meeting",
            "description",
            "owner",
            "owner_agency",
            "due_on",
            "status",
            "priority",
            "progress",
            "decision_reference",
            "milestones",
        ]
        widgets = {"milestones": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = pages_user_may(self.for_user, "change")
        self.fields["meeting"].queryset = MeetingPage.objects.filter(
            pk__in=editable.values("pk")
        ).order_by("-starts_at")
        # Secretaries link only milestones they may see.
        milestones = self.fields["milestones"]
        milestones.queryset = visible_to(self.for_user, milestones.queryset)
        if self.instance.pk:
            self.fields["meeting"].disabled = True
        else:
            del self.fields["status"]
            del self.fields["progress"]
            del self.fields["reason"]

    def _post_clean(self):
        # The services check the whole action, once, as they save it (a refusal is
        # shown on the form by ``ServiceRefusalShown``); the model form's own pass
        # would refuse a new action for missing its reference before one is made.
        pass

    def new_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in NEW_ACTION_FIELDS}

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.CHANGEABLE_ACTION_FIELDS
        }

    def save(self, commit=True):
        if self.instance.pk:
            self.instance = services.change_action(
                action=self.instance,
                by=self.for_user,
                reason=self.cleaned_data.get("reason", ""),
                **self.changes(),
            )
        else:
            self.instance = services.raise_action(
                meeting=self.cleaned_data["meeting"],
                by=self.for_user,
                milestones=self.cleaned_data["milestones"],
                **self.new_values(),
            )
        return self.instance
