"""The policy editing form (publishing needs a note that says what changed), and readers' forms."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.admin_access import managed_groups
from hub.audiences import visible_to
from hub.form_rendering import DateInput, GovukForm
from hub.forms import HubPageForm, is_publishing

# Dates as a date input sends them: year, month and day in ASCII digits.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class PolicyPageForm(HubPageForm):
    """Requires an amendment note to publish or submit, and a review date in the future."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        if "milestones" in self.fields:
            # Editors link only milestones they may see.
            milestones = self.fields["milestones"]
            milestones.queryset = visible_to(self.for_user, milestones.queryset)
        if "audience_group" in self.fields and not self.for_user.is_superuser:
            # A policy for one panel opens only to its members: editors write for their own.
            groups = self.fields["audience_group"]
            groups.queryset = managed_groups().filter(user=self.for_user)

    def clean(self):
        cleaned = super().clean()
        if is_publishing(self.data):
            self._check_this_version(cleaned.get("amendment_note", "").strip())
        review_by = cleaned.get("review_by")
        if review_by and review_by <= timezone.localdate():
            self.add_error("review_by", "The review date must be in the future.")
        return cleaned

    def _check_this_version(self, note: str) -> None:
        if not note:
            self.add_error(
                "amendment_note",
                ValidationError("Say what changed in this version before publishing it."),
            )
            return
        latest = self.instance.pk and self.instance.versions.order_by("-number").first()
        if not latest:
            return
        effective_from = self.cleaned_data.get("effective_from")
        if effective_from and effective_from < latest.effective_from:
            self.add_error(
                "effective_from",
                f"Version {latest.number} took effect on {latest.effective_from:%-d %B %Y}. "
                "This version must take effect on or after that, or leave it blank.",
            )
        if latest.amendment_note.strip() == note:
            self.add_error(
                "amendment_note",
                f"This is the note of version {latest.number}. Say what changed in this version.",
            )


class CompareDatesForm(GovukForm):
    """Two days whose versions in force a reader wants to compare, as typed."""

    date_a = forms.CharField(
        label="Compare the version in force on",
        required=False,
        help_text="Year, month and day, for example 2014-04-01.",
        widget=DateInput,
    )
    date_b = forms.CharField(
        label="with the version in force on",
        required=False,
        help_text="Year, month and day, for example 2015-04-01.",
        widget=DateInput,
    )

    # What was typed is kept whole in its field; a message quotes no more than this of it.
    QUOTED = 40

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "compare-%s")
        super().__init__(*args, **kwargs)

    def clean_date_a(self):
        return self._date("date_a", "Enter a date for the first version.")

    def clean_date_b(self):
        return self._date("date_b", "Enter a date for the second version.")

    def _date(self, name: str, missing: str) -> datetime.date:
        typed = self.cleaned_data[name]
        if not typed:
            raise ValidationError(missing)
        try:
            if not ISO_DATE.fullmatch(typed):
                raise ValueError(typed)
            return datetime.date.fromisoformat(typed)
        except ValueError:
            raise ValidationError(
                f"“{typed[: self.QUOTED]}” is not a date. "
                "Enter a date like 2015-03-03 (year, month, day)."
            ) from None

    def dates(self) -> dict[str, datetime.date]:
        """The dates given as dates, by field name (after ``is_valid``)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if isinstance(value, datetime.date)
        }

    def too_early(self, name: str, first) -> None:
        """Say that the date in ``name`` comes before ``first``, the first version, took effect."""
        self.add_error(
            name,
            f"Version {first.number} took effect on {first.effective_from:%-d %B %Y}; "
            "choose that date or later.",
        )
