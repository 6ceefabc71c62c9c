"""What was decided is kept: published pages are withdrawn with a reason, never deleted."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from hub.admin_access import kept_as_record
from hub.audiences import Audience
from hub.models import Withdrawal
from panels.models import Decision, MeetingPage
from policies.models import PolicyKind, PolicyPage, PolicyVersion
from tests.admin_forms import form_values, meeting_blocks
from tests.cases import failures
from tests.factories import UserFactory
from tests.matrix import ADMIN_USERS

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def delete(person, page):
    """Ask to delete ``page``, then confirm, as ``person``; the answers to both."""
    client = signed_in(person)
    url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    return client.get(url), client.post(url)


def refusal(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def draft_policy(library, owner, approver_person):
    return library.add_child(
        instance=PolicyPage(
            title="Never published",
            kind=PolicyKind.PROCEDURE,
            summary="A draft.",
            policy_owner=owner,
            approver=approver_person,
            live=False,
        )
    )


def test_no_admin_user_deletes_published_minutes_or_policies(people, meeting, make_policy):
    policy = make_policy()

    def deletes_nothing(role):
        for page in (meeting, policy, policy.get_parent(), meeting.get_parent()):
            asked, confirmed = delete(people[role], page)
            assert asked.status_code in (302, 404) and confirmed.status_code in (302, 404)
            assert Page.objects.filter(pk=page.pk).exists(), page
        assert PolicyVersion.objects.filter(page=policy).exists()

    assert failures(sorted(ADMIN_USERS), deletes_nothing) == []


def test_the_refusal_says_why_and_what_to_do_instead(people, meeting):
    asked, _ = delete(people["secretary"], meeting)

    assert asked.status_code == 302
    assert "cannot be deleted" in refusal(asked) and "Unpublish it instead" in refusal(asked)


def test_the_editor_is_not_offered_deletion_of_a_published_page(people, make_policy):
    policy = make_policy()
    editing = signed_in(people["editor"]).get(reverse("wagtailadmin_pages:edit", args=[policy.pk]))

    assert reverse("wagtailadmin_pages:delete", args=[policy.pk]) not in editing.content.decode()


def test_an_editor_deletes_a_draft_that_was_never_published(people, draft_policy):
    asked, confirmed = delete(people["editor"], draft_policy)

    assert asked.status_code == 200 and confirmed.status_code == 302
    assert not Page.objects.filter(pk=draft_policy.pk).exists()


def test_a_superuser_is_told_why_a_policy_or_a_plan_cannot_go(
    superuser, make_policy, plan, make_milestone
):
    policy = make_policy()
    make_milestone()
    for page in (policy, plan):
        asked, confirmed = delete(superuser, page)

        assert asked.status_code == 302 and confirmed.status_code == 302
        assert "cannot be deleted while" in refusal(asked)
        assert Page.objects.filter(pk=page.pk).exists()


def test_withdrawing_needs_a_reason(people, make_policy):
    policy = make_policy()
    client = signed_in(people["approver"])
    url = reverse("wagtailadmin_pages:unpublish", args=[policy.pk])

    refused = client.post(url, {"reason": "  "})

    assert refused.status_code == 200
    assert "Say why this page is being withdrawn." in refused.content.decode()
    assert PolicyPage.objects.get(pk=policy.pk).live


def test_a_withdrawn_policy_tells_its_readers_when_and_why(client, people, make_policy):
    policy = make_policy(audience=Audience.STAFF)
    url = reverse("wagtailadmin_pages:unpublish", args=[policy.pk])
    address = policy.url

    withdrawn = signed_in(people["approver"]).post(
        url, {"reason": "it merged into the QA framework."}
    )

    assert withdrawn.status_code == 302
    assert not PolicyPage.objects.get(pk=policy.pk).live
    entry = PageLogEntry.objects.filter(page=policy, action="hub.withdraw").get()
    assert entry.data == {"reason": "it merged into the QA framework."}
    assert Withdrawal.objects.get(page=policy).withdrawn_by == people["approver"]

    shown = signed_in(people["staff"]).get(address)
    assert shown.status_code == 410
    assert "Withdrawn on" in shown.content.decode()
    assert "it merged into the QA framework." in shown.content.decode()
    for outsider in (client, signed_in(people["partner"])):
        hidden = outsider.get(address)
        assert hidden.status_code == 404
        assert policy.title not in hidden.content.decode()


def test_the_history_shows_the_reason(people, superuser, make_policy):
    policy = make_policy()
    signed_in(people["approver"]).post(
        reverse("wagtailadmin_pages:unpublish", args=[policy.pk]), {"reason": "Superseded."}
    )

    history = signed_in(superuser).get(reverse("wagtailadmin_pages:history", args=[policy.pk]))

    assert "Withdrawn: Superseded." in history.content.decode()


def test_pages_are_not_withdrawn_in_bulk_without_reasons(people, superuser, make_policy):
    policy = make_policy()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])

    signed_in(superuser).post(f"{url}?id={policy.pk}", {})

    assert PolicyPage.objects.get(pk=policy.pk).live


def test_a_published_decision_stays_in_the_minutes(people, meeting):
    Decision.objects.create(
        meeting=meeting, reference="MASP/2015/01/D1", title="Thresholds", decision="Agreed."
    )
    client = signed_in(people["secretary"])
    edit = reverse("wagtailadmin_pages:edit", args=[meeting.pk])
    values = form_values(client.get(edit))
    values.update(meeting_blocks())
    values["decisions-0-DELETE"] = "on"

    refused = client.post(edit, values)

    assert refused.status_code == 200
    assert "stays in them as the record" in refused.content.decode()
    latest = MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object()
    assert [decision.reference for decision in latest.decisions.all()] == ["MASP/2015/01/D1"]


def test_the_notice_names_the_page_as_it_was_withdrawn(people, make_policy):
    policy = make_policy(audience=Audience.STAFF)
    address = policy.url
    signed_in(people["approver"]).post(
        reverse("wagtailadmin_pages:unpublish", args=[policy.pk]), {"reason": "Superseded."}
    )
    withdrawn = PolicyPage.objects.get(pk=policy.pk)
    withdrawn.title = "A draft title nobody published"
    withdrawn.save_revision()

    shown = signed_in(people["staff"]).get(address).content.decode()

    assert policy.title in shown and "A draft title nobody published" not in shown


@pytest.mark.parametrize("address", ["/%00/", "/a/" * 400, "/policies/\x07/"])
def test_odd_addresses_are_simply_not_found(client, home, address):
    assert client.get(address).status_code == 404


def test_a_published_page_is_known_as_a_record_without_asking_the_database(
    make_policy, django_assert_num_queries
):
    policy = make_policy()

    with django_assert_num_queries(0):
        assert kept_as_record(policy)
