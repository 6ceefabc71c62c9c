"""``manage.py restore``: an archive from ``manage.py backup`` onto a new, empty site."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hub import backup


class Command(BaseCommand):
    help = (
        "Restore an archive from manage.py backup onto an empty database and an empty media "
        "folder (no migrate needed first), then rebuild search."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive (.tar) to restore.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Restore without asking for confirmation.",
        )

    def handle(self, *args, archive, interactive, **options):
        try:
            with backup.unpack(archive=archive) as unpacked:
                backup.check_target(manifest=unpacked.manifest)
                if interactive and not self.confirmed(unpacked.manifest):
                    raise CommandError("Restore cancelled; nothing was changed.")
                summary = backup.restore(unpacked=unpacked, stdout=self.stdout)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.tables} tables ({summary.rows:,} rows), "
                f"{summary.files:,} files and {summary.search_records:,} search records."
            )
        )

    def confirmed(self, manifest: dict) -> bool:
        answer = input(
            f"Restore the backup made {manifest['created']} into the database "
            f"{connection.settings_dict['NAME']} and the media folder {settings.MEDIA_ROOT}? "
            "Type 'yes' to continue: "
        )
        return answer == "yes"
