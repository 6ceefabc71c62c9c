"""``manage.py setup_site``: what a new installation needs, made sure of at every start."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Collection, Page, Site

from hub import roles
from hub.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def new_installation():
    """What the migrations leave: Wagtail's welcome page as the site's root, no roles."""
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    Group.objects.all().delete()
    welcome = Page.get_first_root_node().add_child(instance=Page(title="Welcome", slug="home"))
    Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)


def set_up() -> str:
    out = io.StringIO()
    call_command("setup_site", stdout=out)
    return out.getvalue()


def test_a_new_installation_gets_the_roles_collections_and_home_page():
    assert not HomePage.objects.exists()
    output = set_up()

    site = Site.objects.get(is_default_site=True)
    assert type(site.root_page.specific) is HomePage
    assert site.root_page.live
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.STAFF, roles.PARTNERS, roles.APPROVERS, roles.ADMINISTRATORS} <= names
    assert "the home page (/safeguarding-hub/) are in place" in output


def test_wagtails_welcome_page_is_replaced():
    welcome = Site.objects.get(is_default_site=True).root_page
    assert type(welcome.specific) is Page
    set_up()
    assert not Page.objects.filter(pk=welcome.pk).exists()


def test_running_it_again_changes_nothing():
    set_up()
    counts = (Page.objects.count(), Group.objects.count(), Collection.objects.count())
    set_up()
    assert (Page.objects.count(), Group.objects.count(), Collection.objects.count()) == counts
    assert HomePage.objects.count() == 1
