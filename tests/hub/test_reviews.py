"""Approval steps are reviewed only by members of their groups who may read what is reviewed."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState

from hub.models import ReviewTask
from panels.models import MembershipRole
from tests.factories import UserFactory
from tests.panels.conftest import make_crp, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(index, masp, people):
    """A MASP and a members-only CRP meeting, each submitted for the minutes' approval."""
    crp_chair = UserFactory(username="crp-chair", groups=["Approvers"])
    crp = make_crp(
        index,
        members=[
            (crp_chair, MembershipRole.CHAIR),
            (people["other_secretary"], MembershipRole.SECRETARY),
        ],
    )
    meetings = {
        "masp": make_meeting(masp, day="2015-01-14", title="Quokka meeting"),
        "crp": make_meeting(crp, day="2015-01-28", title="Narwhal meeting"),
    }
    mail.outbox.clear()
    states = {
        name: meeting.get_workflow().start(meeting, people["secretary"]).current_task_state
        for name, meeting in meetings.items()
    }
    return {"crp_chair": crp_chair, "meetings": meetings, "states": states}


def test_minutes_await_only_reviewers_who_may_read_them(client, people, submitted):
    awaiting = {}
    for person in (people["approver"], submitted["crp_chair"]):
        client.force_login(person)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        awaiting[person.username] = {
            title for title in ("Quokka meeting", "Narwhal meeting") if title in html
        }

    assert awaiting == {
        "approver": {"Quokka meeting"},
        "crp-chair": {"Narwhal meeting"},
    }


def test_only_reviewers_who_may_read_minutes_are_told_they_await_them(submitted):
    told = {(message.to[0], "Narwhal" in message.subject + message.body) for message in mail.outbox}

    assert ("crp-chair@hub.example", True) in told
    assert ("approver@hub.example", True) not in told
    assert ("approver@hub.example", False) in told


def test_a_reviewer_cannot_act_on_minutes_they_may_not_read_through_another_meetings_address(
    client, people, submitted
):
    masp, crp = submitted["meetings"]["masp"], submitted["meetings"]["crp"]
    crp_state = submitted["states"]["crp"]
    client.force_login(people["approver"])

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[masp.pk, "approve", crp_state.pk]),
        {"comment": ""},
    )
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[crp.pk, crp_state.task_id])
    )

    assert TaskState.objects.get(pk=crp_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert preview.status_code == 404 and "Narwhal" not in preview.content.decode()


def test_the_chair_signs_the_minutes_off_and_they_are_published(client, submitted):
    crp, state = submitted["meetings"]["crp"], submitted["states"]["crp"]
    client.force_login(submitted["crp_chair"])

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[crp.pk, "approve", state.pk]),
        {"comment": ""},
    )

    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_APPROVED
    assert isinstance(state.task.specific, ReviewTask)
