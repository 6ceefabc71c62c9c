"""Refusing a save from a form loaded before someone else saved the same record.

Records with history (actions, milestones, risks) write a history row on every
save, so the newest row is the record's version: the form carries the one it
was loaded at, and a save from an older one is refused with who saved since,
when and what they changed. The refused form comes back carrying the newer
version, so saving again replaces theirs on purpose.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.admin.forms import WagtailAdminModelForm

from hub.params import database_int


def latest_history(instance):
    """The newest history row of ``instance``, or None before it is first saved."""
    if instance.pk is None:
        return None
    return instance.history.order_by("-history_id").first()


class StaleRecordFormMixin(forms.Form):
    """For admin forms of records with history: a stale form does not overwrite a newer save."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loaded = latest_history(self.instance)
        self.fields["loaded_version"].initial = loaded.history_id if loaded else ""

    def clean(self):
        cleaned = super().clean()
        newer = self._saved_since_loading(cleaned.get("loaded_version", ""))
        if newer is not None:
            self.add_error(None, self._saved_since_message(newer, cleaned["loaded_version"]))
            # Shown again, the form carries the newer version: saving again is deliberate.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = str(newer.history_id)
        return cleaned

    def _saved_since_loading(self, loaded: str):
        latest = latest_history(self.instance)
        if latest is None or not loaded or loaded == str(latest.history_id):
            return None
        return latest

    def _saved_since_message(self, newer, loaded: str) -> ValidationError:
        who = newer.history_user
        name = (who.get_full_name() or who.get_username()) if who else "Someone"
        when = timezone.localtime(newer.history_date)
        changed = self._changes_since(newer, loaded)
        noun = self.instance._meta.verbose_name
        return ValidationError(
            f"{name} saved this {noun} at {when:%H:%M} on {when:%-d %B %Y}, after you opened "
            f"it{'; they changed ' + '; '.join(changed) if changed else ''}. Nothing you typed "
            f"has been saved. Check their change, then save again to replace it with yours.",
            code="stale",
        )

    def _changes_since(self, newer, loaded: str) -> list[str]:
        try:
            before = self.instance.history.filter(history_id=database_int(loaded)).first()
        except ValueError:
            before = None
        if before is None:
            return []
        return [
            f"{self.instance._meta.get_field(change.field).verbose_name} to "
            f"“{self._shown(change.field, change.new)}”"
            for change in newer.diff_against(before).changes
        ]

    def _shown(self, name: str, value) -> str:
        """A value as this form would show it: a choice's label, a record it offers, text."""
        if value is None or value == "":
            return "nothing"
        field = self.fields.get(name)
        if field is None:
            return "a new value"
        if hasattr(field, "queryset"):
            # Only a record this form offers the editor is named; others stay unnamed.
            value = field.queryset.filter(pk=value).first() or "another choice"
        elif getattr(field, "choices", None):
            value = dict(field.choices).get(value, value)
        return Truncator(str(value)).chars(80)


class StaleRecordForm(StaleRecordFormMixin, WagtailAdminModelForm):
    """The admin form of a record with history that has no form of its own."""
