"""Milestones turning red, told by real SMTP to the plan's managers who may read them, once."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail import hooks

from hub import notices, roles
from hub.audiences import Audience
from hub.models import Notice, NoticeStatus
from improvement import reminders, services, tasks
from improvement.models import Milestone
from tests.cases import failures
from tests.factories import UserFactory
from tests.mail import html_of, text_of
from tests.matrix import MANAGES_CRP_MILESTONE, MANAGES_STAFF_MILESTONE, ROLES

SUBJECT = "Milestone now red: "
DAY = datetime.timedelta(days=1)


def addresses(roles_):
    return {f"{role}@hub.example" for role in roles_}


def red_messages(mailbox):
    """The emails of milestones turning red, leaving out what other apps' reminders send."""
    return [
        (to, message) for to, message in mailbox.messages if message["Subject"].startswith(SUBJECT)
    ]


def told(mailbox) -> set[str]:
    return {address for to, _ in red_messages(mailbox) for address in to}


def link_in(message) -> str:
    return re.search(r"See the milestone in the plan: (\S+)", text_of(message)).group(1)


def opens(client, person, url) -> bool:
    client.logout()
    client.force_login(person)
    response = client.get(url.removeprefix("http://testserver"))
    return response.status_code == 200 and "govuk-tag--red" in response.content.decode()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The plan's daily reminders for a day, sent once committed."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.announce_turned_red(today=today)

    return run


@pytest.fixture
def override(people, django_capture_on_commit_callbacks):
    """A manager's override, with what it announces sent once committed."""

    def override(milestone, status="red", reason="Recruitment has stalled.", by=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.override_status(
                milestone=milestone, status=status, reason=reason, by=by or people["approver"]
            )

    return override


def test_the_notification_run_tells_the_plans_managers_of_a_milestone_due_yesterday(
    make_milestone, people, mailbox, client, django_capture_on_commit_callbacks
):
    """The daily run (every app's reminders) tells exactly the roles that manage the plan."""
    today = timezone.localdate()
    milestone = make_milestone(
        title="Head of Service recruitment", audience=Audience.STAFF, due_on=today - DAY
    )

    with django_capture_on_commit_callbacks(execute=True):
        notices.run_reminders(today=today)

    def told_if_manager(role):
        received = [m for to, m in red_messages(mailbox) if f"{role}@hub.example" in to]
        assert len(received) == (1 if role in MANAGES_STAFF_MILESTONE else 0)

    assert failures(ROLES, told_if_manager) == []
    for role in MANAGES_STAFF_MILESTONE:
        [message] = mailbox.to(f"{role}@hub.example")
        assert message["Subject"] == "Milestone now red: Head of Service recruitment"
        text = text_of(message)
        assert "Focus area: Evidence of good management decision making" in text
        assert f"Due: {today - DAY:%-d %B %Y}" in text
        assert f"Why it is red: Past its due date of {today - DAY:%-d %B %Y} and not done." in text
        url = link_in(message)
        assert url.startswith(f"http://testserver/improvement-plan/milestones/{milestone.pk}/")
        assert url in html_of(message)
        assert opens(client, people[role], url)
    assert set(Notice.objects.values_list("key", flat=True)) == {
        f"milestone-red:{milestone.pk}:{today.isoformat()}"
    }


def test_the_reminders_hook_is_registered():
    """The notification run calls the plan's reminders."""
    assert reminders.announce_turned_red in hooks.get_hooks(notices.REMINDERS_HOOK)


def test_managers_hold_the_permission_by_group_directly_or_as_superusers_and_are_active(
    make_milestone, people, mailbox, run
):
    """Someone granted the permission directly and a superuser hear; an inactive manager not."""
    today = timezone.localdate()
    make_milestone(audience=Audience.STAFF, due_on=today - DAY)
    direct = UserFactory(username="direct", groups=[roles.STAFF])
    direct.user_permissions.add(
        Permission.objects.get(content_type__app_label="improvement", codename="change_milestone")
    )
    UserFactory(username="root", is_superuser=True)
    UserFactory(username="gone", groups=[roles.APPROVERS], is_active=False)

    run(today)

    assert told(mailbox) == addresses(MANAGES_STAFF_MILESTONE | {"direct", "root"})


def test_a_members_only_milestone_is_told_to_no_manager_outside_its_panel(
    make_milestone, people, crp, mailbox, run
):
    """Only a manager who sits on the panel hears; nobody else is sent anything naming it."""
    today = timezone.localdate()
    make_milestone(
        title="Children Review Panel audit",
        audience=Audience.PANEL,
        audience_group=crp.members_group,
        due_on=today - DAY,
    )
    chair = UserFactory(username="crp_chair", groups=[roles.APPROVERS])
    chair.groups.add(crp.members_group)

    run(today)

    assert told(mailbox) == addresses(MANAGES_CRP_MILESTONE | {"crp_chair"})
    assert {a for to, m in mailbox.messages if "Children Review" in m.as_string() for a in to} == {
        "crp_chair@hub.example"
    }


def test_running_twice_the_same_day_sends_once(make_milestone, mailbox, run):
    """A second run the same day finds the announcement made."""
    today = timezone.localdate()
    make_milestone(audience=Audience.STAFF, due_on=today - DAY)

    first = run(today)
    second = run(today)

    assert len(first) == len(MANAGES_STAFF_MILESTONE)
    assert second == []
    assert len(red_messages(mailbox)) == len(MANAGES_STAFF_MILESTONE)


def test_a_milestone_already_red_yesterday_sends_nothing_today(make_milestone, mailbox, run):
    """Told the day it turned red, or red for longer than runs look back, it is not told again."""
    today = timezone.localdate()
    make_milestone(title="Red since yesterday", audience=Audience.STAFF, due_on=today - 2 * DAY)
    make_milestone(title="Red for months", audience=Audience.STAFF, due_on=today - 90 * DAY)
    run(today - DAY)
    assert {m["Subject"] for _, m in red_messages(mailbox)} == {f"{SUBJECT}Red since yesterday"}
    mailbox.messages.clear()

    assert run(today) == []
    assert red_messages(mailbox) == []


def test_a_missed_run_is_caught_up_once_by_the_next(make_milestone, mailbox, run):
    """Red since two days ago with no run since, it is told today, saying since when."""
    today = timezone.localdate()
    milestone = make_milestone(audience=Audience.STAFF, due_on=today - 3 * DAY)

    run(today)
    run(today + DAY)

    assert told(mailbox) == addresses(MANAGES_STAFF_MILESTONE)
    assert len(red_messages(mailbox)) == len(MANAGES_STAFF_MILESTONE)
    assert f"is now red, since {today - 2 * DAY:%-d %B %Y}." in text_of(mailbox.messages[0][1])
    assert set(Notice.objects.values_list("key", flat=True)) == {
        f"milestone-red:{milestone.pk}:{(today - 2 * DAY).isoformat()}"
    }


def test_a_milestone_red_by_an_overdue_action_names_the_actions_every_manager_may_see(
    make_milestone, meeting, crp_meeting, raise_one, people, mailbox, client, run
):
    """The reason counts every overdue action; the email names none of a members-only panel."""
    today = timezone.localdate()
    milestone = make_milestone(audience=Audience.STAFF, due_on=today + 60 * DAY)
    shared = raise_one(meeting, due=f"{today - DAY}", milestones=[milestone])
    hidden = raise_one(
        crp_meeting,
        due=f"{today - DAY}",
        description="Review the case of child Q.",
        milestones=[milestone],
    )

    run(today)

    assert told(mailbox) == addresses(MANAGES_STAFF_MILESTONE)
    for role in MANAGES_STAFF_MILESTONE:
        [message] = mailbox.to(f"{role}@hub.example")
        text, html = text_of(message), html_of(message)
        assert "Why it is red: 2 linked actions overdue." in text
        assert f"* {shared.reference}: Brief the duty team." in text
        assert hidden.reference not in text and hidden.reference not in html
        assert "child Q" not in text and "child Q" not in html
        [action_url] = re.findall(r"http://testserver/actions/\d+/", text)
        client.force_login(people[role])
        assert client.get(action_url.removeprefix("http://testserver")).status_code == 200


def test_an_override_to_red_is_told_at_once_with_who_set_it_and_why(
    make_milestone, people, mailbox, client, override, run
):
    """Managers hear as the override is committed; the day's run does not tell it again."""
    today = timezone.localdate()
    milestone = make_milestone(audience=Audience.STAFF, due_on=today + 60 * DAY)

    override(milestone, reason="Recruitment has stalled: no applicants.")

    assert told(mailbox) == addresses(MANAGES_STAFF_MILESTONE)
    entry = milestone.history.latest()
    approver = people["approver"].get_full_name()
    for role in MANAGES_STAFF_MILESTONE:
        [message] = mailbox.to(f"{role}@hub.example")
        text = text_of(message)
        assert f"{approver} set the status of the milestone" in text
        assert "Reason given: Recruitment has stalled: no applicants." in text
        assert opens(client, people[role], link_in(message))
    assert set(Notice.objects.values_list("key", flat=True)) == {
        f"milestone-red:{milestone.pk}:override:{entry.history_id}"
    }
    assert run(today) == []
    assert run(today + DAY) == []
    assert len(red_messages(mailbox)) == len(MANAGES_STAFF_MILESTONE)


def test_an_override_of_a_milestone_already_red_tells_nobody(make_milestone, mailbox, override):
    """It does not turn red: it was red already, past its due date."""
    override(make_milestone(audience=Audience.STAFF), reason="Confirmed at the board.")

    assert red_messages(mailbox) == []
    assert not Notice.objects.exists()


def test_an_override_to_another_status_tells_nobody(make_milestone, mailbox, override):
    """Only red is told."""
    today = timezone.localdate()
    milestone = make_milestone(audience=Audience.STAFF, due_on=today + 60 * DAY)

    override(milestone, status="amber", reason="Slipping.")

    assert red_messages(mailbox) == []


def test_a_failing_mail_server_does_not_stop_the_override_being_recorded(
    make_milestone, smtp_down, override
):
    """The override stands; the notices wait to be tried again."""
    milestone = make_milestone(audience=Audience.STAFF, due_on=timezone.localdate() + 60 * DAY)

    override(milestone)

    milestone.refresh_from_db()
    assert milestone.status_override == "red"
    assert milestone.override_reason == "Recruitment has stalled."
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.RETRYING}
    assert Notice.objects.count() == len(MANAGES_STAFF_MILESTONE)


def test_a_failing_announcement_does_not_stop_the_override_being_recorded(
    make_milestone, mailbox, override, monkeypatch
):
    """An error in the task is logged, never raised into the manager's request."""

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(reminders, "announce_override", broken)
    milestone = make_milestone(audience=Audience.STAFF, due_on=timezone.localdate() + 60 * DAY)

    override(milestone)

    assert Milestone.objects.get(pk=milestone.pk).status_override == "red"
    assert red_messages(mailbox) == []


def test_the_override_task_sends_nothing_once_the_override_is_gone(
    make_milestone, people, mailbox, django_capture_on_commit_callbacks
):
    """A task run late finds the milestone no longer red and tells nobody."""
    milestone = make_milestone(audience=Audience.STAFF, due_on=timezone.localdate() + 60 * DAY)
    services.override_status(milestone=milestone, status="red", reason="x", by=people["approver"])
    entry = milestone.history.latest()
    services.override_status(milestone=milestone, status="", reason="y", by=people["approver"])

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.announce_red_override.call(milestone.pk, entry.history_id) == 0

    assert red_messages(mailbox) == []
