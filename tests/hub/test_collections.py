"""Documents and images are read only by their collection's audience, from upload to download."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from hub.collections import ensure_audience_collections
from tests import matrix

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/documents/multiple/add/"
MASP_READERS = {"panel_member", "secretary", "approver"}


def selected_collection(client, user, url=UPLOAD) -> str:
    client.force_login(user)
    html = client.get(url).content.decode()
    return re.search(r'<option value="\d+" selected\s*>\s*([^<]+?)\s*<', html).group(1)


def statuses(client, people, url) -> dict[str, int]:
    answers = {}
    for role in matrix.ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        answers[role] = client.get(url).status_code
    return answers


def expected(readers) -> dict[str, int]:
    return {
        role: 200 if role in readers else 302 if role == "anonymous" else 403
        for role in matrix.ROLES
    }


def test_uploads_start_at_the_most_restricted_collection_the_uploader_may_add_to(
    client, people, masp
):
    assert selected_collection(client, people["secretary"]) == "Panel: MASP"
    assert selected_collection(client, people["editor"]) == "Staff only"
    assert selected_collection(client, people["editor"], "/admin/images/multiple/add/") == (
        "Staff only"
    )


def test_a_secretarys_upload_is_read_by_the_panels_members_only(client, people, masp):
    collection = Collection.objects.get(name="Panel: MASP")
    client.force_login(people["secretary"])

    client.post(
        UPLOAD,
        {
            "files[]": SimpleUploadedFile("case-e-strategy-notes.txt", b"Case E: strategy."),
            "collection": collection.pk,
        },
    )

    document = get_document_model().objects.get()
    assert document.collection == collection
    assert statuses(client, people, document.url) == expected(MASP_READERS)


def test_nobody_but_a_superuser_adds_to_the_root_collection(client, people, masp):
    root = Collection.get_first_root_node()
    client.force_login(people["administrator"])

    response = client.post(
        UPLOAD, {"files[]": SimpleUploadedFile("notes.txt", b"Notes."), "collection": root.pk}
    )

    assert response.status_code in (200, 400)
    assert not get_document_model().objects.filter(collection=root).exists()


def test_setting_the_collections_up_again_changes_nothing_and_empties_the_root(
    role_groups,
):
    root = Collection.get_first_root_node()
    left_over = get_document_model().objects.create(
        title="Left in the root",
        file=SimpleUploadedFile("left.txt", b"Left."),
        collection=root,
    )
    before = Collection.objects.count()

    collections = ensure_audience_collections()

    assert Collection.objects.count() == before
    left_over.refresh_from_db()
    assert left_over.collection == collections["staff"]


def an_image(collection):
    content = io.BytesIO()
    PillowImage.new("RGB", (20, 20), "teal").save(content, "PNG")
    return get_image_model().objects.create(
        title="Case E genogram",
        file=ImageFile(content, name="case-e-genogram.png"),
        collection=collection,
    )


def test_images_and_their_sizes_are_served_to_their_collections_audience_only(client, people, masp):
    image = an_image(Collection.objects.get(name="Panel: MASP"))
    rendition = image.get_rendition("width-10")

    for url in (image.file.url, rendition.url):
        assert statuses(client, people, url) == expected(MASP_READERS), url


def test_a_public_image_is_served_to_everyone(client, people, role_groups):
    image = an_image(Collection.objects.get(name="Public"))

    assert statuses(client, people, image.file.url) == expected(matrix.EVERYONE)
