"""The policy editing form: publishing needs a note that says what changed."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.admin_access import managed_groups
from hub.audiences import visible_to
from hub.forms import HubPageForm

# Buttons in Wagtail's editor that send a draft towards publication.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


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
        if any(action in self.data for action in PUBLISHING_ACTIONS):
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
