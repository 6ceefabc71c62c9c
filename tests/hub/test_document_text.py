"""Reading a kept file's text where the files are kept: on disk, or in a store with no paths."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from hub import document_text
from hub.models import DocumentText
from tests import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_without_paths(settings):
    """A file store that, like an object store, keeps no file on this disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def read_pdf(name: str, *pages: str) -> DocumentText:
    name = default_storage.save(name, ContentFile(documents.pdf(*pages)))
    return document_text.read(file_name=name, file_hash="a" * 64, owner="")


def test_a_file_on_disk_is_read_page_by_page():
    assert read_pdf("kept/report.pdf", "First page.", "Second page.").pages == [
        "First page.",
        "Second page.",
    ]


def test_a_file_in_a_store_that_keeps_it_off_this_disk_is_read_from_a_copy(store_without_paths):
    text = read_pdf("kept/in-memory.pdf", "Only in the store.")

    assert not Path(default_storage.path("kept/in-memory.pdf")).exists()
    assert text.pages == ["Only in the store."]


def test_a_file_missing_from_the_store_is_kept_as_not_available():
    text = document_text.read(file_name="kept/gone.pdf", file_hash="b" * 64, owner="")

    assert not text.available
    assert text.problem == "The file is missing from the document store."
