"""The search page: what it shows, how it narrows, and that it costs the same whatever it finds."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.search_types import SearchDocument
from search import indexing
from tests.search.conftest import use_engine


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_starts_with_an_explanation_and_no_results(client, db):
    html = page(client)
    assert "Type what you are looking for" in html
    assert 'id="results-heading"' not in html


def test_a_result_shows_kind_title_date_policy_kind_status_and_marked_snippet(corpus, client):
    html = page(client, q="lighthouse")
    assert "1 result for “lighthouse”" in html
    assert '<span class="caption">Policy</span>' in html
    assert "/policies/public-policy-lighthouse/" in html
    assert "<mark>lighthouse</mark>" in html.lower()
    assert '<time datetime="2015-03-01">1 March 2015</time>' in html
    assert "Policy kind: Protocol" in html
    assert "Status: In force" in html


def test_the_page_says_which_glossary_terms_widened_the_search(corpus, client):
    html = page(client, q="CIN")
    assert "Because you searched for “CIN”, results also include Child in Need" in html


def test_a_facet_link_narrows_and_can_be_removed(corpus, client, people):
    client.force_login(people["staff"])
    html = page(client, q="neglect", include_past="on")
    assert "Past policy version" in html
    narrowed = page(client, q="neglect", include_past="on", kind="Past policy version")
    assert "1 result for “neglect”" in narrowed
    assert 'Remove filter<span class="visually-hidden">:</span> Kind: Past policy version' in (
        narrowed
    )


def test_words_that_only_exclude_ask_for_a_word_to_find(corpus, client):
    html = page(client, q="-neglect")
    assert "Add at least one word to find" in html


def test_nothing_found_suggests_what_to_try(corpus, client):
    assert "Nothing you can see matches" in page(client, q="xylophone")


def documents(count: int) -> list[SearchDocument]:
    return [
        SearchDocument(
            key=f"doc:{number}",
            owner=f"doc:{number}",
            kind="Decision" if number % 2 else "Action",
            title=f"Record {number} about neglect <i>now</i>",
            text="Neglect is assessed early <script>alert(1)</script>.",
            url=f"/records/{number}/",
            audience_keys=frozenset({"public"}),
            date=datetime.date(2015, 1, 1) + datetime.timedelta(days=number),
            facets={
                "panel": "MASP" if number % 3 else "Corporate Parenting Board",
                "milestone": (f"M{number % 4}",),
            },
        )
        for number in range(count)
    ]


def queries_for(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, **params)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_results(client, db, settings):
    use_engine(settings, "database")
    indexing.write(documents(3))
    page(client, q="neglect")  # the glossary and site settings are cached from here on
    few = queries_for(client, q="neglect")
    indexing.write(documents(60)[3:])
    many = queries_for(client, q="neglect")
    html = page(client, q="neglect")
    assert "60 results" in html
    assert few == many


def test_pages_follow_on_and_keep_the_search(client, db, settings):
    use_engine(settings, "database")
    indexing.write(documents(45))
    html = page(client, q="neglect", panel="MASP")
    assert "30 results" in html
    assert "Page 1 of 2" in html
    assert "q=neglect&amp;panel=MASP&amp;page=2" in html
    second = page(client, q="neglect", panel="MASP", page="2")
    assert "Page 2 of 2" in second


def test_indexed_text_is_escaped_on_the_page(client, db, settings):
    use_engine(settings, "database")
    indexing.write(documents(1))
    html = page(client, q="neglect")
    assert "<script>alert(1)</script>" not in html
    assert "<i>now</i>" not in html
    assert "&lt;i&gt;now&lt;/i&gt;" in html


def test_wagtail_admin_search_still_finds_pages(corpus, client, people):
    client.force_login(people["editor"])
    response = client.get("/admin/pages/search/", {"q": "zebrafinch"})
    assert response.status_code == 200
    assert "Staff policy zebrafinch" in response.content.decode()
