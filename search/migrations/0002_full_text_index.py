"""The full-text index over search records, in the form the database in use offers.

SQLite: an FTS5 table over the records' title and text (porter stemming, bm25
ranking with titles weighted), kept in step by triggers. PostgreSQL: a stored
tsvector column (English configuration, titles weighted A) with a GIN index.
On SQLite a covering index holds every column searches filter and count on.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, text,
        content='search_searchrecord', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchrecord BEGIN
        INSERT INTO search_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchrecord BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchrecord BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO search_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    # A word in the title counts ten times one in the text.
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
    # Matching rows are filtered and counted from this index, not the wide rows.
    """CREATE INDEX search_record_facets ON search_searchrecord
        (id, current, date, year, kind, policy_kind, panel, status, audiences)""",
]
SQLITE_BACKWARD = [
    "DROP INDEX search_record_facets",
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]
POSTGRESQL_FORWARD = [
    """ALTER TABLE search_searchrecord ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', text), 'B')
        ) STORED""",
    "CREATE INDEX search_record_vector ON search_searchrecord USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX search_record_vector",
    "ALTER TABLE search_searchrecord DROP COLUMN search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
