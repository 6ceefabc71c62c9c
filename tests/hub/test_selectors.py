"""The site's own reads: the home page's recently published pages, newest first."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from hub import selectors
from hub.audiences import Audience, set_page_audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(home, role_groups):
    """Five pages published a day apart, the third for staff only."""
    pages = []
    for day in range(1, 6):
        page = home.add_child(instance=Page(title=f"Published on day {day}", slug=f"day-{day}"))
        stamp = timezone.make_aware(datetime.datetime(2015, 3, day, 9))
        Page.objects.filter(pk=page.pk).update(last_published_at=stamp)
        pages.append(page)
    set_page_audience(page=pages[2], audience=Audience.STAFF)
    return pages


def titles(pages) -> list[str]:
    return [page.title for page in pages]


def test_recently_published_is_newest_first_and_only_what_the_reader_may_see(people, published):
    anonymous = selectors.recent_changes(user=people["anonymous"], limit=3)
    staff = selectors.recent_changes(user=people["staff"], limit=3)

    assert titles(anonymous) == ["Published on day 5", "Published on day 4", "Published on day 2"]
    assert titles(staff) == ["Published on day 5", "Published on day 4", "Published on day 3"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_recently_published_reads_the_newest_from_an_index_and_stops(people, published):
    plan = selectors.recently_published(user=people["partner"])[:8].explain()

    assert "USING INDEX hub_page_last_published_at" in plan
    assert "TEMP B-TREE" not in plan
