"""The behaviour every engine shares: matching, phrases, exclusions, glossary, facets, order."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from hub.audiences import Audience
from search.engines import get_engine
from search.engines.database import DatabaseEngine
from tests.search.conftest import ONLY_FOR, run


def titles(results) -> set[str]:
    return {str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits}


def test_a_word_finds_the_records_that_contain_it(corpus, people):
    results = run(people["staff"], "zebrafinch")
    assert results.total == 1
    assert titles(results) == {"Staff policy zebrafinch"}
    assert "<mark>" in results.hits[0].snippet


def test_english_stemming_matches_other_forms_of_a_word(corpus, people):
    assert run(people["anonymous"], "assessing").total == 1


def test_a_quoted_phrase_needs_its_words_in_order(corpus, people):
    assert run(people["administrator"], '"assessed early"').total == 3
    assert run(people["administrator"], '"early assessed"').total == 0


def test_a_minus_leaves_out_records_with_that_word(corpus, people):
    found = run(people["staff"], "neglect -zebrafinch")
    assert "Staff policy zebrafinch" not in titles(found)
    assert found.total == 2


def test_an_acronym_finds_its_expansion_from_the_glossary(corpus, people):
    assert titles(run(people["anonymous"], "CIN")) == {"Public policy lighthouse"}
    assert titles(run(people["anonymous"], "children in need")) == {"Public policy lighthouse"}


def test_matched_words_are_marked_and_everything_else_is_escaped(corpus, people):
    hit = run(people["anonymous"], "lighthouse").hits[0]
    assert "<mark>lighthouse</mark>" in hit.title.lower()
    assert "<mark>" in hit.snippet


def test_past_versions_are_found_only_when_asked_for(corpus, people):
    assert run(people["anonymous"], "ocelot").total == 0
    past = run(people["anonymous"], "ocelot", include_past=True)
    assert past.total == 1
    assert past.hits[0].kind == "Past policy version"
    assert past.hits[0].facets["status"] == "Superseded"
    assert past.hits[0].url.endswith("/versions/1/")


def test_facets_count_what_matched_and_narrow_it(corpus, people):
    results = run(people["staff"], "neglect")
    kinds = {facet.value: facet.count for facet in results.facets["kind"]}
    assert kinds == {"Policy": 3}
    assert {f.value: f.count for f in results.facets["status"]} == {"In force": 3}
    assert {f.value for f in results.facets["year"]} == {"2015"}
    narrowed = run(people["staff"], "neglect", kind="Past policy version")
    assert narrowed.total == 0


def test_a_chosen_facet_still_counts_its_other_values_and_narrows_the_other_facets(corpus, people):
    results = run(people["staff"], "neglect", include_past=True, kind="Policy")
    assert results.total == 3
    assert {hit.kind for hit in results.hits} == {"Policy"}
    kinds = {facet.value: facet.count for facet in results.facets["kind"]}
    assert kinds == {"Policy": 3, "Past policy version": 1}
    assert {f.value: f.count for f in results.facets["status"]} == {"In force": 3}


def test_a_date_range_keeps_records_dated_within_it(corpus, people):
    march = run(people["staff"], "neglect", date_from=datetime.date(2015, 2, 1))
    assert titles(march) == {"Public policy lighthouse"}
    january = run(
        people["staff"],
        "neglect",
        date_from=datetime.date(2015, 1, 1),
        date_to=datetime.date(2015, 1, 31),
    )
    assert titles(january) == {"Partners policy quokka", "Staff policy zebrafinch"}


def test_sorting_by_date_puts_the_newest_first(corpus, people):
    from search.engines import get_engine
    from search.engines.base import SearchRequest
    from search.query import parse
    from search.selectors import audience_keys

    request = SearchRequest(
        query=parse("neglect"), audience_keys=audience_keys(people["staff"]), sort="date"
    )
    hits = get_engine().search(request).hits
    assert hits[0].date == datetime.date(2015, 3, 1)
    assert [hit.date for hit in hits] == sorted((hit.date for hit in hits), reverse=True)


def test_pages_of_results_do_not_overlap(corpus, people):
    from search.engines import get_engine
    from search.engines.base import SearchRequest
    from search.query import parse

    def page(number):
        request = SearchRequest(query=parse("neglect"), audience_keys=None, page=number, per_page=2)
        return get_engine().search(request)

    first, second = page(1), page(2)
    assert first.total == second.total == 4
    assert len(first.hits) == len(second.hits) == 2
    assert not {hit.key for hit in first.hits} & {hit.key for hit in second.hits}


def test_a_superuser_finds_everything(corpus, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x" * 12)
    assert run(admin, "neglect").total == 4
    assert run(admin, ONLY_FOR[Audience.PANEL]).total == 1


def test_no_words_lists_everything_visible_newest_first(corpus, people):
    results = run(people["partner"], "")
    assert results.total == 2
    assert results.hits[0].date == datetime.date(2015, 3, 1)


def test_the_engine_is_the_one_the_settings_name(settings):
    settings.SEARCH_ENGINES = {
        **settings.SEARCH_ENGINES,
        "another": {"CLASS": "search.engines.database.DatabaseEngine"},
    }
    settings.SEARCH_ENGINE = "another"

    assert isinstance(get_engine(), DatabaseEngine)


def test_an_engine_the_settings_do_not_define_is_a_clear_error(settings):
    settings.SEARCH_ENGINE = "opensearch"

    with pytest.raises(ImproperlyConfigured, match="SEARCH_ENGINE names 'opensearch'"):
        get_engine()
