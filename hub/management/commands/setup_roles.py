"""Create or update the role groups, their permissions and the audience collections."""

from django.core.management.base import BaseCommand

from hub import roles
from hub.collections import ensure_audience_collections


class Command(BaseCommand):
    help = "Create the roles with their permissions, and the audience collections. Safe to rerun."

    def handle(self, *args, **options):
        groups = roles.ensure_roles()
        collections = ensure_audience_collections()
        for name in groups:
            self.stdout.write(f"  {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(groups)} roles and {len(collections)} audience collections are in place."
            )
        )
