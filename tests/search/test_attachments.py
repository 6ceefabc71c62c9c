"""Words inside the files attached to policy versions and meetings: found on their page, by
their readers only, as each publish kept them; a file that cannot be read never stops a
publish."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from hub.audiences import Audience
from hub.models import DocumentText
from hub.search_types import ATTACHMENT_KIND
from search import selectors
from tests import documents
from tests.matrix import READS_STAFF_ONLY
from tests.panels.conftest import make_meeting
from tests.panels.conftest import publish as panel_publish
from tests.policies.conftest import publish
from tests.search.conftest import reindex, run


def attach(page, approver, *files: tuple[str, str, bytes], note="Appendix added."):
    """Publish the next version of ``page`` with these (title, file name, content) attached."""
    stream = [{"type": "text", "value": "<p>The protocol, revised.</p>", "id": "text"}]
    for number, (title, name, content) in enumerate(files):
        document, _ = get_document_model().objects.update_or_create(
            title=title, defaults={"file": ContentFile(content, name=name)}
        )
        value = {"document": document.pk, "title": ""}
        stream.append({"type": "document", "value": value, "id": f"d{number}"})
    return publish(page, by=approver, note=note, body=json.dumps(stream))


@pytest.fixture
def with_appendix(engine, make_policy, approver_person, django_capture_on_commit_callbacks):
    page = make_policy(title="Transfer Protocol", audience=Audience.PUBLIC)
    appendix = documents.pdf(
        "Appendix B to the protocol", "Cases held by the marmoset team.", "Contacts."
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = attach(page, approver_person, ("Appendix B", "appendix-b.pdf", appendix))
    reindex()
    return page


def attachment_hits(user, words, **filters):
    return [hit for hit in run(user, words, **filters).hits if hit.kind == ATTACHMENT_KIND]


def test_a_word_only_in_an_attached_pdf_finds_it_named_by_its_version(with_appendix, people):
    attachment = with_appendix.versions.get(number=2).attachments.get()

    [hit] = attachment_hits(people["anonymous"], "marmoset")

    assert str(hit.title) == "Appendix B of Transfer Protocol, version 2"
    assert hit.url == f"{with_appendix.url}versions/2/attachments/{attachment.pk}/"
    assert "<mark>marmoset</mark>" in hit.snippet.lower()


def test_the_results_page_says_on_which_page_it_was_found_and_opens_it_there(with_appendix, client):
    response = client.get("/search/", {"q": "marmoset"})

    result = BeautifulSoup(response.content, "html.parser").select_one(".hub-result")
    assert "Found on page 2" in result.get_text(" ", strip=True)
    assert result.select_one("h3 a")["href"].endswith("/#page=2")
    opened = client.get(result.select_one("h3 a")["href"].split("#")[0])
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("inline")
    assert opened["Content-Security-Policy"] == "default-src 'none'"


def test_the_page_is_found_for_a_page_of_results_in_one_query(with_appendix, people):
    hits = run(people["anonymous"], "protocol").hits
    assert {hit.kind for hit in hits} == {"Policy", ATTACHMENT_KIND}

    with CaptureQueriesContext(connection) as queries:
        pages = selectors.found_on_pages(hits)

    assert len(queries) == 1
    assert list(pages.values()) == [1]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("appendix.docx", documents.word("Introduction.", "Held by the quetzal team.")),
        ("appendix.odt", documents.opendocument("Introduction.", "Held by the quetzal team.")),
    ],
)
def test_words_in_word_and_opendocument_files_are_found(
    engine, make_policy, approver_person, people, django_capture_on_commit_callbacks, name, content
):
    page = make_policy(title="Transfer Protocol", audience=Audience.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        attach(page, approver_person, ("Appendix C", name, content))
    reindex()

    [hit] = attachment_hits(people["anonymous"], "quetzal")

    assert str(hit.title) == "Appendix C of Transfer Protocol, version 2"


def test_an_attachment_is_found_only_by_its_policys_readers(
    engine, make_policy, approver_person, people, django_capture_on_commit_callbacks
):
    page = make_policy(title="Staff protocol", audience=Audience.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        attach(page, approver_person, ("Staff appendix", "staff.pdf", documents.pdf("ocelot")))
    reindex()

    found = {role: bool(attachment_hits(people[role], "ocelot")) for role in people}

    assert {role for role, yes in found.items() if yes} == READS_STAFF_ONLY


def test_a_new_file_for_a_later_version_leaves_the_earlier_ones_words_where_they_were(
    with_appendix, approver_person, people, django_capture_on_commit_callbacks
):
    document = get_document_model().objects.get(title="Appendix B")
    document.file.save("appendix-b.pdf", ContentFile(documents.pdf("The narwhal team.")))
    with django_capture_on_commit_callbacks(execute=True):
        publish(with_appendix, by=approver_person, note="Appendix B replaced.")
    reindex()
    reader = people["anonymous"]

    assert [str(hit.title) for hit in attachment_hits(reader, "narwhal")] == [
        "Appendix B of Transfer Protocol, version 3"
    ]
    assert attachment_hits(reader, "marmoset") == []
    [past] = attachment_hits(reader, "marmoset", include_past=True)
    assert str(past.title) == "Appendix B of Transfer Protocol, version 2"
    assert past.facets["status"] == "Superseded"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("locked.pdf", documents.encrypted_pdf("The secret okapi."), "password"),
        ("cut.pdf", documents.pdf("The okapi.", "More.")[:400], ""),
        ("fake.pdf", b"MZ\x90\x00 not a document at all", ""),
    ],
)
def test_a_file_that_cannot_be_read_is_recorded_and_never_stops_the_publish(
    engine,
    make_policy,
    approver_person,
    people,
    django_capture_on_commit_callbacks,
    name,
    content,
    problem,
):
    page = make_policy(title="Transfer Protocol", audience=Audience.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        page = attach(page, approver_person, ("Broken appendix", name, content))
    reindex()

    assert page.versions.count() == 2
    [text] = DocumentText.objects.all()
    assert not text.available
    assert problem in text.problem.lower()
    assert attachment_hits(people["anonymous"], "okapi") == []
    assert run(people["anonymous"], "revised").total == 1


def test_the_same_file_kept_by_two_versions_is_read_once(
    with_appendix, approver_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(with_appendix, by=approver_person, note="Wording only.")

    assert page.versions.count() == 3
    assert DocumentText.objects.count() == 1


def with_papers(*papers: tuple[str, str, bytes]) -> str:
    """A meeting's papers field naming new library documents of these (title, name, content)."""
    blocks = []
    for title, name, content in papers:
        document = get_document_model().objects.create(
            title=title, file=ContentFile(content, name=name)
        )
        blocks.append({"type": "paper", "value": {"document": document.pk, "title": ""}})
    return json.dumps(blocks)


@pytest.fixture
def papered_meeting(engine, masp, django_capture_on_commit_callbacks):
    report = documents.word("Quarterly figures.", "Referrals held by the pangolin team.")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make_meeting(
            masp,
            day="2015-02-11",
            papers=with_papers(("Report to the panel", "report.docx", report)),
        )
    reindex()
    return meeting


def test_a_paper_is_found_by_exactly_those_who_may_read_its_minutes(
    papered_meeting, people, client
):
    paper = papered_meeting.kept_papers.get()
    wrong = []
    for role, person in people.items():
        client.logout()
        if person.is_authenticated:
            client.force_login(person)
        reads = client.get(papered_meeting.url).status_code == 200
        hits = attachment_hits(person, "pangolin")
        if bool(hits) != reads:
            wrong.append(role)
        if reads:
            assert [str(hit.title) for hit in hits] == [
                f"Report to the panel of {papered_meeting.title}"
            ]
            assert hits[0].url == f"{papered_meeting.url}papers/{paper.pk}/"
            assert client.get(hits[0].url).status_code == 200
        else:
            assert client.get(f"{papered_meeting.url}papers/{paper.pk}/").status_code != 200
    assert not wrong, (
        f"found by those who may not read the minutes, or not by those who may: {wrong}"
    )


def test_the_minutes_list_their_papers_as_published(papered_meeting, people, client):
    client.force_login(people["partner"])
    document = get_document_model().objects.get(title="Report to the panel")
    document.file.save("report.docx", ContentFile(documents.word("A later draft.")))

    page = BeautifulSoup(client.get(papered_meeting.url).content, "html.parser")

    [link] = page.select("#papers + ul a")
    assert link.get_text(strip=True) == "Report to the panel"
    kept = client.get(link["href"])
    assert kept["Content-Disposition"].startswith("attachment")
    assert b"".join(kept.streaming_content) == papered_meeting.kept_papers.get().file.read()
    assert client.get(f"{papered_meeting.url}papers/999999/").status_code == 404


def test_papers_of_minutes_published_again_are_found_as_the_minutes_now_stand(
    papered_meeting, people, django_capture_on_commit_callbacks
):
    document = get_document_model().objects.get(title="Report to the panel")
    document.file.save("report.docx", ContentFile(documents.word("The wombat team.")))
    with django_capture_on_commit_callbacks(execute=True):
        panel_publish(papered_meeting)
    reindex()

    assert attachment_hits(people["partner"], "wombat") != []
    assert attachment_hits(people["partner"], "pangolin") == []
