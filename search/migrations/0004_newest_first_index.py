"""An index in the order listings without words are shown, newest first (PostgreSQL).

PostgreSQL reads ``search_record_date`` backwards as newest first with undated
records first, the opposite of the order listings want, so a listing sorted
every record instead of reading twenty entries. SQLite already keeps undated
records at the low end of that index, and needs nothing more.
"""

from django.db import migrations

INDEX = "search_record_newest"


def on_postgresql(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_sets")]

    operations = [
        migrations.RunPython(
            on_postgresql(
                f"CREATE INDEX {INDEX} ON search_searchrecord (date DESC NULLS LAST, id DESC)"
            ),
            on_postgresql(f"DROP INDEX IF EXISTS {INDEX}"),
        ),
    ]
