"""``manage.py backup``: the database and every uploaded file in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub import backup


class Command(BaseCommand):
    help = (
        "Write the database and every file under MEDIA_ROOT to one archive (.tar) with a "
        "manifest of checksums. Restore it with manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive's path, or a folder to write a dated archive into "
            "(default: var/backups/).",
        )

    def handle(self, *args, output, **options):
        try:
            path = backup.create_backup(output=output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / (1 << 20)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size:,.1f} MB)."))
