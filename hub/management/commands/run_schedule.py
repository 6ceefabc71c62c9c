"""The scheduler: runs the periodic jobs of ``HUB_SCHEDULE`` until it is stopped."""

import signal

from django.core.management.base import BaseCommand
from django.utils import timezone

from hub import schedule


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (publishing scheduled pages, pruning, clearing sessions) "
        "at their times. Run exactly one for the whole site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_only",
            help="Show each job and when it next runs, then stop.",
        )

    def handle(self, *args, list_only=False, **options):
        jobs = schedule.configured_jobs()
        if list_only:
            now = timezone.localtime()
            for job in jobs:
                upcoming = job.trigger.get_next_fire_time(None, now)
                self.stdout.write(
                    f"  {job.name}: manage.py {' '.join(job.command)}; "
                    f"next at {upcoming:%Y-%m-%d %H:%M:%S %Z}"
                )
            return
        clock = schedule.scheduler(jobs)
        # Stopped by the process manager (SIGTERM) or by hand: a running job finishes first.
        signal.signal(signal.SIGTERM, lambda *_: clock.shutdown())
        schedule.logger.info("Scheduler started: %s", ", ".join(job.name for job in jobs))
        try:
            clock.start()
        except KeyboardInterrupt:
            clock.shutdown()
