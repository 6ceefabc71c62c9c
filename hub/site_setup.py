"""What a new installation needs before anyone signs in: roles, audience collections, a home page.

Every step is idempotent, so each deployment runs ``manage.py setup_site`` as it starts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from hub import roles
from hub.collections import ensure_audience_collections
from hub.models import HomePage

HOME_INTRO = (
    "<p>The policies that decide when a child gets help, and the decisions and actions "
    "of the panels that oversee that help, in one place for children's services and "
    "the Local Safeguarding Children Board partnership.</p>"
)


def ensure_home_page() -> HomePage:
    """The site's home page, created and made the default site's root if missing."""
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _tree_roots()
        home = root.add_child(
            instance=HomePage(title="Safeguarding Hub", slug="safeguarding-hub", intro=HOME_INTRO)
        )
        home.save_revision().publish()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        starter = site.root_page
        site.root_page = home
        site.site_name = "Safeguarding Hub"
        site.save()
        # Wagtail's "Welcome" page is replaced by the home page.
        if type(starter.specific) is Page and not starter.get_children().exists():
            starter.delete()
    return home


def _tree_roots() -> Page:
    """Wagtail's root page, collection and locale, which a flushed database no longer has."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )


@dataclass(frozen=True)
class SiteSetup:
    """What ``set_up_site`` made sure of."""

    home: HomePage
    roles: list[str]
    collections: list[str]


def set_up_site() -> SiteSetup:
    """Make sure of the roles, the audience collections and the home page."""
    groups = roles.ensure_roles()
    collections = ensure_audience_collections()
    return SiteSetup(home=ensure_home_page(), roles=list(groups), collections=list(collections))
