"""The privacy check on policies: a child's details in what a policy's readers will see stop
its publication, unless published anyway with a reason; bulk publishing cannot go round it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text, streamfield

from hub.audiences import Audience
from hub.collections import audience_collection
from hub.privacy_overrides import OVERRIDE
from policies.models import PolicyPage
from tests import documents
from tests.factories import UserFactory
from tests.policies.conftest import body
from tests.policies.test_admin import edit

pytestmark = pytest.mark.django_db

# 943 476 5919 holds its modulus 11 check digit: an NHS number.
EXAMPLE = "For example, Amy (NHS number 943 476 5919) was referred at Level 3."


def body_with(text: str) -> dict:
    return {"body": streamfield([("text", rich_text(f"<p>{text}</p>"))])}


def publish_with(client, people, page, text: str, by=None, **changes):
    return edit(
        client,
        by or people["approver"],
        page,
        amendment_note="Worked example added.",
        **body_with(text),
        **changes,
        **{"action-publish": "publish"},
    )


def test_an_nhs_number_in_the_body_stops_the_publish(client, people, make_policy):
    page = make_policy(audience=Audience.PUBLIC)

    refused = publish_with(client, people, page, EXAMPLE)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "The privacy check found 1 possible identifying detail" in html
    assert "NHS number" in html and "943 476 5919" in html
    assert page.versions.count() == 1


def test_published_anyway_with_a_reason_the_history_keeps(client, people, make_policy):
    page = make_policy(audience=Audience.PUBLIC)

    published = publish_with(
        client, people, page, EXAMPLE, privacy_override_reason="A made-up number for training."
    )

    assert published.status_code == 302
    assert page.versions.count() == 2
    entry = PageLogEntry.objects.get(page=page, action=OVERRIDE)
    assert entry.data["reason"] == "A made-up number for training."
    assert entry.user == people["approver"]


def test_a_policy_only_its_panel_reads_is_not_checked(client, people, make_policy, panel_group):
    page = make_policy(audience=Audience.PANEL, audience_group=panel_group)
    root = UserFactory(username="root", is_superuser=True)

    published = publish_with(
        client,
        people,
        page,
        EXAMPLE,
        by=root,
        audience=Audience.PANEL,
        audience_group=panel_group.pk,
    )

    assert published.status_code == 302
    assert not PageLogEntry.objects.filter(action=OVERRIDE).exists()


def test_bulk_publishing_leaves_a_page_with_findings_to_its_editor(client, people, make_policy):
    page = make_policy(audience=Audience.PUBLIC)
    draft = PolicyPage.objects.get(pk=page.pk)
    draft.body = body(EXAMPLE)
    draft.amendment_note = "Example."
    draft.save_revision(user=people["approver"])
    client.force_login(people["approver"])
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={page.pk}&next=/admin/"
    )

    response = client.post(url, follow=True)

    assert "has possible identifying details" in response.content.decode()
    assert PolicyPage.objects.get(pk=page.pk).versions.count() == 1


def test_an_attached_file_is_checked_before_its_policy_is_published(
    client, people, make_policy, django_capture_on_commit_callbacks
):
    page = make_policy(audience=Audience.PUBLIC)
    appendix = get_document_model().objects.create(
        title="Appendix B",
        collection=audience_collection(Audience.PUBLIC),
        file=ContentFile(documents.pdf("Contacts.", EXAMPLE), name="appendix-b.pdf"),
    )
    attached = {
        "body": streamfield(
            [
                ("text", rich_text("<p>Revised.</p>")),
                ("document", {"document": appendix.pk, "title": ""}),
            ]
        )
    }
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, people["approver"], page, **attached)

    refused = edit(
        client,
        people["approver"],
        page,
        amendment_note="Appendix added.",
        **attached,
        **{"action-publish": "publish"},
    )

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "The privacy check found 1 possible identifying detail" in html
    assert "NHS number</strong> in the attached file “Appendix B”, page 2" in html
    assert page.versions.count() == 1
