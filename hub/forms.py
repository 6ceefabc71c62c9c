"""The form every page of the Hub is edited with: nothing saved from a stale or torn form."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.documents import get_permission_policy
from wagtail.models import Revision

from hub import privacy
from hub.lazy import imported_later
from hub.params import database_int

# It reads the models, whose pages use this form.
document_text = imported_later("hub.document_text")

# What Wagtail keeps in a revision beside the fields people edit.
BOOKKEEPING = {"latest_revision", "latest_revision_created_at", "draft_title", "live_revision"}
# Buttons in Wagtail's editor that send a draft towards publication.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


def is_publishing(data) -> bool:
    """Whether the editor's submission publishes the page, sends it for approval, or approves
    it (an approver's own changes go live with the approval)."""
    approving = "action-workflow-action" in data and data.get("workflow-action-name") == "approve"
    return approving or any(action in data for action in PUBLISHING_ACTIONS)


class KeptBlockWidget(BlockWidget):
    """Stands the body as saved in for one that arrived torn, so the form can show it again."""

    def __init__(self, block_def, kept):
        super().__init__(block_def)
        self.kept = kept

    def value_from_datadict(self, data, files, name):
        return self.kept


class HubPageForm(WagtailAdminPageForm):
    """Refuses a save from a form loaded before someone else saved the page, and a torn body.

    Wagtail checks a stale form only when autosaving; a person pressing Save
    would replace the other editor's revision without a word. The refusal names
    who saved and when, lists what they changed with a link to compare, and
    keeps what was typed; saving again then replaces their version on purpose,
    because the form comes back loaded from their revision. Revisions made since
    by the editor's own autosave are theirs, and never refuse the save.

    A page that shows readers beyond its panel what it says (``hub.privacy``) is
    published or sent for approval only when the privacy check finds nothing in it,
    or with a reason for publishing anyway, which its history keeps.

    A rich body that arrives without its count of blocks (a request cut short,
    or not from the editor) cannot be read; Wagtail fails on it, so the form
    refuses it and keeps the body as saved. An expiry date would take a page
    down without the reason a withdrawal keeps, so it is refused too.
    """

    privacy_override_reason = forms.CharField(
        label="Publish anyway, because",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when none of these identifies a child: say why each is safe to share. "
        "Approvers and the page's history see your reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.torn = [name for name in self._stream_fields() if self._arrived_torn(name)]
        for name in self.torn:
            field = self.fields[name]
            field.widget = KeptBlockWidget(field.block, self.get_initial_for_field(field, name))

    def clean(self):
        cleaned = super().clean()
        for name in self.torn:
            self.add_error(
                name,
                f"{self.fields[name].label} did not arrive in full, so nothing was saved. "
                "Reload the page and make your change again.",
            )
        if cleaned.get("expire_at"):
            self.add_error(
                "expire_at",
                "Pages are taken down by withdrawing them, with the reason readers are told. "
                "Leave the expiry date empty and unpublish the page when the time comes.",
            )
        newer = self._revision_saved_since_loading()
        if newer is not None:
            self.add_error(None, self._saved_since_message(newer))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        for title in self._documents_out_of_reach():
            self.add_error(
                None,
                f"“{title}” is in a collection you may not use, so it cannot be attached here. "
                "Choose a document from the chooser, or ask whoever keeps it to share it.",
            )

    def _documents_out_of_reach(self) -> list[str]:
        """Titles of documents newly attached that the editor could not have chosen: a posted
        id would otherwise publish another panel's file to this page's readers."""
        attached = getattr(self.instance, "attached_documents", None)
        if attached is None or self.for_user is None:
            return []
        # Read afresh: the revision's own page object is this form's, already changed.
        saved = type(self.instance).objects.filter(pk=self.instance.pk).first()
        latest = saved.get_latest_revision_as_object() if saved else None
        kept = (
            {document.pk for _title, document in latest.attached_documents()} if latest else set()
        )
        policy = get_permission_policy()
        return [
            title
            for title, document in attached()
            if document.pk not in kept
            and not policy.user_has_permission_for_instance(self.for_user, "choose", document)
        ]

    def is_valid(self):
        return super().is_valid() and self._passes_privacy_check()

    def _passes_privacy_check(self) -> bool:
        if not is_publishing(self.data) or self.cleaned_data.get("privacy_override_reason"):
            return True
        # The page as submitted, with its decisions and other rows, unsaved.
        page = self.save(commit=False)
        document_text.request_attached(page)
        located = privacy.findings_for(page)
        if not located:
            return True
        self.add_error(
            "privacy_override_reason",
            f"The privacy check found {len(located)} possible identifying "
            f"detail{'s' if len(located) > 1 else ''} in what readers beyond the panel will "
            "see. Move each to the confidential part, or say here why it may be published.",
        )
        return False

    def _stream_fields(self):
        return [name for name, field in self.fields.items() if isinstance(field, BlockField)]

    def _arrived_torn(self, name: str) -> bool:
        if not self.is_bound:
            return False
        widget = self.fields[name].widget
        try:
            widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        except (KeyError, ValueError, TypeError):
            return True
        return False

    def _revision_saved_since_loading(self) -> Revision | None:
        page = self.instance
        latest = page.latest_revision if page.pk else None
        if latest is None:
            return None
        autosaved = self.data.get("overwrite_revision_id")
        loaded = autosaved or self.data.get("loaded_revision_id")
        if not loaded:
            return None
        if loaded != str(latest.pk):
            return None if self._only_own_since(loaded) else latest
        # As Wagtail reads it: the latest revision may have been overwritten since it loaded.
        loaded_at = self.data.get("loaded_revision_created_at", "")
        if not autosaved and loaded_at != latest.created_at.isoformat():
            return None if latest.user_id == getattr(self.for_user, "pk", None) else latest
        return None

    def _only_own_since(self, loaded: str) -> bool:
        """Whether every revision since the loaded one is the editor's own: their autosave,
        which the form may not have heard of when it was sent."""
        try:
            loaded_id = database_int(loaded)
        except ValueError:
            return False
        since = self.instance.revisions.filter(pk__gt=loaded_id)
        return self.for_user is not None and not since.exclude(user=self.for_user).exists()

    def _saved_since_message(self, newer: Revision) -> ValidationError:
        who = (newer.user.get_full_name() or newer.user.get_username()) if newer.user else "Someone"
        when = timezone.localtime(newer.created_at)
        loaded = self._loaded_revision()
        changed = self._changed_between(loaded, newer) if loaded else []
        compare = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[self.instance.pk, loaded.pk if loaded else "earliest", newer.pk],
        )
        return ValidationError(
            format_html(
                "{} saved this page at {} on {}, after you opened it{}. Nothing you typed "
                'has been saved. <a href="{}">Compare their version with the one you opened</a>, '
                "then save again to replace their version with yours, or reload to start "
                "from theirs.",
                who,
                f"{when:%H:%M}",
                f"{when:%-d %B %Y}",
                f"; they changed {', '.join(changed)}" if changed else "",
                compare,
            ),
            code="stale",
        )

    def _loaded_revision(self) -> Revision | None:
        try:
            loaded_id = database_int(self.data.get("loaded_revision_id", ""))
        except ValueError:
            return None
        return self.instance.revisions.filter(pk=loaded_id).first()

    def _changed_between(self, loaded: Revision, newer: Revision) -> list[str]:
        """Labels of the form's fields and sections that differ between the two revisions."""
        before, after = loaded.content, newer.content
        names = [
            name
            for name in after
            if name not in BOOKKEEPING and before.get(name) != after.get(name)
        ]
        return [self._label(name) for name in names if name in self.fields or name in self.formsets]

    def _label(self, name: str) -> str:
        if name in self.fields:
            return str(self.fields[name].label).lower()
        return str(self.formsets[name].model._meta.verbose_name_plural)
