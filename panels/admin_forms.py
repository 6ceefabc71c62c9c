"""Admin forms for actions: raised from their meeting, reviewed at the next, changed with a reason.

The services check each action as they save it; a refusal comes back as a
``ValidationError`` that these forms and ``ServiceRefusalShown`` put beside
the field it concerns.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from hub.audiences import visible_to
from hub.concurrency import StaleRecordFormMixin
from panels import services
from panels.models import Action, ActionPriority, ActionStatus, MeetingPage, PanelMembership

NO_CHANGE = ""


class OwnerChoiceField(forms.ModelChoiceField):
    """A panel's members by full name and agency, whether or not they have a sign-in."""

    def label_from_instance(self, membership):
        label = f"{membership.name}, {membership.agency}"
        return label if membership.user_id else f"{label} (no sign-in)"


def owner_field(*, panel, on: datetime.date, **kwargs) -> OwnerChoiceField:
    """Members on the panel on ``on`` to choose from; any of its members is checked on saving.

    Someone who has left is not offered, and is refused by name if sent.
    """
    memberships = PanelMembership.objects.filter(panel=panel).order_by("name", "pk")
    field = OwnerChoiceField(
        queryset=memberships,
        label="Owner",
        help_text="Members of the panel by name and agency. Someone without a sign-in is "
        "reminded by the panel's secretary.",
        **kwargs,
    )
    serving = [m for m in memberships if m.from_date <= on and (m.to_date or on) >= on]
    field.widget.choices = [("", field.empty_label)] + [
        (m.pk, field.label_from_instance(m)) for m in serving
    ]
    return field


def meeting_choices(meeting: MeetingPage) -> tuple[list, list]:
    """The decisions and agenda items of the meeting's minutes as last saved, to pick from."""
    minutes = meeting.get_latest_revision_as_object()
    decisions = [(d.reference, f"{d.reference}: {d.title}") for d in minutes.decisions.all()]
    items = [(block.value["title"], block.value["title"]) for block in minutes.agenda]
    return [("", "None"), *decisions], [("", "None"), *items]


def with_current(choices: list, value: str) -> list:
    """``choices``, keeping a value saved before it was one of them."""
    return choices if value in dict(choices) else [*choices, (value, value)]


class RaiseActionForm(forms.Form):
    """A new action, raised at ``meeting`` against one of its agenda items or decisions."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label="Due date", widget=AdminDateInput)
    priority = forms.ChoiceField(choices=ActionPriority.choices, initial=ActionPriority.MEDIUM)
    decision_reference = forms.ChoiceField(label="Serves decision", required=False)
    agenda_item = forms.ChoiceField(label="Agenda item", required=False)
    milestones = forms.ModelMultipleChoiceField(
        queryset=Action.milestones.field.related_model.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The improvement plan milestones this action serves.",
    )

    def __init__(self, *args, meeting: MeetingPage, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting, self.user = meeting, user
        self.day = meeting.local_start.date()
        self.fields = {
            "description": self.fields["description"],
            "owner": owner_field(panel=services.panel_of(meeting), on=self.day),
            **{name: field for name, field in self.fields.items() if name != "description"},
        }
        decisions, items = meeting_choices(meeting)
        self.fields["decision_reference"].choices = decisions
        self.fields["agenda_item"].choices = items
        milestones = self.fields["milestones"]
        milestones.queryset = visible_to(user, milestones.queryset.model.objects.all())

    def clean_owner(self):
        membership = self.cleaned_data["owner"]
        try:
            self.owner = services.owner_fields(membership=membership, on=self.day)
        except ValidationError as error:
            raise ValidationError(error.message_dict["owner"]) from error
        return membership

    def save(self) -> Action:
        data = self.cleaned_data
        return services.raise_action(
            meeting=self.meeting,
            by=self.user,
            description=data["description"],
            due_on=data["due_on"],
            priority=data["priority"],
            decision_reference=data["decision_reference"],
            agenda_item=data["agenda_item"],
            milestones=data["milestones"],
            **self.owner,
        )


class ReportForm(forms.Form):
    """What a meeting heard about one open action; left empty, the action waits for another."""

    progress = forms.CharField(
        label="Progress reported", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    carried_forward = forms.BooleanField(
        label="Carried forward", required=False, help_text="Reviewed, and stays open as it is."
    )
    status = forms.ChoiceField(
        label="New status",
        required=False,
        choices=[(NO_CHANGE, "No change"), *ActionStatus.choices],
    )
    due_on = forms.DateField(label="New due date", required=False, widget=AdminDateInput)
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        help_text="Needed for a new status or due date; kept in the action's history.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, prefix=f"action-{action.pk}", **kwargs)
        self.action = action

    def report(self) -> services.Report | None:
        """The report made, or None when the row was left empty."""
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in ("status", "due_on")
            if data[name] not in (None, NO_CHANGE) and data[name] != getattr(self.action, name)
        }
        if not (data["progress"].strip() or data["carried_forward"] or changes):
            return None
        return services.Report(
            action=self.action,
            progress=data["progress"],
            carried_forward=data["carried_forward"],
            reason=data["reason"],
            changes=changes,
        )


class ReportDateForm(forms.Form):
    """The date the changes reported at a meeting took effect: the meeting's, unless said."""

    on = forms.DateField(
        label="Changes took effect on",
        widget=AdminDateInput,
        help_text="The meeting's date unless the change happened on another day.",
    )


class ActionAdminForm(StaleRecordFormMixin, WagtailAdminModelForm):
    """Changes an action through the services, with a reason for the history where it needs one."""

    owner_membership = forms.ModelChoiceField(queryset=PanelMembership.objects.none())
    on = forms.DateField(
        label="Change took effect on",
        widget=AdminDateInput,
        help_text="Today unless the change happened earlier; never before the action was raised.",
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the status or due date changes; kept in the action's history.",
    )

    class Meta:
        model = Action
        fields = [
            "description",
            "due_on",
            "status",
            "priority",
            "progress",
            "decision_reference",
            "agenda_item",
            "milestones",
        ]
        widgets = {"milestones": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance
        today = timezone.localdate()
        self.fields["owner_membership"] = owner_field(
            panel=action.panel,
            on=today,
            required=False,
            empty_label=f"{action.owner_name}, {action.owner_agency} (unchanged)",
        )
        self.fields["on"].initial = today
        decisions, items = meeting_choices(action.meeting)
        self.fields["decision_reference"] = forms.ChoiceField(
            label="Serves decision",
            required=False,
            choices=with_current(decisions, action.decision_reference),
        )
        self.fields["agenda_item"] = forms.ChoiceField(
            label="Agenda item", required=False, choices=with_current(items, action.agenda_item)
        )
        # Secretaries link only milestones they may see.
        milestones = self.fields["milestones"]
        milestones.queryset = visible_to(self.for_user, milestones.queryset)

    def clean(self):
        cleaned = super().clean()
        membership, on = cleaned.get("owner_membership"), cleaned.get("on")
        self.owner = {}
        if membership is not None and on is not None:
            try:
                self.owner = services.owner_fields(membership=membership, on=on)
            except ValidationError as error:
                self.add_error("owner_membership", error.message_dict["owner"])
        return cleaned

    def _post_clean(self):
        # The services check the whole action, once, as they save it (a refusal is
        # shown on the form by ``ServiceRefusalShown``).
        pass

    def changes(self) -> dict:
        changed = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.CHANGEABLE_ACTION_FIELDS
        }
        return {**changed, **self.owner}

    def save(self, commit=True):
        self.instance = services.change_action(
            action=self.instance,
            by=self.for_user,
            reason=self.cleaned_data.get("reason", ""),
            on=self.cleaned_data["on"],
            **self.changes(),
        )
        return self.instance
