"""Notices: who hears of an item, each once, by real SMTP, with a way to stop them."""

import datetime

import pytest
from django.utils import timezone

from hub import notices
from hub.audiences import Audience, may_see, readers
from hub.models import Frequency, MutedKind, Notice, NoticeStatus, Subscription
from tests.mail import text_of
from tests.matrix import ROLES
from tests.policies import conftest as policy_fixtures

library = policy_fixtures.library
owner = policy_fixtures.owner
approver_person = policy_fixtures.approver_person
make_policy = policy_fixtures.make_policy


def event_about(page, key="test:1"):
    return notices.Event(
        kind="digest",
        key=key,
        about=page,
        subject=f"About {page.title}",
        url=notices.absolute(page.url),
        context={"items": []},
    )


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF])
def test_readers_are_exactly_the_people_who_may_see_a_page(make_policy, people, audience):
    policy = make_policy(audience=audience)
    found = set(readers(policy).values_list("username", flat=True))
    expected = {role for role in ROLES if role != "anonymous" and may_see(people[role], policy)}
    assert found - {"owner", "signer"} == expected


def test_an_event_reaches_subscribers_who_may_read_it_once_and_only_them(
    make_policy, people, mailbox, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    for role in ("partner", "staff", "editor"):
        notices.subscribe(user=people[role], page=policy)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    assert sorted(mailbox.recipients) == ["editor@hub.example", "staff@hub.example"]
    assert len(mailbox.messages) == 2
    message = mailbox.to("staff@hub.example")[0]
    assert message["Subject"] == "About Transfer Protocol"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/notifications/stop/")
    assert "Stop these emails" in text_of(message)


def test_a_failing_mail_server_is_tried_again_later_and_never_raises(
    make_policy, people, smtp_down, settings, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.RETRYING
    assert notice.attempts == 1
    assert notice.next_attempt_at > timezone.now()
    assert notices.retry_due() == 0
    assert notices.retry_due(now=notice.next_attempt_at + datetime.timedelta(seconds=1)) == 0
    notice.refresh_from_db()
    assert notice.attempts == 2


def test_one_click_unsubscribe_stops_the_subscription_without_signing_in(
    make_policy, people, client
):
    policy = make_policy(audience=Audience.STAFF)
    subscription = notices.subscribe(user=people["staff"], page=policy)
    url = notices.unsubscribe_url(
        user_id=people["staff"].pk, topic=f"subscription:{subscription.pk}"
    )
    path = url.removeprefix("http://testserver")
    response = client.get(path)
    assert response.status_code == 200
    assert "Updates on Transfer Protocol" in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert "sessionid" not in response.cookies


def test_an_unsubscribe_link_that_was_tampered_with_stops_nothing(make_policy, people, client):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    url = notices.unsubscribe_url(user_id=people["staff"].pk, topic="kind:action-due")
    response = client.post(url.removeprefix("http://testserver")[:-3] + "xyz/")
    assert response.status_code == 404
    assert not MutedKind.objects.exists()


def test_digest_subscribers_hear_the_next_day_in_one_email(
    make_policy, people, mailbox, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    subscription = notices.subscribe(user=people["staff"], page=policy)
    subscription.frequency = Frequency.DAILY
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy, "one"), subscribed_to=[policy])
        notices.announce(event_about(policy, "two"), subscribed_to=[policy])
    assert mailbox.messages == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_digests(today=tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_digests(today=tomorrow)
    assert len(mailbox.messages) == 1
    assert text_of(mailbox.messages[0][1]).count("About Transfer Protocol") == 2
