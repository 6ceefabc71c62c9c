"""The admin's log of actions moves to the log kept for records with an audience.

Wagtail's general log names every entry to anyone with a permission on the
model; ``hub.models.RecordLogEntry`` names them only to their audience.
"""

from django.db import migrations

MODELS = ("action",)
FIELDS = (
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def move_log_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    RecordLogEntry = apps.get_model("hub", "RecordLogEntry")
    kinds = ContentType.objects.filter(app_label="panels", model__in=MODELS)
    entries = ModelLogEntry.objects.filter(content_type__in=kinds)
    RecordLogEntry.objects.bulk_create(
        RecordLogEntry(
            content_type_id=entry.content_type_id,
            **{field: getattr(entry, field) for field in FIELDS},
        )
        for entry in entries.iterator()
    )
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0003_action_milestones_decision_milestones_and_more"),
        ("hub", "0003_admin_access"),
    ]

    operations = [
        migrations.RunPython(move_log_entries, migrations.RunPython.noop, elidable=True),
    ]
