"""The policy editing form: publishing needs a note that says what changed."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

# Buttons in Wagtail's editor that send a draft towards publication.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class PolicyPageForm(WagtailAdminPageForm):
    """Requires an amendment note to publish or submit, and a review date in the future."""

    def clean(self):
        cleaned = super().clean()
        if any(action in self.data for action in PUBLISHING_ACTIONS):
            self._require_a_new_note(cleaned.get("amendment_note", "").strip())
        review_by = cleaned.get("review_by")
        if review_by and review_by <= timezone.localdate():
            self.add_error("review_by", "The review date must be in the future.")
        return cleaned

    def _require_a_new_note(self, note: str) -> None:
        if not note:
            self.add_error(
                "amendment_note",
                ValidationError("Say what changed in this version before publishing it."),
            )
            return
        latest = self.instance.pk and self.instance.versions.order_by("-number").first()
        if latest and latest.amendment_note.strip() == note:
            self.add_error(
                "amendment_note",
                f"This is the note of version {latest.number}. Say what changed in this version.",
            )
