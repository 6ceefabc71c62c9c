"""A reader follows a panel, the chair publishes its minutes, and the email leads to them.

Email goes through a real SMTP server the test starts; the link is followed in the
browser as the reader who received it, and the email's own link stops the emails.
"""

import re

import pytest
from playwright.sync_api import expect

from panels.models import MeetingPage, MeetingStatus
from tests.browser.conftest import (
    assert_accessible,
    finish_answering_requests,
    give_demo_passwords,
    sign_in,
)
from tests.mail import text_of
from tests.panels import conftest as panel_fixtures

pytestmark = pytest.mark.browser

index = panel_fixtures.index
masp = panel_fixtures.masp

TITLE = "MASP meeting, 11 March 2015"


@pytest.fixture
def site(live_server, transactional_db, people, settings, mailbox):
    """The live server, with email links on its own address and a real SMTP server."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    give_demo_passwords(people)
    yield live_server
    finish_answering_requests()


@pytest.fixture
def minutes_awaiting_the_chair(masp, people):
    """Minutes of a held meeting, sent by the secretary for the chair to approve."""
    meeting = MeetingPage(
        title=TITLE,
        slug="2015-03-11",
        starts_at=panel_fixtures.at("2015-03-11"),
        status=MeetingStatus.HELD,
        live=False,
        confidential_minutes="<p>The Zebedee family case.</p>",
        agenda=[("item", {"title": "Briefings", "presenter": "", "minutes": "<p>Agreed.</p>"})],
    )
    masp.add_child(instance=meeting)
    meeting.save_revision(user=people["secretary"])
    meeting.get_workflow().start(meeting, people["secretary"])
    return meeting


def test_a_follower_hears_of_published_minutes_and_the_link_opens_them(
    site, minutes_awaiting_the_chair, people, mailbox, page
):
    url = site.url
    sign_in(page, url, "staff")
    page.goto(f"{url}/panels/masp/")
    page.get_by_role("button", name="Follow MASP panel by email").click()
    expect(page.get_by_text("You are following MASP panel.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, url, "approver")
    page.goto(f"{url}/admin/")
    waiting = page.get_by_role("region", name="Awaiting your review")
    waiting.get_by_role("row", name=TITLE).get_by_role("button", name="Actions").click()
    waiting.get_by_role("button", name="Approve", exact=True).click()
    expect(waiting).to_have_count(0)

    emails = mailbox.to("staff@hub.example")
    assert [email["Subject"] for email in emails] == [f"Minutes of MASP panel: {TITLE}"]
    text = text_of(emails[0])
    assert "Zebedee" not in text
    link = re.search(rf"{re.escape(url)}/panels/masp/2015-03-11/\S*", text).group(0)

    page.context.clear_cookies()
    sign_in(page, url, "staff")
    page.goto(link)
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    page.goto(f"{url}/notifications/")
    expect(page.get_by_role("heading", name="Your notifications")).to_be_visible()
    expect(page.get_by_role("link", name=f"Minutes of MASP panel: {TITLE}")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    stop = re.search(r"Stop these emails: (\S+)", text).group(1)
    page.goto(stop)
    expect(page.get_by_text("You will no longer get: Updates on MASP panel.")).to_be_visible()
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", name="You will not get these emails again")).to_be_visible()
    assert_accessible(page)
