"""An index for the home page's "Recently published": newest first, a few at a time."""

from django.db import migrations

INDEX = "hub_page_last_published_at"


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_withdrawals"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (last_published_at)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
