"""The planner's statistics: refreshed by the site after bulk loads, and what they buy."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from hub import changes
from hub.audiences import Audience, set_page_audience, visible_to
from hub.database import refresh_statistics
from tests.cases import failures
from tests.databases import analysed_tables, forget_statistics
from tests.testapp.models import PlainPage

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's own table of statistics"
)


@pytest.fixture
def site_pages(home, panel_group):
    """Pages of several audiences, as the site has, and a few of one type among them."""
    for audience in Audience:
        page = home.add_child(instance=Page(title=audience.label, slug=audience.value))
        set_page_audience(
            page=page,
            audience=audience,
            panel_group=panel_group if audience == Audience.PANEL else None,
        )
        for number in range(5):
            page.add_child(instance=Page(title=f"Other {number}", slug=f"other-{number}"))
    for number in range(2):
        home.add_child(instance=PlainPage(title=f"Plain {number}", slug=f"plain-{number}"))


@sqlite_only
def test_pages_of_one_type_are_read_from_their_own_table_once_statistics_are_kept(
    people, site_pages
):
    """However many other pages the site holds, listing one type of page reads only those."""

    def reads_its_own_table(role):
        pages = visible_to(people[role], PlainPage.objects.live().order_by("title"))
        plan = pages.explain()
        assert "SCAN wagtailcore_page" not in plan, plan
        assert [page.title for page in pages] == ["Plain 0", "Plain 1"]

    refresh_statistics()

    assert failures(["anonymous", "partner", "staff", "panel_member"], reads_its_own_table) == []


@sqlite_only
def test_a_bulk_load_refreshes_the_statistics(home):
    forget_statistics()

    with changes.deferred():
        home.add_child(instance=PlainPage(title="Loaded", slug="loaded"))

    assert {"wagtailcore_page", "testapp_plainpage"} <= analysed_tables()


@sqlite_only
def test_the_command_refreshes_the_statistics(home):
    forget_statistics()
    out = io.StringIO()

    call_command("refresh_statistics", stdout=out)

    assert out.getvalue() == "Statistics refreshed.\n"
    assert "wagtailcore_page" in analysed_tables()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalogue")
def test_postgresql_counts_the_rows_of_a_bulk_load_at_once(home):
    with changes.deferred():
        for number in range(30):
            home.add_child(instance=PlainPage(title=f"Loaded {number}", slug=f"loaded-{number}"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'testapp_plainpage'")
        (estimate,) = cursor.fetchone()
    assert estimate == PlainPage.objects.count() == 30
