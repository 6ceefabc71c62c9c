"""Reading what readers type: words, phrases, exclusions, glossary terms and limits."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from hub.models import GlossaryTerm
from search.query import MAX_WORDS, Glossary, load_glossary, parse, words_of
from tests.factories import UserFactory

GLOSSARY = Glossary.from_entries(
    [
        ("CIN", "Child in Need", "section 17, children in need"),
        ("LAC", "Looked After Children", ""),
    ]
)


def test_words_are_each_required_in_lower_case():
    query = parse("Neglect Threshold")
    assert [term.phrases for term in query.terms] == [(("neglect",),), (("threshold",),)]


def test_quotes_make_a_phrase_and_a_minus_excludes():
    query = parse('"early help" -draft -"old version"')
    assert [term.phrases for term in query.terms] == [(("early", "help"),)]
    assert query.excluded == (("draft",), ("old", "version"))


def test_an_unclosed_quote_runs_to_the_end():
    assert [t.phrases for t in parse('"early help').terms] == [(("early", "help"),)]


def test_an_acronym_is_widened_to_its_expansion_and_synonyms():
    query = parse("CIN plan", GLOSSARY)
    assert query.terms[0].phrases == (
        ("cin",),
        ("child", "in", "need"),
        ("section", "17"),
        ("children", "in", "need"),
    )
    assert query.expansions[0].written == "CIN"
    assert query.expansions[0].also == ("Child in Need", "section 17", "children in need")


def test_an_expansion_typed_out_is_widened_to_its_acronym():
    query = parse("looked after children placements", GLOSSARY)
    assert query.terms[0].phrases == (("lac",), ("looked", "after", "children"))
    assert query.terms[1].phrases == (("placements",),)
    assert query.expansions[0].also == ("LAC",)


def test_engine_syntax_is_only_words():
    query = parse("NEAR(a b) title:x ^2 * OR 1=1; DROP TABLE search_fts; --")
    assert all(word.isalnum() for word in query.words)


def test_a_query_of_only_exclusions_or_symbols_asks_for_nothing():
    assert parse("-draft").is_empty
    assert parse("*** ^ :: ()").is_empty
    assert parse("").is_empty


def test_a_very_long_query_is_cut_and_says_so():
    query = parse("word " * 10_000)
    assert len(query.words) <= MAX_WORDS
    assert query.shortened


@given(st.text(max_size=300))
def test_any_text_parses_to_letters_and_digits_only(text):
    query = parse(text, GLOSSARY)
    for phrase in [*(p for term in query.terms for p in term.phrases), *query.excluded]:
        assert phrase
        assert all(word and all(ch.isalnum() for ch in word) for word in phrase)


def test_a_synonym_an_editor_adds_is_searched_for_at_once(client, glossary):
    assert load_glossary().group_of(words_of("supported child")) is None
    term = GlossaryTerm.objects.get(term="CIN")
    client.force_login(UserFactory(username="root", is_superuser=True))
    client.post(
        reverse("wagtailsnippets_hub_glossaryterm:edit", args=[term.pk]),
        {
            "term": "CIN",
            "expansion": "Child in Need",
            "synonyms": "supported child",
            "definition": "",
        },
    )

    assert load_glossary().group_of(words_of("supported child")) is not None
