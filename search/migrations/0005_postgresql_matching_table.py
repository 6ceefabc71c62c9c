"""PostgreSQL matches words in a narrow table of its own, as SQLite does in FTS5.

The tsvector was a column of the records, so a search for a common word read
every record's title and text with it (about 1.5 KB a row at 100,000 records,
more than PostgreSQL's default buffer cache holds). ``search_fts`` keeps only
what matching, counting and paging read: the record's id, facet set, date and
tsvector. Statement triggers keep it in step with the records, a batch in one
statement; TRUNCATE, which fires no delete trigger, empties it too. The
records keep the dropped column's space until they are rewritten, as
``manage.py search_index rebuild`` rewrites them all.
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english', title), 'A') "
    "|| setweight(to_tsvector('english', text), 'B')"
)
EVENTS = {
    "insert": "AFTER INSERT ON search_searchrecord REFERENCING NEW TABLE AS new_rows",
    "update": (
        "AFTER UPDATE ON search_searchrecord "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
    "delete": "AFTER DELETE ON search_searchrecord REFERENCING OLD TABLE AS old_rows",
    "truncate": "AFTER TRUNCATE ON search_searchrecord",
}

FORWARD = [
    """CREATE TABLE search_fts (
        id bigint PRIMARY KEY,
        facet_set_id bigint NOT NULL,
        date date,
        vector tsvector NOT NULL
    )""",
    # Each branch names only the transition tables its event has.
    f"""CREATE FUNCTION search_fts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE search_fts;
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_fts f USING old_rows o WHERE f.id = o.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_fts (id, facet_set_id, date, vector)
            SELECT id, facet_set_id, date, {VECTOR} FROM new_rows;
        END IF;
        RETURN NULL;
    END
    $$""",
    *(
        f"CREATE TRIGGER search_fts_{event} {when} "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_fts_follow()"
        for event, when in EVENTS.items()
    ),
    """INSERT INTO search_fts (id, facet_set_id, date, vector)
        SELECT id, facet_set_id, date, search_vector FROM search_searchrecord""",
    "CREATE INDEX search_fts_vector ON search_fts USING GIN (vector)",
    "DROP INDEX search_record_vector",
    "ALTER TABLE search_searchrecord DROP COLUMN search_vector",
]
BACKWARD = [
    f"""ALTER TABLE search_searchrecord ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS ({VECTOR}) STORED""",
    "CREATE INDEX search_record_vector ON search_searchrecord USING GIN (search_vector)",
    *(f"DROP TRIGGER search_fts_{event} ON search_searchrecord" for event in EVENTS),
    "DROP FUNCTION search_fts_follow()",
    "DROP TABLE search_fts",
]


def on_postgresql(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0004_newest_first_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
