"""Whatever is typed or put in the address, the engines answer and the page never breaks."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.audiences import Audience
from tests.cases import failures
from tests.search.conftest import ONLY_FOR, run

# The corpus's words for the policies each reader may not see.
HIDDEN_FROM = {
    "staff": [ONLY_FOR[Audience.PANEL]],
    "partner": [ONLY_FOR[Audience.STAFF], ONLY_FOR[Audience.PANEL]],
}


def assert_answered_within_reach(results, reader: str) -> None:
    """A whole answer: no more hits than its total, and none its reader may not see."""
    assert len(results.hits) <= results.total
    titles = " ".join(str(hit.title).lower() for hit in results.hits)
    assert not [word for word in HIDDEN_FROM[reader] if word in titles]


NASTY = [
    "",
    " ",
    "x" * 10_000,
    "neglect " * 2_000,
    '"unbalanced',
    'two "quotes" and "one',
    '"',
    '""',
    "-",
    "--",
    "-neglect",
    "NEAR(neglect early)",
    "neglect NEAR early",
    "neg*",
    "*",
    "title:neglect",
    "^neglect",
    "(neglect",
    "neglect)",
    "AND OR NOT",
    "'; DROP TABLE search_searchrecord; --",
    "1' OR '1'='1",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    "早期支援 ネグレクト",
    "защита детей",
    "حماية الطفل",
    "👶🏽🧒 neglect 🚸",
    "\x00\x01\x02",
    "\ue000mark\ue001",
    "a\u0301",
]


BAD_PARAMETERS = [
    {"q": "neglect", "page": "abc"},
    {"q": "neglect", "page": "-3"},
    {"q": "neglect", "page": "999999999999"},
    {"q": "neglect", "year": "nineteen"},
    {"q": "neglect", "year": "99999"},
    {"q": "neglect", "date_from": "2015-02-30"},
    {"q": "neglect", "date_from": "2015-04-01", "date_to": "2015-01-01"},
    {"q": "neglect", "sort": "; DROP"},
    {"q": "neglect", "kind": "x" * 500},
    {"q": "neglect", "milestone": "\n" * 50},
    {"q": ["neglect", "early"]},
]


def test_the_engine_answers_any_query(corpus, people):
    def answered(text):
        assert_answered_within_reach(run(people["staff"], text), "staff")

    assert failures(NASTY, answered) == []


def test_the_page_answers_any_query(corpus, client):
    def answered(text):
        assert client.get("/search/", {"q": text}).status_code == 200

    assert failures(NASTY, answered) == []


def test_bad_parameters_show_a_message_not_an_error(corpus, client):
    def answered(params):
        assert client.get("/search/", params).status_code == 200

    assert failures(BAD_PARAMETERS, answered) == []


def test_an_impossible_date_range_is_explained(corpus, client):
    response = client.get(
        "/search/", {"q": "neglect", "date_from": "2015-04-01", "date_to": "2015-01-01"}
    )
    assert "The end of the date range must be on or after its start." in response.content.decode()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=200))
def test_no_text_makes_the_engine_fail(corpus, people, text):
    assert_answered_within_reach(run(people["partner"], text), "partner")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.lists(
        st.sampled_from(
            [
                '"',
                "-",
                "*",
                ":",
                "^",
                "(",
                ")",
                "NEAR",
                "AND",
                "OR",
                "NOT",
                " ",
                "neglect",
                "CIN",
                "child in need",
                "'",
                ";",
                "\\",
                "+",
                "{",
                "}",
                "~",
                "😀",
                "日本",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_no_mix_of_operators_makes_the_engine_fail(corpus, people, text):
    assert_answered_within_reach(run(people["staff"], text), "staff")
