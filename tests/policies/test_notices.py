"""Emails of the policy library: new versions to those who must read or follow them, reviews."""

import datetime
import io
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from hub import notices
from hub.audiences import Audience
from hub.models import MutedKind, Notice, NoticeStatus
from policies import tasks
from tests.mail import html_of, text_of
from tests.matrix import READS_STAFF_ONLY, SIGNED_IN
from tests.policies.conftest import publish

NOTE = "Receiving manager now records acceptance within five working days."
# The policy's owner and approver (tests/policies/conftest.py), staff themselves.
ACCOUNTABLE = {"owner@hub.example", "signer@hub.example"}


def addresses(roles) -> set[str]:
    return {f"{role}@hub.example" for role in roles}


def links_of(message) -> list[str]:
    page = BeautifulSoup(html_of(message), "html.parser")
    return [anchor["href"] for anchor in page.find_all("a")]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def who_heard_of(mailbox, title: str) -> set[str]:
    return {
        address
        for recipients, message in mailbox.messages
        if title in message["Subject"] + text_of(message)
        for address in recipients
    }


def publish_announced(capture, page, *, by, note=NOTE, **fields):
    """Publish ``page`` and run what waits for the commit: the version's emails."""
    with capture(execute=True):
        return publish(page, by=by, note=note, **fields)


def recipients_hook(page):
    """What the policy library's publish-recipients hook answers for ``page``."""
    answers = [hook(page) for hook in hooks.get_hooks(notices.PUBLISH_RECIPIENTS_HOOK)]
    found = [answer for answer in answers if answer is not None]
    return set(found[0].values_list("email", flat=True)) if found else None


@pytest.fixture
def staff_policy(make_policy):
    """A staff-only policy whose readers must confirm each version."""
    return make_policy(title="Transfer Protocol", requires_acknowledgement=True)


def test_a_new_version_emails_its_note_and_links_that_open_for_the_reader(
    client, people, staff_policy, approver_person, mailbox, django_capture_on_commit_callbacks
):
    page = publish_announced(
        django_capture_on_commit_callbacks,
        staff_policy,
        by=approver_person,
        effective=datetime.date(2015, 3, 3),
    )

    [message] = mailbox.to("staff@hub.example")
    text = text_of(message)
    assert message["Subject"] == "New version of Transfer Protocol: version 2"
    assert NOTE in text and NOTE in html_of(message)
    assert "in force from 3 March 2015" in text
    assert "by Ann Signer" in text
    assert "please read version 2 and confirm you have read it" in text
    base = f"http://testserver{page.url}"
    links = links_of(message)
    assert f"{base}versions/2/" in links and f"{base}versions/2/" in text
    assert f"{base}versions/compare/1...2/" in links
    assert f"{base}versions/compare/1...2/" in text
    assert base in links
    client.force_login(people["staff"])
    for link in links:
        assert link.startswith("http://testserver/"), link
        assert client.get(path_of(link)).status_code == 200, link


def test_the_first_version_has_no_comparison_and_a_policy_to_follow_asks_no_confirmation(
    make_policy, people, library, mailbox, django_capture_on_commit_callbacks
):
    notices.subscribe(user=people["staff"], page=library)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_policy(title="Quality Assurance Framework")

    [message] = mailbox.to("staff@hub.example")
    assert message["Subject"] == "New version of Quality Assurance Framework: version 1"
    assert f"http://testserver{page.url}versions/1/" in links_of(message)
    assert not [link for link in links_of(message) if "/compare/" in link]
    assert "confirm" not in text_of(message)
    assert "Updates on Policies" in text_of(message)


def test_a_staff_only_policy_to_confirm_emails_exactly_its_audience(
    people, staff_policy, approver_person, mailbox, django_capture_on_commit_callbacks
):
    publish_announced(django_capture_on_commit_callbacks, staff_policy, by=approver_person)

    assert mailbox.recipients == addresses(READS_STAFF_ONLY) | ACCOUNTABLE
    assert len(mailbox.messages) == len(mailbox.recipients)
    assert who_heard_of(mailbox, "Transfer Protocol") == mailbox.recipients


def test_a_policy_for_one_panel_emails_its_members_only(
    make_policy, people, panel_group, approver_person, mailbox, django_capture_on_commit_callbacks
):
    page = make_policy(
        title="Panel Protocol",
        audience=Audience.PANEL,
        audience_group=panel_group,
        requires_acknowledgement=True,
    )

    publish_announced(django_capture_on_commit_callbacks, page, by=approver_person)

    assert mailbox.recipients == {"panel_member@hub.example"}


def test_library_followers_hear_of_every_policy_they_may_read_and_no_other(
    make_policy,
    people,
    library,
    panel_group,
    approver_person,
    mailbox,
    django_capture_on_commit_callbacks,
):
    policies = {
        "Public Guidance": make_policy(title="Public Guidance", audience=Audience.PUBLIC),
        "Partnership Protocol": make_policy(
            title="Partnership Protocol", audience=Audience.PARTNERS
        ),
        "Staff Procedure": make_policy(title="Staff Procedure", audience=Audience.STAFF),
        "Panel Terms": make_policy(
            title="Panel Terms", audience=Audience.PANEL, audience_group=panel_group
        ),
    }
    for role in SIGNED_IN:
        notices.subscribe(user=people[role], page=library)

    for page in policies.values():
        publish_announced(django_capture_on_commit_callbacks, page, by=approver_person)

    assert who_heard_of(mailbox, "Public Guidance") == addresses(SIGNED_IN)
    assert who_heard_of(mailbox, "Partnership Protocol") == addresses(SIGNED_IN)
    assert who_heard_of(mailbox, "Staff Procedure") == addresses(READS_STAFF_ONLY)
    assert who_heard_of(mailbox, "Panel Terms") == {"panel_member@hub.example"}
    assert len(mailbox.messages) == 2 * len(SIGNED_IN) + len(READS_STAFF_ONLY) + 1


def test_followers_of_a_policy_hear_once_even_when_they_must_also_confirm_it(
    people, staff_policy, approver_person, mailbox, django_capture_on_commit_callbacks
):
    notices.subscribe(user=people["staff"], page=staff_policy)
    notices.subscribe(user=people["staff"], page=staff_policy.get_parent())

    publish_announced(django_capture_on_commit_callbacks, staff_policy, by=approver_person)

    assert len(mailbox.to("staff@hub.example")) == 1


def test_publishing_the_same_revision_again_or_rerunning_the_task_sends_nothing_more(
    people, staff_policy, approver_person, mailbox, django_capture_on_commit_callbacks
):
    page = publish_announced(django_capture_on_commit_callbacks, staff_policy, by=approver_person)
    sent = len(mailbox.messages)
    assert sent == len(READS_STAFF_ONLY | {"owner", "signer"})

    with django_capture_on_commit_callbacks(execute=True):
        page.live_revision.publish(user=approver_person, skip_permission_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.announce_version.enqueue(page.versions.get(number=2).pk)

    assert page.versions.count() == 2
    assert result.return_value == 0
    assert len(mailbox.messages) == sent


def test_publishing_records_of_the_past_quietly_emails_nobody(
    people, staff_policy, approver_person, mailbox, django_capture_on_commit_callbacks
):
    with notices.quiet():
        page = publish_announced(
            django_capture_on_commit_callbacks, staff_policy, by=approver_person
        )

    assert page.versions.count() == 2
    assert mailbox.messages == []
    assert not Notice.objects.exists()


def test_a_mail_server_that_is_down_does_not_stop_the_publish(
    people, staff_policy, approver_person, smtp_down, django_capture_on_commit_callbacks
):
    page = publish_announced(django_capture_on_commit_callbacks, staff_policy, by=approver_person)

    assert page.live
    assert page.live_revision.policy_versions.get().number == 2
    waiting = Notice.objects.filter(kind="policy-version", key__startswith="policy-version:")
    assert waiting.count() == len(READS_STAFF_ONLY) + 2
    assert set(waiting.values_list("status", flat=True)) == {NoticeStatus.RETRYING}


def remind(capture, day: datetime.date) -> list:
    with capture(execute=True):
        return notices.run_reminders(today=day)


def test_owner_and_approver_are_reminded_once_30_days_ahead_and_weekly_when_overdue(
    client,
    people,
    staff_policy,
    approver_person,
    owner,
    mailbox,
    django_capture_on_commit_callbacks,
):
    assert staff_policy.next_review_date == datetime.date(2016, 1, 15)
    capture = django_capture_on_commit_callbacks

    assert remind(capture, datetime.date(2015, 12, 15)) == []
    assert len(remind(capture, datetime.date(2015, 12, 16))) == 2
    assert remind(capture, datetime.date(2015, 12, 16)) == []
    assert remind(capture, datetime.date(2016, 1, 15)) == []
    assert mailbox.recipients == ACCOUNTABLE
    [due] = mailbox.to("owner@hub.example")
    assert due["Subject"] == "Review due: Transfer Protocol is due for review on 15 January 2016"
    assert "in 30 days" in text_of(due) and "its owner" in text_of(due)
    edit_url = f"http://testserver/admin/pages/{staff_policy.pk}/edit/"
    assert edit_url in links_of(due) and edit_url in text_of(due)
    assert f"http://testserver{staff_policy.url}" in links_of(due)

    assert len(remind(capture, datetime.date(2016, 1, 16))) == 2
    assert remind(capture, datetime.date(2016, 1, 22)) == []
    assert len(remind(capture, datetime.date(2016, 1, 23))) == 2
    [_, overdue, _] = mailbox.to("signer@hub.example")
    assert overdue["Subject"] == (
        "Review overdue: Transfer Protocol was due for review on 15 January 2016"
    )
    assert "1 day ago" in text_of(overdue) and "its approver" in text_of(overdue)
    assert len(mailbox.messages) == 6

    for person in (owner, approver_person):
        client.force_login(person)
        for link in links_of(mailbox.to(person.email)[-1]):
            assert client.get(path_of(link)).status_code == 200, link

    publish(
        staff_policy, by=approver_person, note="Reviewed.", effective=datetime.date(2016, 1, 25)
    )
    assert remind(capture, datetime.date(2016, 1, 30)) == []


def test_the_daily_command_run_twice_reminds_once(
    staff_policy, people, mailbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    type(staff_policy).objects.filter(pk=staff_policy.pk).update(
        next_review_date=today + datetime.timedelta(days=10)
    )

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notifications", stdout=io.StringIO())

    assert sorted(mailbox.recipients) == sorted(ACCOUNTABLE)
    assert len(mailbox.messages) == 2


def test_a_policy_no_longer_live_is_not_reminded_of(
    staff_policy, mailbox, django_capture_on_commit_callbacks
):
    staff_policy.unpublish()

    assert remind(django_capture_on_commit_callbacks, datetime.date(2016, 1, 16)) == []


def test_the_count_before_publishing_is_the_people_then_emailed(
    people, staff_policy, library, approver_person, mailbox, django_capture_on_commit_callbacks
):
    for role in ("partner", "staff", "panel_member"):
        notices.subscribe(user=people[role], page=library)
    MutedKind.objects.create(user=people["secretary"], kind="policy-version")
    MutedKind.objects.create(user=people["staff"], kind="policy-version")
    expected = recipients_hook(staff_policy)
    count = notices.count_recipients(staff_policy)

    publish_announced(django_capture_on_commit_callbacks, staff_policy, by=approver_person)

    assert expected == mailbox.recipients
    assert count == len(mailbox.recipients)
    assert "secretary@hub.example" not in expected and "staff@hub.example" in expected
    assert "partner@hub.example" not in expected


def test_the_count_follows_the_audience_of_the_draft_not_the_live_page(
    people, staff_policy, panel_group, approver_person, mailbox, django_capture_on_commit_callbacks
):
    notices.subscribe(user=people["staff"], page=staff_policy.get_parent())
    staff_policy.audience = Audience.PANEL
    staff_policy.audience_group = panel_group
    staff_policy.amendment_note = "Now for the panel only."
    revision = staff_policy.save_revision(user=approver_person)
    draft = staff_policy.get_latest_revision_as_object()

    expected = recipients_hook(draft)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=approver_person, skip_permission_checks=True)

    assert expected == mailbox.recipients == {"panel_member@hub.example"}


def test_the_count_hook_answers_only_for_policies(library, home):
    assert recipients_hook(library) is None
    assert recipients_hook(home) is None
