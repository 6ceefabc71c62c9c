"""Emails of panels: minutes published, meetings added or moved, actions due, overdue lists.

Every email goes through a real SMTP server and reaches exactly the people it
concerns or who follow the panel, of those who may read what it is about.
"""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail import hooks

from hub import notices
from hub.audiences import may_see
from hub.models import Notice, NoticeStatus
from panels import services
from panels import wagtail_hooks as panel_hooks
from panels.models import ActionStatus, MeetingPage, MeetingStatus, MembershipRole
from tests.admin_forms import meeting_blocks
from tests.mail import html_of, text_of
from tests.matrix import SIGNED_IN
from tests.panels.conftest import at, make_crp, make_meeting, publish
from tests.panels.test_handlers import approve_through_the_workflow

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Case X discussed."
LINK = re.compile(r"http://testserver(/[^\s\"<>]*)")
MASP_MEMBERS = {"approver", "secretary", "panel_member"}
CRP_MEMBERS = {"other_member", "other_secretary"}


def address(role: str) -> str:
    return f"{role}@hub.example"


def roles_reached(mailbox) -> set[str]:
    return {recipient.removesuffix("@hub.example") for recipient in mailbox.recipients}


def subjects(mailbox, role: str) -> list[str]:
    return [str(message["Subject"]) for message in mailbox.to(address(role))]


def assert_links_resolve(client, person, message):
    """Every link of the email opens, for the person it was sent to."""
    client.force_login(person)
    paths = set(LINK.findall(text_of(message))) | set(LINK.findall(html_of(message)))
    assert paths
    for path in paths:
        response = client.get(path.replace("&amp;", "&"))
        assert response.status_code == 200, (path, response.status_code)


def invitation_of(message):
    """The VEVENT and METHOD of the invitation.ics attached to ``message``."""
    attachments = [part for part in message.iter_attachments() if part.get_filename()]
    assert [part.get_filename() for part in attachments] == ["invitation.ics"]
    calendar = Calendar.from_ical(attachments[0].get_content())
    return calendar.walk("VEVENT")[0], str(calendar["METHOD"])


@pytest.fixture
def crp_with_members(index, people):
    """CRP, members only, with the other panel's secretary and member sitting on it."""
    return make_crp(
        index,
        members=[
            (people["other_secretary"], MembershipRole.SECRETARY),
            (people["other_member"], MembershipRole.MEMBER),
        ],
    )


@pytest.fixture
def publish_now(django_capture_on_commit_callbacks):
    """Publish a page and run what follows its commit: the tasks and the sending."""

    def publish_now(page):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(page)

    return publish_now


def held(meeting):
    meeting.status = MeetingStatus.HELD
    return meeting


def days_ahead(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Minutes ----------------------------------------------------------------------------------


def approve_minutes(client, people, meeting):
    """The secretary sends the minutes of a held meeting to the chair, who approves them."""
    approve_through_the_workflow(
        client,
        people["secretary"],
        people["approver"],
        meeting,
        status="held",
        **meeting_blocks(),
    )


def test_minutes_approved_in_the_workflow_reach_members_and_followers_without_the_confidential_part(
    client, people, masp, meeting, mailbox, django_capture_on_commit_callbacks
):
    notices.subscribe(user=people["partner"], page=masp)
    notices.subscribe(user=people["staff"], page=masp)

    with django_capture_on_commit_callbacks(execute=True):
        approve_minutes(client, people, meeting)

    meeting.refresh_from_db()
    assert meeting.live and meeting.status == MeetingStatus.HELD
    minutes = [
        (recipients, message)
        for recipients, message in mailbox.messages
        if message["Subject"].startswith("Minutes of")
    ]
    # Wagtail's own emails of the workflow go to the secretary and the approver too.
    assert sorted(address for recipients, _ in minutes for address in recipients) == sorted(
        address(role) for role in MASP_MEMBERS | {"partner", "staff"}
    )
    for recipients, message in minutes:
        (role,) = {recipient.removesuffix("@hub.example") for recipient in recipients}
        assert message["Subject"] == f"Minutes of MASP panel: {meeting.title}"
        assert f"http://testserver{meeting.url}" in text_of(message)
        assert "Case X" not in text_of(message) and "Case X" not in html_of(message)
        assert_links_resolve(client, people[role], message)
    assert roles_reached(mailbox) == MASP_MEMBERS | {"partner", "staff"}
    client.force_login(people["panel_member"])
    assert CONFIDENTIAL in client.get(meeting.url).content.decode()


def test_minutes_name_their_decisions_and_are_not_sent_again_when_corrected(
    people, masp, meeting, mailbox, publish_now
):
    decision = services.record_decision(
        meeting=meeting,
        by=people["secretary"],
        title="Adopt the threshold document",
        decision="The threshold document is adopted.",
        decision_maker="The panel",
        outcome="agreed",
    )
    publish_now(held(meeting.get_latest_revision_as_object()))
    assert len(mailbox.messages) == 3
    assert f"{decision.reference} Adopt the threshold document" in text_of(
        mailbox.to(address("panel_member"))[0]
    )
    mailbox.messages.clear()

    corrected = MeetingPage.objects.get(pk=meeting.pk)
    corrected.title = f"{meeting.title} (corrected)"
    publish_now(corrected)

    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("panel_code", "expected"),
    [
        # Partners and staff read the MASP minutes: everyone signed in who follows it hears.
        ("MASP", SIGNED_IN),
        # Only its own members read CRP: followers outside it, a partner among them, hear nothing.
        ("CRP", CRP_MEMBERS),
    ],
)
def test_minutes_reach_exactly_the_members_and_followers_who_may_read_them(
    client, people, masp, crp_with_members, mailbox, publish_now, panel_code, expected
):
    panel = {"MASP": masp, "CRP": crp_with_members}[panel_code]
    for role in SIGNED_IN:
        notices.subscribe(user=people[role], page=panel)
    meeting = make_meeting(panel, day="2015-02-11", title=f"{panel_code} meeting in February")

    publish_now(held(meeting))

    assert roles_reached(mailbox) == expected
    assert {role for role in SIGNED_IN if may_see(people[role], meeting)} == expected
    for role in SIGNED_IN - expected:
        assert mailbox.to(address(role)) == []
    for _recipients, message in mailbox.messages:
        assert f"{panel_code} meeting in February" in str(message["Subject"])
        assert "Case X" not in text_of(message)
    (member_message,) = mailbox.to(address(sorted(expected)[0]))
    assert_links_resolve(client, people[sorted(expected)[0]], member_message)


def test_a_failing_mail_server_does_not_stop_minutes_being_published(
    client, people, masp, meeting, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_minutes(client, people, meeting)

    meeting.refresh_from_db()
    assert meeting.live and meeting.status == MeetingStatus.HELD
    assert not meeting.has_unpublished_changes
    waiting = Notice.objects.filter(kind="minutes", key=f"minutes:{meeting.pk}")
    assert {notice.address for notice in waiting} == {address(role) for role in MASP_MEMBERS}
    assert {notice.status for notice in waiting} == {NoticeStatus.RETRYING}


# Meetings added or moved ------------------------------------------------------------------


def test_a_meeting_added_sends_an_invitation_moved_says_so_and_republished_sends_nothing(
    client, people, masp, mailbox, publish_now
):
    notices.subscribe(user=people["staff"], page=masp)
    day = days_ahead(30)
    meeting = MeetingPage(
        title="MASP extra meeting",
        slug="extra",
        starts_at=at(day),
        place="Council Offices, Oakham",
    )
    masp.add_child(instance=meeting)
    meeting = publish_now(meeting)

    assert roles_reached(mailbox) == MASP_MEMBERS | {"staff"}
    (added,) = mailbox.to(address("panel_member"))
    assert added["Subject"].startswith("New meeting of MASP panel: MASP extra meeting")
    event, method = invitation_of(added)
    assert method == "REQUEST"
    assert event["DTSTART"].dt == at(day)
    assert event["SEQUENCE"] == 0
    assert str(event["LOCATION"]) == "Council Offices, Oakham"
    assert str(event["SUMMARY"]) == "MASP panel: MASP extra meeting"
    assert str(event["URL"]) == f"http://testserver{meeting.url}"
    uid = str(event["UID"])
    assert_links_resolve(client, people["panel_member"], added)

    mailbox.messages.clear()
    publish_now(MeetingPage.objects.get(pk=meeting.pk))
    assert mailbox.messages == []

    moved = MeetingPage.objects.get(pk=meeting.pk)
    new_day = days_ahead(37)
    moved.starts_at = at(new_day, "14:00")
    moved = publish_now(moved)

    assert roles_reached(mailbox) == MASP_MEMBERS | {"staff"}
    (message,) = mailbox.to(address("staff"))
    assert message["Subject"].startswith("Meeting moved: MASP panel: MASP extra meeting")
    old_when = f"{at(day):%-d %B %Y at %H:%M}"
    new_when = f"{at(new_day, '14:00'):%-d %B %Y at %H:%M}"
    assert f"has moved from {old_when} to {new_when}" in text_of(message)
    event, _ = invitation_of(message)
    assert event["DTSTART"].dt == at(new_day, "14:00")
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == uid
    assert_links_resolve(client, people["staff"], message)


def test_a_meeting_in_the_past_or_cancelled_invites_nobody(people, masp, mailbox, publish_now):
    notices.subscribe(user=people["staff"], page=masp)
    publish_now(make_meeting(masp, day="2015-01-14"))
    publish_now(make_meeting(masp, day=days_ahead(20), status=MeetingStatus.CANCELLED))
    assert mailbox.messages == []


def test_a_crp_meeting_invites_its_members_and_no_follower_outside_it(
    people, crp_with_members, mailbox, publish_now
):
    for role in ("partner", "staff", "other_member"):
        notices.subscribe(user=people[role], page=crp_with_members)
    publish_now(make_meeting(crp_with_members, day=days_ahead(10)))
    assert roles_reached(mailbox) == CRP_MEMBERS


# Telling editors before they publish ------------------------------------------------------


def test_editors_are_told_how_many_people_publishing_a_meeting_would_email(
    people, masp, crp_with_members, meeting, mailbox, publish_now
):
    notices.subscribe(user=people["staff"], page=masp)
    notices.subscribe(user=people["partner"], page=crp_with_members)
    assert panel_hooks.meeting_publish_recipients in hooks.get_hooks(
        notices.PUBLISH_RECIPIENTS_HOOK
    )
    draft = held(MeetingPage.objects.get(pk=meeting.pk))
    reached = services.publish_recipients(page=draft)
    assert set(reached.values_list("username", flat=True)) == MASP_MEMBERS | {"staff"}
    assert notices.count_recipients(draft) == 4
    assert services.publish_recipients(page=masp) is None
    # A meeting of the past still scheduled tells nobody.
    assert notices.count_recipients(MeetingPage.objects.get(pk=meeting.pk)) == 0

    publish_now(draft)
    assert notices.count_recipients(MeetingPage.objects.get(pk=meeting.pk)) == 0

    crp_meeting = held(make_meeting(crp_with_members, day="2015-02-11"))
    reached = services.publish_recipients(page=crp_meeting)
    assert set(reached.values_list("username", flat=True)) == CRP_MEMBERS


# Actions due and overdue ------------------------------------------------------------------


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the panels' reminders for a day, as ``send_notifications`` does; twice, as it may."""
    assert panel_hooks.action_reminders in hooks.get_hooks(notices.REMINDERS_HOOK)

    def remind(day: datetime.date, times: int = 2):
        for _ in range(times):
            with django_capture_on_commit_callbacks(execute=True):
                panel_hooks.action_reminders(today=day)

    return remind


def test_an_owner_is_reminded_a_week_before_on_the_day_and_weekly_once_overdue_once_each(
    client, people, meeting, raise_one, mailbox, remind
):
    action = raise_one(meeting, owner=people["staff"], due="2015-03-11")
    due = action.due_on
    for days in (-8, -7, -3, -1, 0, 1, 6, 7, 8, 13, 14):
        remind(due + datetime.timedelta(days=days))

    reference = action.reference
    assert subjects(mailbox, "staff") == [
        f"Action {reference} is due on 11 March 2015",
        f"Action {reference} is due today",
        f"Action {reference} is overdue by 1 day",
        f"Action {reference} is overdue by 8 days",
    ]
    reminded = Notice.objects.filter(kind="action-due").values_list("recipient__username")
    assert set(reminded) == {("staff",)}
    message = mailbox.to(address("staff"))[-1]
    assert "Brief the duty team." in text_of(message)
    assert_links_resolve(client, people["staff"], message)


def test_a_new_due_date_starts_the_reminders_afresh_and_a_done_action_stops_them(
    people, meeting, raise_one, mailbox, remind, settings
):
    settings.HUB_ACTION_REMINDER_DAYS = 3
    action = raise_one(meeting, owner=people["staff"], due="2015-03-11")
    remind(datetime.date(2015, 3, 7))
    assert mailbox.messages == []
    remind(datetime.date(2015, 3, 8))
    assert len(mailbox.messages) == 1

    services.change_action(
        action=action,
        by=people["secretary"],
        reason="Waiting for the audit.",
        due_on=datetime.date(2015, 4, 1),
    )
    remind(datetime.date(2015, 3, 29))
    assert subjects(mailbox, "staff")[-1] == f"Action {action.reference} is due on 1 April 2015"

    services.change_action(
        action=action, by=people["secretary"], reason="Briefed.", status=ActionStatus.DONE
    )
    mailbox.messages.clear()
    remind(datetime.date(2015, 4, 1))
    remind(datetime.date(2015, 4, 8))
    assert mailbox.messages == []


def test_an_owner_who_cannot_read_the_action_is_not_reminded(
    people, crp_with_members, raise_one, mailbox, remind
):
    crp_meeting = make_meeting(crp_with_members, day="2015-01-21")
    outsider = raise_one(crp_meeting, owner=people["staff"], due="2015-03-11")
    member = raise_one(crp_meeting, owner=people["other_member"], due="2015-03-11")
    assert not may_see(people["staff"], outsider)

    remind(datetime.date(2015, 3, 11))

    assert roles_reached(mailbox) == {"other_member"}
    assert subjects(mailbox, "other_member") == [f"Action {member.reference} is due today"]
    assert outsider.reference not in text_of(mailbox.messages[0][1])


# The secretaries' weekly list -------------------------------------------------------------


def test_each_secretary_gets_one_weekly_list_of_their_own_panels_overdue_actions(
    client, people, masp, meeting, crp_with_members, raise_one, mailbox, remind
):
    crp_meeting = make_meeting(crp_with_members, day="2015-01-21")
    masp_overdue = raise_one(meeting, owner=people["staff"], due="2015-03-11")
    masp_later = raise_one(meeting, owner=people["staff"], due="2015-06-10")
    masp_done = raise_one(meeting, owner=people["staff"], due="2015-03-04")
    services.change_action(
        action=masp_done, by=people["secretary"], reason="Done.", status=ActionStatus.DONE
    )
    crp_overdue = raise_one(crp_meeting, owner=people["other_member"], due="2015-02-25")

    def lists(role):
        return [m for m in mailbox.to(address(role)) if "overdue action" in str(m["Subject"])]

    # Monday 2 March 2015: only CRP has an overdue action.
    remind(datetime.date(2015, 3, 2))
    remind(datetime.date(2015, 3, 4))
    assert lists("secretary") == []
    (crp_list,) = lists("other_secretary")
    assert crp_list["Subject"] == "1 overdue action on your panels"
    assert crp_overdue.reference in text_of(crp_list)
    assert masp_overdue.reference not in text_of(crp_list)

    # Monday 16 March 2015: MASP too; each secretary hears of their own panel only.
    mailbox.messages.clear()
    remind(datetime.date(2015, 3, 16))
    (masp_list,) = lists("secretary")
    text = text_of(masp_list)
    assert "MASP panel" in text and masp_overdue.reference in text
    for other in (masp_later, masp_done, crp_overdue):
        assert other.reference not in text and other.reference not in html_of(masp_list)
    assert "CRP panel" not in text
    (crp_list,) = lists("other_secretary")
    assert masp_overdue.reference not in text_of(crp_list)
    kinds = Notice.objects.filter(kind="overdue-actions").values_list("recipient__username", "key")
    assert set(kinds) == {
        ("other_secretary", "overdue-actions:2015-W10"),
        ("other_secretary", "overdue-actions:2015-W12"),
        ("secretary", "overdue-actions:2015-W12"),
    }
    assert_links_resolve(client, people["secretary"], masp_list)
