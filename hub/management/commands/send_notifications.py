"""Reminders, digests and retries: the notification run, meant for a daily schedule."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from hub import notices


class Command(BaseCommand):
    help = (
        "Send today's reminders (actions due or overdue, policies due for review, milestones "
        "turned red), the daily and weekly digests, and retry emails that failed. Safe to run "
        "more than once a day: nobody is sent the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retries-only",
            action="store_true",
            help="Only retry emails whose next attempt is due.",
        )

    def handle(self, *args, retries_only=False, **options):
        if not retries_only:
            today = timezone.localdate()
            reminders = notices.run_reminders(today=today)
            digests = notices.send_digests(today=today)
            self.stdout.write(f"{len(reminders)} reminders and {len(digests)} digests to send.")
        retried = notices.retry_due()
        self.stdout.write(f"{retried} emails sent on a retry.")
