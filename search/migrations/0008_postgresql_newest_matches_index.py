"""The matching table in the order words in most records are listed, newest first (PostgreSQL).

A search for words in most records reads the matching table newest first,
testing each row, until a page is full (see ``search.engines.database``).
"""

from django.db import migrations

INDEX = "search_fts_newest"


def on_postgresql(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgresql_keeps_stop_words")]

    operations = [
        migrations.RunPython(
            on_postgresql(f"CREATE INDEX {INDEX} ON search_fts (date DESC NULLS LAST, id DESC)"),
            on_postgresql(f"DROP INDEX IF EXISTS {INDEX}"),
        ),
    ]
