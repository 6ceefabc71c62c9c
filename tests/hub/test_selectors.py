"""The site's own reads: the home page's recently published versions, minutes and decisions."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from hub import selectors
from hub.audiences import Audience
from panels.models import MeetingStatus
from tests.panels import conftest as panel_fixtures
from tests.panels.conftest import make_meeting
from tests.panels.test_views import add_decision

pytestmark = pytest.mark.django_db

# Versions, minutes and decisions, made as the policy library and panels tests make them.
library = panel_fixtures.library
owner = panel_fixtures.owner
approver_person = panel_fixtures.approver_person
make_policy = panel_fixtures.make_policy
index = panel_fixtures.index
masp = panel_fixtures.masp
crp = panel_fixtures.crp


def stamp(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T09:00"))


def held_meeting(panel, day: str, *, decisions=()):
    meeting = make_meeting(panel, day=day, status=MeetingStatus.HELD)
    for title in decisions:
        meeting = add_decision(meeting, title=title)
    published = stamp(day) + datetime.timedelta(days=2)
    Page.objects.filter(pk=meeting.pk).update(
        first_published_at=published, last_published_at=published
    )
    return meeting


@pytest.fixture
def published(make_policy, masp, crp):
    """A policy version, minutes with a decision, and a members-only panel's minutes."""
    policy = make_policy(title="Transfer Protocol", audience=Audience.PARTNERS)
    policy.versions.update(published_at=stamp("2015-01-20"))
    held_meeting(masp, "2015-01-14", decisions=["Adopt the transfer protocol"])
    held_meeting(crp, "2015-01-21", decisions=["Review child X"])
    make_meeting(masp, day="2015-02-11")


def titles(user, limit=8) -> list[tuple[str, datetime.date]]:
    return [
        (item.title, item.published) for item in selectors.recent_changes(user=user, limit=limit)
    ]


def test_recently_published_lists_versions_minutes_and_decisions_by_their_own_dates(
    people, published
):
    assert titles(people["partner"]) == [
        ("Transfer Protocol, version 1", datetime.date(2015, 1, 20)),
        ("Minutes: MASP meeting 2015-01-14", datetime.date(2015, 1, 16)),
        ("MASP/2015/01/D1: Adopt the transfer protocol", datetime.date(2015, 1, 14)),
    ]


def test_recently_published_holds_only_what_the_reader_may_read(people, published):
    assert titles(people["anonymous"]) == []
    assert "Minutes: CRP meeting 2015-01-21" not in dict(titles(people["staff"]))
    assert titles(people["partner"], limit=1) == [
        ("Transfer Protocol, version 1", datetime.date(2015, 1, 20))
    ]


def test_the_home_page_says_what_each_item_is_and_when(client, people, published, home):
    client.force_login(people["partner"])

    html = client.get(home.url).content.decode()

    assert 'Decided <time datetime="2015-01-14">14 January 2015</time>' in html
    assert 'Published <time datetime="2015-01-20">20 January 2015</time>' in html
    assert "MASP panel" not in html.split('id="recent-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("count", [2, 12])
def test_recently_published_takes_the_same_queries_however_much_there_is(
    people, make_policy, masp, django_assert_num_queries, count
):
    for n in range(count):
        make_policy(title=f"Policy {n}", audience=Audience.PARTNERS)
        held_meeting(masp, f"2015-01-{n + 1:02d}", decisions=[f"Decision {n}"])

    with django_assert_num_queries(8):
        assert len(selectors.recent_changes(user=people["partner"], limit=8)) == min(8, 3 * count)
