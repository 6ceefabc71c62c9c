"""Each facet set column is named as its facet is declared: ``milestones`` becomes ``milestone``.

Facet sets are signed over their current state and audiences, then the facet
columns in declared order; existing sets are signed again that way, so a
record written after this finds the set its values already have.
"""

import hashlib

from django.db import migrations, models

FACET_COLUMNS = ("kind", "policy_kind", "panel", "year", "status", "milestone")


def sign_again(apps, schema_editor):
    facet_sets = apps.get_model("search", "SearchFacetSet").objects.using(
        schema_editor.connection.alias
    )
    for found in facet_sets.iterator():
        values = (found.current, found.audiences, *(getattr(found, n) for n in FACET_COLUMNS))
        found.signature = hashlib.sha256(repr(values).encode()).hexdigest()
        found.save(update_fields=["signature"])


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgresql_matching_table")]

    operations = [
        migrations.RenameField(
            model_name="searchfacetset", old_name="milestones", new_name="milestone"
        ),
        migrations.AlterField(
            model_name="searchfacetset",
            name="kind",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(sign_again, migrations.RunPython.noop),
    ]
