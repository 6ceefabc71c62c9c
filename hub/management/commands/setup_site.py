"""Create or update what a new installation needs: roles, audience collections, a home page."""

from django.core.management.base import BaseCommand

from hub.site_setup import set_up_site


class Command(BaseCommand):
    help = (
        "Create the roles with their permissions, the audience collections and the home "
        "page. Safe to rerun: every deployment runs it as it starts."
    )

    def handle(self, *args, **options):
        setup = set_up_site()
        for name in setup.roles:
            self.stdout.write(f"  {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(setup.roles)} roles, {len(setup.collections)} audience collections "
                f"and the home page ({setup.home.url_path}) are in place."
            )
        )
