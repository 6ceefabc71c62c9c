"""Glossary terms: marked on first use in policy text, listed on their own page."""

from hub.glossary import mark_abbreviations
from hub.models import GlossaryTerm

TERMS = {
    "CIN": "Child in Need",
    "CAF": "Common Assessment Framework",
    "LAC": "Looked After Children",
}


def test_the_first_use_of_each_term_is_marked():
    html = mark_abbreviations("<p>A CIN plan follows a CAF. Another CIN case.</p>", TERMS)

    assert html.count('<abbr title="Child in Need">CIN</abbr>') == 1
    assert '<abbr title="Common Assessment Framework">CAF</abbr>' in html
    assert html.endswith("Another CIN case.</p>")


def test_first_use_counts_across_paragraphs():
    html = mark_abbreviations("<p>CIN here.</p><p>CIN again.</p>", TERMS)

    assert html == '<p><abbr title="Child in Need">CIN</abbr> here.</p><p>CIN again.</p>'


def test_words_that_merely_contain_a_term_are_left_alone():
    html = mark_abbreviations("<p>CINEMA and LACE and BLAC-K</p>", TERMS)

    assert "<abbr" not in html


def test_links_and_existing_abbreviations_are_left_alone():
    html = mark_abbreviations(
        '<p><a href="/cin/">CIN guidance</a> <abbr title="x">CAF</abbr> then CAF</p>', TERMS
    )

    assert '<a href="/cin/">CIN guidance</a>' in html
    assert html.count("<abbr") == 1


def test_text_is_escaped_not_interpreted():
    html = mark_abbreviations("<p>CIN &lt;script&gt;</p>", TERMS)

    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_the_glossary_page_lists_terms_alphabetically(client, db):
    GlossaryTerm.objects.create(term="LAC", expansion="Looked After Children")
    GlossaryTerm.objects.create(term="CAF", expansion="Common Assessment Framework")

    html = client.get("/glossary/").content.decode()

    assert html.index("Common Assessment Framework") < html.index("Looked After Children")
    assert 'id="term-caf"' in html


def test_an_empty_glossary_says_so(client, db):
    assert "No terms have been added" in client.get("/glossary/").content.decode()
