"""The record of emails sent: Administrators read it within their audiences and send again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from hub import notices
from hub.audiences import Audience
from hub.models import Notice, NoticeStatus
from tests.factories import UserFactory
from tests.matrix import ROLES

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_hub_notice:list")


def record(about, *, to, subject, status=NoticeStatus.SENT, **fields) -> Notice:
    return Notice.objects.create(
        recipient=to,
        address=to.email,
        kind="minutes",
        key=f"test:{subject}",
        topic="kind:minutes",
        subject=subject,
        text=f"{subject}, in full.",
        html=f"<p>{subject}</p>",
        about_type=ContentType.objects.get_for_model(about) if about else None,
        about_id=about.pk if about else None,
        status=status,
        **fields,
    )


@pytest.fixture
def sent(people, make_policy, crp_meeting):
    policy = make_policy(audience=Audience.STAFF)
    staff_notice = record(policy, to=people["staff"], subject="New version of Transfer Protocol")
    crp_notice = record(crp_meeting, to=people["staff"], subject="Minutes of CRP: the quagga case")
    digest = record(None, to=people["staff"], subject="Safeguarding Hub: 1 update for you")
    Notice.objects.filter(pk=crp_notice.pk).update(digest=digest)
    return {"staff": staff_notice, "crp": crp_notice, "digest": digest}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_only_administrators_open_the_record_of_emails(client, people, sent, role):
    client.force_login(people[role])
    response = client.get(LIST)
    if role == "administrator":
        assert response.status_code == 200
        assert "New version of Transfer Protocol" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_an_administrator_outside_a_panel_never_sees_what_was_sent_about_its_minutes(
    client, people, sent
):
    client.force_login(people["administrator"])
    listing = client.get(LIST).content.decode()
    assert "quagga" not in listing
    assert "Safeguarding Hub: 1 update for you" not in listing  # the digest holds it
    inspect = client.get(reverse("wagtailsnippets_hub_notice:inspect", args=[sent["crp"].pk]))
    assert inspect.status_code in (403, 404)
    resend = client.post(reverse("wagtailsnippets_hub_notice:resend", args=[sent["crp"].pk]))
    assert resend.status_code == 404
    assert Notice.objects.count() == 3


def test_a_superuser_sees_every_email(client, sent):
    client.force_login(UserFactory(username="root", is_superuser=True))
    listing = client.get(LIST).content.decode()
    assert "quagga" in listing


def test_nobody_changes_or_deletes_what_was_sent(client, sent):
    client.force_login(UserFactory(username="root", is_superuser=True))
    notice = sent["staff"]
    for view in ("edit", "delete"):
        response = client.post(
            reverse(f"wagtailsnippets_hub_notice:{view}", args=[notice.pk]),
            {"subject": "Changed"},
        )
        assert response.status_code in (302, 403)
    notice.refresh_from_db()
    assert notice.subject == "New version of Transfer Protocol"
    assert client.get(reverse("wagtailsnippets_hub_notice:add")).status_code in (302, 403)


def test_an_administrator_sends_an_email_again_to_the_same_address(
    client, people, sent, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(people["administrator"])
    url = reverse("wagtailsnippets_hub_notice:resend", args=[sent["staff"].pk])
    assert "staff@hub.example" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    copy = Notice.objects.get(resent_from=sent["staff"])
    assert copy.resent_by == people["administrator"]
    assert copy.status == NoticeStatus.SENT
    assert [message["Subject"] for message in mailbox.to("staff@hub.example")] == [
        "New version of Transfer Protocol"
    ]


def test_the_list_offers_to_send_again(client, people, sent):
    client.force_login(people["administrator"])
    listing = client.get(LIST).content.decode()
    assert reverse("wagtailsnippets_hub_notice:resend", args=[sent["staff"].pk]) in listing


def test_failed_emails_can_be_listed_on_their_own(client, people, make_policy):
    policy = make_policy(audience=Audience.STAFF)
    record(policy, to=people["staff"], subject="Went fine")
    record(policy, to=people["editor"], subject="Never arrived", status=NoticeStatus.FAILED)
    client.force_login(people["administrator"])
    listing = client.get(LIST, {"status": "failed"}).content.decode()
    assert "Never arrived" in listing and "Went fine" not in listing


def test_the_count_before_publishing_says_how_many_it_would_email(client, people, make_policy):
    policy = make_policy(audience=Audience.STAFF)
    notices.subscribe(user=people["staff"], page=policy)
    notices.subscribe(user=people["partner"], page=policy)  # may not read it
    client.force_login(UserFactory(username="root", is_superuser=True))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[policy.pk])).content.decode()
    assert "Publishing this will email 1 person:" in edit  # the partner may not read it
