"""PostgreSQL matches every word, as FTS5 does: an English configuration that keeps stop words.

PostgreSQL's ``english`` configuration drops stop words ("the", "of", "from"),
so a search for them found nothing there while SQLite found nearly every
record, and a phrase such as "missing from home" matched "missing at home".
``hub_english`` stems English words as ``english`` does (Snowball) but keeps
every word; the matching table's vectors are rebuilt with it.
"""

from django.db import migrations

CONFIGURATION = "hub_english"


def vector(configuration: str, prefix: str = "") -> str:
    return (
        f"setweight(to_tsvector('{configuration}', {prefix}title), 'A') "
        f"|| setweight(to_tsvector('{configuration}', {prefix}text), 'B')"
    )


def follow(configuration: str) -> str:
    """The matching table's trigger function (see 0005) with vectors in ``configuration``."""
    return f"""CREATE OR REPLACE FUNCTION search_fts_follow() RETURNS trigger
    LANGUAGE plpgsql AS $$
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
            SELECT id, facet_set_id, date, {vector(configuration)} FROM new_rows;
        END IF;
        RETURN NULL;
    END
    $$"""


def rebuild_vectors(configuration: str) -> str:
    return (
        f"UPDATE search_fts f SET vector = {vector(configuration, 'r.')} "
        "FROM search_searchrecord r WHERE r.id = f.id"
    )


FORWARD = [
    # Snowball's English stemmer with no stop word list.
    f"CREATE TEXT SEARCH DICTIONARY {CONFIGURATION}_stem "
    "(TEMPLATE = snowball, LANGUAGE = english)",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIGURATION} (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIGURATION} "
    f"ALTER MAPPING REPLACE english_stem WITH {CONFIGURATION}_stem",
    follow(CONFIGURATION),
    rebuild_vectors(CONFIGURATION),
]
BACKWARD = [
    follow("english"),
    rebuild_vectors("english"),
    f"DROP TEXT SEARCH CONFIGURATION {CONFIGURATION}",
    f"DROP TEXT SEARCH DICTIONARY {CONFIGURATION}_stem",
]


def on_postgresql(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0006_facets_named_as_declared")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
