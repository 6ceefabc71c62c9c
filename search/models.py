"""The search-record projection: one row per findable thing, with who may see it.

Rows are written only by ``search.indexing`` from the records domain apps hand
over; the full-text index over them (SQLite FTS5 or a PostgreSQL table of
tsvectors) is created by the migrations for the database in use and kept in step
by triggers. SQLite rebuilds a table to alter its columns, dropping its triggers
and indexes: a migration that changes ``SearchRecord`` must recreate those of
migration 0003. PostgreSQL's triggers (migration 0005) copy the title, text,
facet set and date by name.

A facet set has a column for each facet declared in ``hub.search_types.FACETS``,
named as the facet is: adding a facet adds a column (and its migration) here.
"""

from collections.abc import Iterable

from django.db import models

from hub.search_types import FACETS, Facet

# The names of a facet holding many are joined by this, with one at each end, so
# a plain substring test finds a whole name.
NAME_SEPARATOR = "\n"


def one_line(name: str) -> str:
    """A name as facet sets keep it: on one line, words one space apart."""
    return " ".join(name.split())


def joined_names(names: Iterable[str]) -> str:
    """Names as a facet set stores them, as a filter on one of them looks for them."""
    # Names are kept on one line each, so the separator never occurs inside one.
    names = sorted({one_line(name) for name in names} - {""})
    if not names:
        return ""
    return NAME_SEPARATOR + NAME_SEPARATOR.join(names) + NAME_SEPARATOR


def split_names(stored: str) -> list[str]:
    return [name for name in stored.split(NAME_SEPARATOR) if name]


class SearchFacetSet(models.Model):
    """Facet values and audiences that many records share.

    A search filters and counts a few hundred facet sets rather than every
    matching record: records name their set, and only that number is read for
    each match.
    """

    # A digest of every field, so each combination is stored once.
    signature = models.CharField(max_length=64, unique=True)
    current = models.BooleanField(default=True)
    # The audience keys that may see the records, space-delimited with a space
    # at each end (" partners staff "), so one substring test per key of the
    # reader's decides it.
    audiences = models.CharField(max_length=1000)
    # Then a column for each facet (see facet_column).

    def __str__(self):
        return f"{self.kind} ({self.audiences.strip()})"

    def values_of(self, facet: Facet):
        """This set's value of ``facet``: a list of names for a facet holding many."""
        value = getattr(self, facet.name)
        return split_names(value) if facet.many else value


def facet_column(facet: Facet) -> models.Field:
    """The column a facet's values are kept in; names of a facet holding many, joined."""
    if facet.many:
        return models.TextField(blank=True)
    if facet.number:
        return models.PositiveSmallIntegerField(null=True, blank=True)
    return models.CharField(max_length=facet.max_length, blank=True)


for declared in FACETS:
    SearchFacetSet.add_to_class(declared.name, facet_column(declared))


class SearchRecord(models.Model):
    """One findable thing: its text, address and date, and the facet set it belongs to."""

    key = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=100, db_index=True)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
    facet_set = models.ForeignKey(SearchFacetSet, on_delete=models.PROTECT, related_name="records")

    class Meta:
        indexes = [models.Index(fields=["date"], name="search_record_date")]

    def __str__(self):
        return self.title
