"""Create or update the role groups and their permissions."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from hub import roles


class Command(BaseCommand):
    help = "Create the role groups with their permissions. Safe to run again."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        groups = roles.ensure_roles(root_page=site.root_page if site else None)
        for name in groups:
            self.stdout.write(f"  {name}")
        self.stdout.write(self.style.SUCCESS(f"{len(groups)} roles are in place."))
