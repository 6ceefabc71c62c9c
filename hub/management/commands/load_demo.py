"""Load the demo content: the site, then each domain app in turn."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub import changes, demo, notices
from improvement import demo as improvement_demo
from panels import demo as panels_demo
from policies import demo as policies_demo

# Each app's demo builds on the ones before it (policies and decisions name the
# milestones they serve, decisions approve policies), so the order matters.
DEMO_STEPS = (
    ("Site, roles, glossary and accounts", demo.load),
    ("Improvement plan", improvement_demo.load),
    ("Policy library", policies_demo.load),
    ("Panels, meetings and actions", panels_demo.load),
)


class Command(BaseCommand):
    help = "Load the demo content and accounts. Running it again changes nothing."

    def handle(self, *args, **options):
        if not settings.HUB_DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content (with publicly known passwords) is refused by these settings."
            )
        with transaction.atomic():
            # Search is rebuilt once, at the end, rather than after every page and action;
            # publishing records of the past emails nobody.
            with changes.deferred(), notices.quiet():
                for label, step in DEMO_STEPS:
                    step()
                    self.stdout.write(f"  {label}: loaded")
            self.stdout.write("  Search index: rebuilt")
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Sign in with:"))
        width = max(len(account.username) for account in demo.DEMO_ACCOUNTS)
        for account in demo.DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<{width}}  password: {demo.demo_password()}"
                f"   ({account.role}: {account.first_name} {account.last_name})"
            )
        self.stdout.write(
            "To set the site up (a superuser: sees and changes everything, "
            "so use it only for that):\n"
            f"  {demo.SUPERUSER.username:<{width}}  password: {demo.demo_password()}"
        )
        self.stdout.write(
            "Two factors: the accounts that use the admin (secretary, editor, approver, admin,\n"
            "superuser) set up an authenticator app the first time they sign in. Scan the\n"
            "QR code it shows (or type its key) into any authenticator app, enter the 6-digit\n"
            "code, and keep the recovery codes. After that, each sign-in asks for a fresh code."
        )
