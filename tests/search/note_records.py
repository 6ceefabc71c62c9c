"""A search-record source outside the policy library, as other apps add theirs."""

from hub.audiences import record_key
from hub.search_types import SearchDocument
from tests.testapp.models import Note


def search_records(owners=None):
    notes = Note.objects.all()
    if owners is not None:
        ids = [int(owner.split(":")[1]) for owner in owners if owner.startswith("note:")]
        notes = notes.filter(pk__in=ids)
    for note in notes:
        yield SearchDocument(
            key=f"note:{note.pk}",
            owner=f"note:{note.pk}",
            kind="Note",
            title=note.title,
            text=note.title,
            url=f"/notes/{note.pk}/",
            audience_keys=frozenset({record_key(note.audience, note.audience_group_id)}),
            facets={"status": "Open", "milestone": ("M1", "M2")},
        )
