"""Notices: who hears of an item, each once, by real SMTP, with a way to stop them."""

import datetime
import re
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hub import notices
from hub.audiences import Audience, may_see, readers, set_page_audience
from hub.models import Frequency, MutedKind, Notice, NoticeStatus, Subscription
from tests.factories import UserFactory
from tests.mail import text_of
from tests.matrix import ROLES


def event_about(page, key="test:1"):
    return notices.Event(
        kind="minutes",
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
    digest = text_of(mailbox.messages[0][1])
    assert digest.count("About Transfer Protocol") == 2


def test_the_stop_link_of_a_digest_stops_every_digest_and_drops_what_was_held(
    make_policy, people, mailbox, client, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy.get_parent())
    daily = notices.subscribe(user=people["staff"], page=policy)
    Subscription.objects.filter(pk=daily.pk).update(frequency=Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy, "one"), subscribed_to=[policy])
        notices.send_digests(today=timezone.localdate() + datetime.timedelta(days=1))
        notices.announce(event_about(policy, "two"), subscribed_to=[policy])
    stop = re.search(r"Stop these emails: (\S+)", text_of(mailbox.messages[0][1])).group(1)
    response = client.post(stop.removeprefix("http://testserver"))
    assert "Daily and weekly digests of what you follow" in response.content.decode()
    assert list(Subscription.objects.values_list("page", flat=True)) == [policy.get_parent().pk]
    assert not Notice.objects.filter(status=NoticeStatus.HELD).exists()


def test_a_reader_follows_a_policy_from_its_page_and_stops_on_their_notifications_page(
    make_policy, people, client
):
    policy = make_policy(audience=Audience.STAFF)
    client.force_login(people["staff"])
    page = client.get(policy.url).content.decode()
    assert 'Follow<span class="govuk-visually-hidden"> Transfer Protocol</span> by email' in page

    response = client.post(reverse("subscribe"), {"page": policy.pk, "follow": "on"})
    assert response.status_code == 302 and response["Location"] == policy.url
    subscription = Subscription.objects.get(user=people["staff"], page=policy)
    assert "Stop following" in client.get(policy.url).content.decode()

    settings_page = client.get(reverse("notifications"))
    assert (
        settings_page["Cache-Control"].startswith("max-age=0")
        or "no-store" in settings_page["Cache-Control"]
    )
    assert "Transfer Protocol" in settings_page.content.decode()
    client.post(reverse("notifications"), {"subscription": subscription.pk, "frequency": "weekly"})
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY
    client.post(reverse("notifications"), {"subscription": subscription.pk, "stop": "on"})
    assert not Subscription.objects.exists()


def test_nobody_follows_what_they_may_not_read_or_what_is_not_there(make_policy, people, client):
    policy = make_policy(audience=Audience.STAFF)
    client.force_login(people["partner"])
    for page in (policy.pk, "abc", "99999999999999999999999", policy.get_parent().get_parent().pk):
        response = client.post(reverse("subscribe"), {"page": page, "follow": "on"})
        assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_following_needs_a_sign_in(make_policy, client):
    policy = make_policy(audience=Audience.PUBLIC)
    assert "by email" not in client.get(policy.url).content.decode()
    response = client.post(reverse("subscribe"), {"page": policy.pk, "follow": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("notifications")).status_code == 302
    assert not Subscription.objects.exists()


def test_a_reader_turns_a_kind_of_reminder_off_and_on_again(people, client):
    client.force_login(people["staff"])
    client.post(reverse("notifications"), {"kind": "action-due"})
    assert MutedKind.objects.filter(user=people["staff"], kind="action-due").exists()
    client.post(reverse("notifications"), {"kind": "action-due", "wanted": "on"})
    assert not MutedKind.objects.exists()
    response = client.post(reverse("notifications"), {"kind": "no-such-kind"}, follow=True)
    assert "Select a valid choice" in response.content.decode()


def test_someone_elses_subscription_cannot_be_changed(make_policy, people, client):
    policy = make_policy(audience=Audience.STAFF)
    theirs = notices.subscribe(user=people["editor"], page=policy)
    client.force_login(people["staff"])
    response = client.post(
        reverse("notifications"), {"subscription": theirs.pk, "stop": "on"}, follow=True
    )
    assert "is not yours" in response.content.decode()
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_a_muted_kind_is_not_sent_but_subscriptions_still_are(
    make_policy, people, mailbox, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.set_muted(user=people["staff"], kind="minutes", muted=True)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), people=[people["staff"], people["editor"]])
    assert mailbox.recipients == {"editor@hub.example"}


def test_the_notification_run_sends_what_waited_for_the_mail_server_once_it_is_back(
    make_policy, people, smtp_down, settings, smtp_server, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    assert Notice.objects.get().status == NoticeStatus.RETRYING

    settings.EMAIL_PORT = smtp_server.port
    smtp_server.mailbox.messages.clear()
    out = StringIO()
    call_command("send_notifications", "--retries-only", stdout=out)
    assert "0 emails sent on a retry" in out.getvalue()  # not yet its time

    Notice.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("send_notifications", "--retries-only", stdout=out)
    call_command("send_notifications", "--retries-only", stdout=out)
    assert smtp_server.mailbox.recipients == {"staff@hub.example"}
    assert len(smtp_server.mailbox.messages) == 1
    notice = Notice.objects.get()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)


def test_a_notice_that_keeps_failing_is_marked_failed_after_the_last_try(
    make_policy, people, smtp_down, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    waits = []
    while (notice := Notice.objects.get()).status == NoticeStatus.RETRYING:
        waits.append(notice.next_attempt_at)
        notices.retry_due(now=notice.next_attempt_at)
    assert notice.status == NoticeStatus.FAILED
    assert notice.attempts == notices.MAX_ATTEMPTS
    assert "refused" in notice.last_error.lower()
    gaps = [later - earlier for earlier, later in pairwise(waits)]
    assert gaps == sorted(gaps) and len(set(gaps)) == len(gaps)


def test_a_digest_leaves_out_what_its_reader_may_no_longer_read(
    make_policy, people, mailbox, django_capture_on_commit_callbacks
):
    kept = make_policy(title="Threshold Document", audience=Audience.STAFF)
    narrowed = make_policy(audience=Audience.STAFF)
    for policy in (kept, narrowed):
        subscription = notices.subscribe(user=people["staff"], page=policy)
        Subscription.objects.filter(pk=subscription.pk).update(frequency=Frequency.DAILY)
        with django_capture_on_commit_callbacks(execute=True):
            notices.announce(event_about(policy, f"news:{policy.pk}"), subscribed_to=[policy])
    set_page_audience(
        page=narrowed,
        audience=Audience.PANEL,
        panel_group=people["panel_member"].groups.get(name="Panel: MASP"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        notices.send_digests(today=timezone.localdate() + datetime.timedelta(days=1))
    digest = text_of(mailbox.to("staff@hub.example")[0])
    assert "About Threshold Document" in digest
    assert "Transfer Protocol" not in digest
    assert Notice.objects.get(key=f"news:{narrowed.pk}").status == NoticeStatus.WITHHELD


def test_announcing_reads_the_same_few_queries_however_many_it_reaches(make_policy, role_groups):
    policy = make_policy(audience=Audience.STAFF)
    followers = UserFactory.create_batch(30, groups=["Staff"])

    def queries_to_reach(people) -> int:
        for person in people:
            notices.subscribe(user=person, page=policy)
        with CaptureQueriesContext(connection) as queries:
            notices.announce(event_about(policy, f"size:{len(people)}"), subscribed_to=[policy])
        return len(queries)

    few = queries_to_reach(followers[:3])
    many = queries_to_reach(followers)
    assert Notice.objects.filter(key="size:30").count() == 30
    assert many <= few + 1  # one more batch of rows, at most


def test_a_retry_is_withheld_from_someone_who_may_no_longer_read_it(
    make_policy, people, smtp_down, settings, smtp_server, django_capture_on_commit_callbacks
):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    with django_capture_on_commit_callbacks(execute=True):
        notices.announce(event_about(policy), subscribed_to=[policy])
    masp_members = people["panel_member"].groups.get(name="Panel: MASP")
    set_page_audience(page=policy, audience=Audience.PANEL, panel_group=masp_members)

    settings.EMAIL_PORT = smtp_server.port
    smtp_server.mailbox.messages.clear()
    notice = Notice.objects.get()
    assert notices.retry_due(now=notice.next_attempt_at) == 0
    assert smtp_server.mailbox.messages == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHHELD
