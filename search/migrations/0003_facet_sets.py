"""Facet values and audiences move from each record to the facet sets records share.

Existing records are grouped into facet sets here, so search keeps working
without a rebuild. SQLite remakes the records table on the way, dropping the
full-text triggers, which are created again at the end with the covering index
searches now read.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models

SEPARATOR = "\n"
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
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
]

OLD_FACET_INDEX = """CREATE INDEX search_record_facets ON search_searchrecord
    (id, current, date, year, kind, policy_kind, panel, status, audiences)"""


def on_sqlite(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


def group_records(apps, schema_editor):
    """Give every existing record the facet set of its current values."""
    using = schema_editor.connection.alias
    records = apps.get_model("search", "SearchRecord").objects.using(using)
    facet_sets = apps.get_model("search", "SearchFacetSet").objects.using(using)
    milestones = {}
    refs = apps.get_model("search", "SearchMilestone").objects.using(using)
    for record_id, ref in refs.values_list("record_id", "ref"):
        milestones.setdefault(record_id, []).append(" ".join(ref.split()))
    fields = ("kind", "policy_kind", "panel", "year", "status", "current", "audiences")
    sets = {}
    for record in records.values("id", *fields).iterator():
        names = sorted(set(milestones.get(record["id"], [])))
        joined = SEPARATOR + SEPARATOR.join(names) + SEPARATOR if names else ""
        values = (*(record[name] for name in fields), joined)
        key = hashlib.sha256(repr(values).encode()).hexdigest()
        if key not in sets:
            sets[key] = (
                facet_sets.create(
                    signature=key, milestones=joined, **{n: record[n] for n in fields}
                ).pk,
                [],
            )
        sets[key][1].append(record["id"])
    for facet_set_id, record_ids in sets.values():
        records.filter(pk__in=record_ids).update(facet_set_id=facet_set_id)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        migrations.RunPython(
            on_sqlite(["DROP INDEX IF EXISTS search_record_facets"]),
            # Going back, the remade table needs its triggers and old index again.
            on_sqlite([*SQLITE_TRIGGERS, OLD_FACET_INDEX]),
        ),
        migrations.CreateModel(
            name="SearchFacetSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signature", models.CharField(max_length=64, unique=True)),
                ("kind", models.CharField(max_length=60)),
                ("policy_kind", models.CharField(blank=True, max_length=100)),
                ("panel", models.CharField(blank=True, max_length=200)),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("status", models.CharField(blank=True, max_length=60)),
                ("current", models.BooleanField(default=True)),
                ("audiences", models.CharField(max_length=1000)),
                ("milestones", models.TextField(blank=True)),
            ],
        ),
        migrations.AddField(
            model_name="searchrecord",
            name="facet_set",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="search.searchfacetset",
            ),
        ),
        migrations.RunPython(group_records, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="searchrecord", name="search_sear_current_0be3af_idx"),
        migrations.DeleteModel(name="SearchMilestone"),
        *(
            migrations.RemoveField(model_name="searchrecord", name=name)
            for name in (
                "kind",
                "policy_kind",
                "panel",
                "year",
                "status",
                "current",
                "audiences",
            )
        ),
        migrations.AlterField(
            model_name="searchrecord",
            name="facet_set",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="search.searchfacetset",
            ),
        ),
        migrations.AddIndex(
            model_name="searchrecord",
            index=models.Index(fields=["date"], name="search_record_date"),
        ),
        migrations.RunPython(
            on_sqlite(
                [
                    *SQLITE_TRIGGERS,
                    # Matches are filtered, counted and sorted by date from this
                    # index, not from the wide rows holding the text.
                    "CREATE INDEX search_record_matching ON search_searchrecord "
                    "(id, facet_set_id, date)",
                ]
            ),
            on_sqlite(["DROP INDEX IF EXISTS search_record_matching"]),
        ),
    ]
