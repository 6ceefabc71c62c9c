"""The search page: what it shows, how it narrows, and that it costs the same whatever it finds."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.search_types import SearchDocument
from search import indexing
from tests import nu_checker
from tests.search.conftest import use_engine

# What a keyboard reaches with Tab, in the order of the page.
TAB_STOPS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"


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
    assert '<span class="govuk-caption-m">Policy</span>' in html
    assert "/policies/public-policy-lighthouse/" in html
    assert "<mark>lighthouse</mark>" in html.lower()
    assert '<time datetime="2015-03-01">1 March 2015</time>' in html
    assert "Policy kind: Protocol" in html
    assert "Status: In force" in html


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def tab_stops(document: BeautifulSoup) -> list:
    return [element for element in document.select(TAB_STOPS) if element.get("tabindex") != "-1"]


def test_a_results_facts_are_a_plain_list_of_its_own_not_one_bordered_like_the_results(
    corpus, client
):
    results = soup(page(client, q="lighthouse")).find(id="results")

    assert results.name == "ol" and results["class"] == ["hub-results"]
    [result] = results.find_all("li", recursive=False)
    assert result["class"] == ["hub-result"]
    [facts] = result.find_all("ul")
    assert facts["class"] == ["hub-result__facts"]
    assert [fact.get_text(" ", strip=True) for fact in facts.find_all("li")] == [
        "Date: 1 March 2015",
        "Policy kind: Protocol",
        "Status: In force",
    ]
    # No list in the results is drawn as a summary list or as another result, with their rules.
    assert not results.select(".govuk-summary-list, .summary-list, .hub-result .hub-result")
    assert result.select_one("p mark").get_text().lower() == "lighthouse"


def test_sort_dates_and_past_versions_are_one_row_of_form_groups(corpus, client):
    form = soup(page(client, q="lighthouse")).find("form", role="search")

    [row] = form.select(".hub-options")
    groups = row.find_all("div", recursive=False)
    assert all("govuk-form-group" in group["class"] for group in groups)
    controls = [[control["id"] for control in group.select("select, input")] for group in groups]
    assert controls == [["id_sort"], ["id_date_from", "id_date_to"], ["id_include_past"]]
    assert not form.select(".search-form__options, .form-group")


def test_the_first_result_is_a_few_tabs_from_the_search_box_or_one_skip_link_away(
    corpus, client, people
):
    client.force_login(people["staff"])
    document = soup(page(client, q="neglect", include_past="on"))

    stops = tab_stops(document)
    box = document.find(id="id_q")
    first_result = document.find(id="results").find("a")
    assert stops.index(first_result) - stops.index(box) - 1 <= 5
    # The filters come after the results, and there are some to pass over.
    assert len(document.select("aside a")) >= 3
    assert stops.index(document.select_one("aside a")) > stops.index(first_result)

    main_skip, results_skip = document.select("a.govuk-skip-link")
    assert main_skip.find_next_sibling("a") is results_skip
    assert (results_skip["href"], results_skip.get_text()) == ("#results", "Skip to results")
    assert document.find(id="results")["tabindex"] == "-1"


def test_there_is_no_skip_to_results_without_results(corpus, client):
    for html in (page(client), page(client, q="xylophone")):
        assert "Skip to results" not in html
        assert 'id="results"' not in html


def test_an_invalid_date_is_shown_as_typed_in_a_text_box_the_error_links_to(corpus, client):
    for typed in ("2015-02-30", "next Tuesday", "31/01/2015x"):
        document = soup(page(client, q="neglect", date_from=typed, date_to="2015-12-31"))

        box = document.find(id="id_date_from")
        assert (box["type"], box["value"]) == ("text", typed)
        assert "govuk-input--error" in box["class"]
        assert set(box["aria-describedby"].split()) == {"date-hint", "id_date_from-error"}
        link = document.select_one('.govuk-error-summary a[href="#id_date_from"]')
        assert link.get_text() == "From: Enter a valid date."
        other = document.find(id="id_date_to")
        assert (other["type"], other["value"]) == ("date", "2015-12-31")


def test_a_valid_date_stays_in_a_date_box_even_beside_an_error(corpus, client):
    document = soup(page(client, q="neglect", date_from="2015-04-01", date_to="2015-01-01"))

    for name, value in (("from", "2015-04-01"), ("to", "2015-01-01")):
        box = document.find(id=f"id_date_{name}")
        assert (box["type"], box["value"]) == ("date", value)
    assert document.select_one('.govuk-error-summary a[href="#id_date_to"]')
    assert document.find(id="id_date_to-error")


def test_a_page_number_out_of_range_is_explained_without_a_link_to_nowhere(corpus, client):
    document = soup(page(client, q="neglect", page="abc"))

    [problem] = document.select(".govuk-error-summary__list li")
    assert problem.get_text(strip=True) == "Page: Enter a whole number."
    assert problem.find("a") is None


@pytest.mark.skipif(nu_checker.java() is None, reason="the Nu HTML Checker needs Java")
def test_the_search_pages_are_valid_html(corpus, client, people):
    client.force_login(people["staff"])
    pages = {
        "start": page(client),
        "results": page(client, q="neglect", include_past="on", kind="Past policy version"),
        "nothing": page(client, q="xylophone"),
        "bad dates": page(client, q="neglect", date_from="2015-02-30", date_to="x"),
        "bad range": page(client, q="neglect", date_from="2015-04-01", date_to="2015-01-01"),
        "register": client.get("/decisions/", {"q": "neglect", "date_from": "nope"}),
    }
    pages["register"] = pages["register"].content.decode()

    assert nu_checker.errors(pages) == {}


def test_the_page_says_which_glossary_terms_widened_the_search(corpus, client):
    html = page(client, q="CIN")
    assert "Because you searched for “CIN”, results also include Child in Need" in html


def test_a_facet_link_narrows_and_can_be_removed(corpus, client, people):
    client.force_login(people["staff"])
    html = page(client, q="neglect", include_past="on")
    assert "Past policy version" in html
    narrowed = page(client, q="neglect", include_past="on", kind="Past policy version")
    assert "1 result for “neglect”" in narrowed
    assert (
        'Remove filter<span class="govuk-visually-hidden">:</span> Kind: Past policy version'
        in (narrowed)
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
