from django.core.management.base import BaseCommand

from hub.database import refresh_statistics


class Command(BaseCommand):
    help = (
        "Refresh the database's statistics for its query planner. Run it daily, and after "
        "loading many records outside the site."
    )

    def handle(self, *args, **options):
        refresh_statistics()
        self.stdout.write("Statistics refreshed.")
