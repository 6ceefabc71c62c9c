"""The search-record projection: one row per findable thing, with who may see it.

Rows are written only by ``search.indexing`` from the records domain apps hand
over; the full-text index over them (SQLite FTS5 or a PostgreSQL tsvector) is
created by the migrations for the database in use and kept in step by it.
SQLite rebuilds a table to alter its columns, dropping its triggers and indexes:
a migration that changes ``SearchRecord`` must recreate those of migration 0002.
"""

from django.db import models


class SearchRecord(models.Model):
    """One findable thing: its text, address, facets and date, as its app described it."""

    key = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    policy_kind = models.CharField(max_length=100, blank=True)
    panel = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=60, blank=True)
    current = models.BooleanField(default=True)
    # The audience keys that may see the record, space-delimited with a space at
    # each end (" partners staff "), so one LIKE per key of the reader's tests it
    # inside the query, in the same row as the facets.
    audiences = models.CharField(max_length=1000)

    class Meta:
        indexes = [models.Index(fields=["current", "date"])]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SearchMilestone(models.Model):
    """An improvement-plan milestone a record serves, for the milestone facet."""

    record = models.ForeignKey(SearchRecord, on_delete=models.CASCADE, related_name="milestones")
    ref = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "ref"], name="unique_search_milestone")
        ]
        indexes = [models.Index(fields=["ref"])]

    def __str__(self):
        return self.ref
