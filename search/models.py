"""The search-record projection: one row per findable thing, with who may see it.

Rows are written only by ``search.indexing`` from the records domain apps hand
over; the full-text index over them (SQLite FTS5 or a PostgreSQL table of
tsvectors) is created by the migrations for the database in use and kept in step
by triggers. SQLite rebuilds a table to alter its columns, dropping its triggers
and indexes: a migration that changes ``SearchRecord`` must recreate those of
migration 0003. PostgreSQL's triggers (migration 0005) copy the title, text,
facet set and date by name.
"""

from collections.abc import Iterable

from django.db import models

# Milestone names in a facet set are joined by this, with one at each end, so a
# plain substring test finds a whole name.
MILESTONE_SEPARATOR = "\n"


def milestone_name(name: str) -> str:
    """A milestone name as facet sets keep it: on one line, words one space apart."""
    return " ".join(name.split())


def joined_milestones(names: Iterable[str]) -> str:
    """Milestone names as a facet set stores them, as the milestone filter looks for them."""
    # Names are kept on one line each, so the separator never occurs inside one.
    names = sorted({milestone_name(name) for name in names} - {""})
    if not names:
        return ""
    return MILESTONE_SEPARATOR + MILESTONE_SEPARATOR.join(names) + MILESTONE_SEPARATOR


class SearchFacetSet(models.Model):
    """Facet values and audiences that many records share.

    A search filters and counts a few hundred facet sets rather than every
    matching record: records name their set, and only that number is read for
    each match.
    """

    # A digest of every field below, so each combination is stored once.
    signature = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=60)
    policy_kind = models.CharField(max_length=100, blank=True)
    panel = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=60, blank=True)
    current = models.BooleanField(default=True)
    # The audience keys that may see the records, space-delimited with a space
    # at each end (" partners staff "), so one substring test per key of the
    # reader's decides it.
    audiences = models.CharField(max_length=1000)
    # Milestone names joined by MILESTONE_SEPARATOR, one at each end; blank for none.
    milestones = models.TextField(blank=True)

    def __str__(self):
        return f"{self.kind} ({self.audiences.strip()})"

    @property
    def milestone_names(self) -> list[str]:
        return [name for name in self.milestones.split(MILESTONE_SEPARATOR) if name]


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
