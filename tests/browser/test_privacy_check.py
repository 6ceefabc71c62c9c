"""A secretary meets the privacy check in the meeting editor, moves the sentence that names a
child to the confidential part, and sends the minutes for approval."""

import re

import pytest
from playwright.sync_api import expect

from panels.models import MeetingPage
from tests.browser.conftest import finish_answering_requests, give_demo_passwords, sign_in
from tests.panels import conftest as panel_fixtures

pytestmark = pytest.mark.browser

index = panel_fixtures.index
masp = panel_fixtures.masp
meeting = panel_fixtures.meeting

MINUTES = "agenda-0-value-minutes"
SENTENCE = "Jayden Smith, DOB 03/04/2012, was discussed; his school is worried."


@pytest.fixture
def site(live_server, transactional_db, people):
    give_demo_passwords(people)
    yield live_server
    finish_answering_requests()


def write(page, field: str, text: str):
    """Replace what the rich text box ``field`` holds, as a person would: select it all and
    type, then wait for the editor to keep it in the form (it does so a moment later)."""
    kept = page.locator(f"[name={field}]")
    editor = kept.locator("xpath=..").locator("[contenteditable=true]")
    editor.click()
    editor.press("Control+A")
    editor.press_sequentially(text)
    expect(kept).to_have_value(re.compile(re.escape(text)))


def send_for_approval(page):
    page.get_by_role("button", name="More actions").click()
    actions = page.get_by_role("navigation", name="Actions (footer)")
    actions.get_by_role("button", name="Send minutes for approval").click()


def test_a_secretary_moves_a_childs_details_to_the_confidential_part(site, meeting, page):
    sign_in(page, site.url, "secretary")
    page.goto(f"{site.url}/admin/pages/{meeting.pk}/edit/")
    write(page, MINUTES, SENTENCE)
    page.get_by_label("Children discussed").fill("Jayden Smith")
    send_for_approval(page)

    expect(
        page.get_by_text("The privacy check found 2 possible identifying details")
    ).to_be_visible()
    check = page.get_by_role("region", name="Privacy check: 2 possible identifying details")
    expect(check.get_by_role("listitem")).to_have_count(2)
    expect(check).to_contain_text("Date of birth in agenda item 1, “Cases”: minutes")
    expect(check).to_contain_text("Child's name in agenda item 1, “Cases”: minutes: “Jayden Smith”")
    assert MeetingPage.objects.get(pk=meeting.pk).workflow_in_progress is False

    write(page, MINUTES, "A child's case was discussed; the school is worried.")
    write(page, "confidential_minutes", SENTENCE)
    send_for_approval(page)

    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()
    submitted = MeetingPage.objects.get(pk=meeting.pk)
    assert submitted.workflow_in_progress
    latest = submitted.get_latest_revision_as_object()
    assert "DOB" in str(latest.confidential_minutes)
    assert "DOB" not in str(latest.agenda[0].value["minutes"])
