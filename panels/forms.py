"""Admin forms: a meeting's date checked against its panel, decisions numbered on save."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel
from wagtail.models import Page

from hub.audiences import visible_to
from hub.forms import HubPageForm
from hub.lazy import imported_later

# Services read the models, which use these forms.
services = imported_later("panels.services")
meetings = imported_later("panels.models.meetings")


class DecisionForm(WagtailAdminModelForm):
    """A decision names only the policy versions and milestones its secretary may read.

    A new one shows, in its empty reference box, the reference it will be given.
    """

    def __init__(self, *args, next_reference: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if next_reference and not self.instance.reference:
            self.fields["reference"].widget.attrs["placeholder"] = next_reference
        if self.for_user is None:
            return
        for name, (queryset, choices) in _readable(self.for_user, self.fields).items():
            self.fields[name].queryset = queryset
            self.fields[name].choices = choices


def _readable(user, fields) -> dict:
    """What ``user`` may name in a decision, read once for all of a meeting's decisions."""
    readable = getattr(user, "_hub_decision_choices", None)
    if readable is None:
        pages = visible_to(user, Page.objects.all()).values("pk")
        querysets = {
            "policy_versions": fields["policy_versions"].queryset.filter(page__in=pages),
            "milestones": visible_to(user, fields["milestones"].queryset),
        }
        readable = {
            name: (queryset, [(item.pk, str(item)) for item in queryset])
            for name, queryset in querysets.items()
        }
        user._hub_decision_choices = readable
    return readable


class DecisionsPanel(InlinePanel):
    """The meeting's decisions, each form told who is editing it."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(
            form=DecisionForm, inherit_kwargs=["for_user"]
        )
        return options


class MeetingPageForm(HubPageForm):
    """Refuses a meeting outside its panel's life and gives new decisions their references."""

    def panel(self):
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        return parent.specific if parent is not None else None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        panel = self.panel()
        if "slug" in self.fields:
            slug = self.fields["slug"]
            slug.disabled, slug.required = True, False
            slug.help_text = "A meeting's address is its date, e.g. 2015-04-08, made on saving."
        if panel is not None and "approves_minutes_of" in self.fields:
            # Minutes are approved at a later meeting of the same panel.
            approving = self.fields["approves_minutes_of"]
            approving.queryset = (
                approving.queryset.child_of(panel)
                .exclude(pk=self.instance.pk)
                .order_by("-starts_at")
            )
        if panel is not None and self.instance.starts_at and "decisions" in self.formsets:
            self._show_next_references(panel)

    def _show_next_references(self, panel) -> None:
        """Put the reference each new decision will be given in its empty reference box."""
        formset = self.formsets["decisions"]
        numbered = [form.instance for form in formset.forms if form.instance.reference]
        blank = [form for form in formset.forms if not form.instance.reference]
        coming = [formset.model() for _ in range(len(blank) + 1)]
        try:
            services.assign_decision_references(
                panel=panel,
                meeting=self.instance,
                starts_at=self.instance.starts_at,
                decisions=[*numbered, *coming],
            )
        except ValidationError:
            return  # a clash is refused, and named, when the form is saved
        for form, decision in zip(blank, coming, strict=False):
            form.fields["reference"].widget.attrs["placeholder"] = decision.reference
        # A row added in the editor is built from the formset's empty form.
        formset.form_kwargs = {**formset.form_kwargs, "next_reference": coming[-1].reference}

    def clean(self):
        starts_at = self.cleaned_data.get("starts_at")
        panel = self.panel()
        if starts_at and panel is not None:
            # Before Wagtail's own check that the slug is free among the panel's meetings.
            self.cleaned_data["slug"] = meetings.date_slug(
                parent=panel, starts_at=starts_at, meeting=self.instance
            )
        cleaned_data = super().clean()
        if starts_at and panel is not None:
            try:
                services.check_meeting_date(panel=panel, starts_at=starts_at)
            except ValidationError as error:
                self.add_error("starts_at", error)
            earlier = cleaned_data.get("approves_minutes_of")
            if earlier is not None:
                try:
                    services.check_minutes_approval(
                        meeting=self.instance, starts_at=starts_at, earlier=earlier
                    )
                except ValidationError as error:
                    self.add_error("approves_minutes_of", error)
        for reference in self._published_decisions_removed():
            self.add_error(
                None,
                f"Decision {reference} was published in these minutes, so it stays in them as "
                "the record of what was decided. Record a later decision that replaces it.",
            )
        return cleaned_data

    def _published_decisions_removed(self) -> list[str]:
        # Decision rows change only when the minutes are published; drafts live in revisions.
        formset = self.formsets.get("decisions")
        if formset is None or self.instance.pk is None:
            return []
        removed = [form.instance.pk for form in formset.deleted_forms if form.instance.pk]
        published = formset.model.objects.filter(meeting_id=self.instance.pk, pk__in=removed)
        return [decision.reference for decision in published]

    def is_valid(self):
        # Decisions are numbered once the decision forms have been validated,
        # because validating them rebuilds each decision from the submitted data.
        if not super().is_valid():
            return False
        formset = self.formsets["decisions"]
        decisions = [
            form.instance
            for form in formset.forms
            if (form.has_changed() or form.instance.pk) and not formset._should_delete_form(form)
        ]
        try:
            services.assign_decision_references(
                panel=self.panel(),
                meeting=self.instance,
                starts_at=self.cleaned_data["starts_at"],
                decisions=decisions,
            )
        except ValidationError as error:
            self._show_clash(error, formset)
            return False
        return True

    def _show_clash(self, error: ValidationError, formset) -> None:
        """Put a reference clash on the decision that carries it, where the editor looks."""
        clashing = (error.params or {}).get("reference")
        for form in formset.forms:
            if clashing and form.instance.reference.strip() == clashing:
                form.add_error("reference", error)
                return
        self.add_error(None, error)
