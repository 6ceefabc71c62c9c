"""A risk's history keeps when each entry was written, and reasons of any length."""

import django.utils.timezone
from django.db import migrations, models


def date_entries_as_written(apps, schema_editor):
    """Entries written so far took effect when they were written."""
    HistoricalRisk = apps.get_model("improvement", "HistoricalRisk")
    HistoricalRisk.objects.update(recorded_at=models.F("history_date"))


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0002_plan_log_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrisk",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="historicalrisk",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(date_entries_as_written, migrations.RunPython.noop),
    ]
