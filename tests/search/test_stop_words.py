"""Both embedded engines match every word, stop words included, and agree on what each query finds.

The same expectations run on SQLite and on PostgreSQL (whichever DATABASE_URL
names), so passing on both means both give the same records for the same words.
"""

import datetime

import pytest

from hub.search_types import SearchDocument
from search import indexing
from tests.search.conftest import run

TEXTS = {
    "from-home": ("Missing from home protocol", "What to do when a child goes missing from home."),
    "at-home": ("Home visits", "The child was missing at home visits."),
    "conference": ("Planning the conference", "Plans for the child protection conference."),
    "record": ("Of panels", "A record of the panel's decisions and of its actions."),
    "quokka": ("Quokka", "Quokka lives here"),
}

SAME_ANSWERS = [
    ("the", {"at-home", "conference", "record"}),
    ("of", {"record"}),
    ("and", {"record"}),
    ("to", {"from-home"}),
    ("a", {"from-home", "record"}),
    ("from", {"from-home"}),
    ("the child", {"at-home", "conference"}),
    # Stems: planning and plans are both plan.
    ("plan", {"conference"}),
    ("child protection conference", {"conference"}),
    ('"child protection conference"', {"conference"}),
    # A phrase keeps its stop word: "missing at home" is not "missing from home".
    ('"missing from home"', {"from-home"}),
    ("missing from home", {"from-home"}),
    ("missing home", {"from-home", "at-home"}),
    ("missing -from", {"at-home"}),
]


@pytest.fixture
def records(db):
    indexing.write(
        SearchDocument(
            key=key,
            owner=key,
            kind="Policy",
            title=title,
            text=text,
            url=f"/{key}/",
            audience_keys=frozenset({"public"}),
            date=datetime.date(2015, 1, 1),
        )
        for key, (title, text) in TEXTS.items()
    )


@pytest.mark.parametrize(("words", "found"), SAME_ANSWERS, ids=[w for w, _ in SAME_ANSWERS])
def test_the_same_words_find_the_same_records_on_either_database(records, people, words, found):
    results = run(people["anonymous"], words)
    assert {hit.key for hit in results.hits} == found
    assert results.total == len(found)


def test_a_stop_word_is_marked_where_it_matched(records, people):
    [hit] = run(people["anonymous"], '"missing from home"').hits
    # SQLite marks the phrase as one, PostgreSQL each of its words.
    assert "<mark>missing from home</mark>" in hit.snippet.replace("</mark> <mark>", " ")
