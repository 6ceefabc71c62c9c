"""Facets are declared once: every engine, the records table and the form follow the declaration."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.search_types import FACETS, SearchDocument
from search import indexing
from search.engines.base import SearchFilters, SearchRequest
from search.engines.database import DatabaseEngine
from search.engines.elasticsearch import index_definition, record_source
from search.forms import DecisionRegisterForm, SearchForm
from search.models import SearchFacetSet, SearchRecord
from search.query import Glossary, parse
from tests.search.conftest import run

# For each facet, a value for each of two records.
VALUES = {
    "kind": ("Decision", "Action"),
    "policy_kind": ("Protocol", "Procedure"),
    "panel": ("MASP", "Corporate Parenting Board"),
    "year": (2014, 2015),
    "status": ("Agreed", "Open"),
    "milestone": ("Threshold refresh", "Audit cycle"),
}


def document(number: int) -> SearchDocument:
    """A record with a value of every facet, its words the same as the other's."""
    given = {facet.name: VALUES[facet.name][number] for facet in FACETS if facet.read is None}
    given["milestone"] = (given["milestone"],)
    return SearchDocument(
        key=f"faceted:{number}",
        owner=f"faceted:{number}",
        kind=VALUES["kind"][number],
        title=f"Faceted record {number}",
        text="Neglect is assessed early.",
        url=f"/faceted/{number}/",
        audience_keys=frozenset({"public"}),
        date=datetime.date(VALUES["year"][number], 6, 1),
        facets=given,
    )


def test_every_declared_facet_has_a_value_here():
    assert set(VALUES) == {facet.name for facet in FACETS}


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_each_facet_narrows_and_is_counted_on_the_embedded_engine(db, people, facet):
    indexing.write([document(0), document(1)])
    wanted, other = VALUES[facet.name]

    narrowed = run(people["anonymous"], "neglect", **{facet.name: wanted})

    assert narrowed.total == 1
    assert narrowed.hits[0].key == "faceted:0"
    # The chosen facet still counts its other value; no other facet counts the other record.
    counts = {value.value: value.count for value in narrowed.facets[facet.name]}
    assert counts == {str(wanted): 1, str(other): 1}
    for name, values in narrowed.facets.items():
        if name != facet.name:
            assert [(value.value, value.count) for value in values] == [(str(VALUES[name][0]), 1)]


def test_facets_shown_on_hits_come_back_with_each_hit(db, people):
    indexing.write([document(0)])
    [hit] = run(people["anonymous"], "neglect").hits
    assert hit.facts == [("Policy kind", "Protocol"), ("Panel", "MASP"), ("Status", "Agreed")]


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_each_facet_is_a_column_a_mapped_field_and_a_form_field(db, facet):
    indexing.write([document(0)])
    record = SearchRecord.objects.select_related("facet_set").get()
    mapping = index_definition("hub-search-1", Glossary()).to_dict()["mappings"]["properties"]

    assert SearchFacetSet._meta.get_field(facet.name)
    assert mapping[facet.name] == {"type": "integer" if facet.number else "keyword"}
    expected = VALUES[facet.name][0]
    assert record_source(record)[facet.name] == ([expected] if facet.many else expected)
    field = SearchForm().fields[facet.name]
    assert field.label == facet.heading


def test_the_register_offers_only_its_own_facets_with_its_own_headings():
    fields = DecisionRegisterForm().fields
    assert "kind" not in fields and "policy_kind" not in fields
    assert fields["status"].label == "Outcome"


def test_a_form_value_becomes_a_filter_on_its_facet():
    form = SearchForm(
        {"q": "neglect", "panel": "MASP", "year": "2015", "milestone": " Audit\n cycle "}
    )
    assert form.is_valid(), form.errors
    assert form.filters().facet_values() == {
        "panel": "MASP",
        "year": 2015,
        "milestone": "Audit cycle",
    }


def test_a_record_giving_an_undeclared_facet_is_refused_with_the_name():
    with pytest.raises(ValueError, match="colour, which no facet"):
        replace(document(0), facets={"colour": "red"})


def test_a_facet_read_from_the_record_itself_cannot_be_given_apart():
    with pytest.raises(ValueError, match="year"):
        replace(document(0), facets={"year": 1999})


def test_filtering_on_an_undeclared_facet_is_refused():
    with pytest.raises(ValueError, match="No facet is named colour"):
        SearchFilters.of(colour="red")


def test_one_facet_set_holds_records_with_the_same_values(db):
    indexing.write([document(0), replace(document(0), key="again")])
    assert SearchFacetSet.objects.count() == 1
    assert SearchRecord.objects.count() == 2


def test_the_embedded_engine_filters_on_each_facet_in_one_pass(db, people):
    """The facet filter is on the few facet sets, not on each match: three statements a search.

    How many records the words match, the facet counts with the page, the page's text.
    """
    indexing.write([document(0), document(1)])
    request = SearchRequest(
        query=parse("neglect"),
        audience_keys=frozenset({"public"}),
        filters=SearchFilters.of(**{name: values[0] for name, values in VALUES.items()}),
    )
    with CaptureQueriesContext(connection) as captured:
        results = DatabaseEngine().search(request)
    assert results.total == 1
    assert len(captured) == 3
