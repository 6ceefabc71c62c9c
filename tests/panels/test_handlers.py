"""Who may read a panel's pages changes only when something is published, however it is published.

Drafts are saved through the admin exactly as a secretary or editor saves them;
publishing goes through each way Wagtail has: the workflow, a schedule, a revert.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hub.audiences import Audience
from panels.models import MembershipRole, PanelPage
from panels.signals import minutes_published
from tests.admin_forms import add_inline, form_values, meeting_blocks
from tests.factories import UserFactory
from tests.panels.conftest import make_crp, make_meeting

pytestmark = pytest.mark.django_db

MINUTES_WORD = "Discussed"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def save_draft(client, user, page, **changes):
    """Change fields of ``page`` in its admin form and press "Save draft"."""
    client.force_login(user)
    values = form_values(client.get(edit_url(page)))
    values.update(changes)
    return values, client.post(edit_url(page), values)


def with_member(values, user, role):
    return add_inline(
        values,
        "memberships",
        name=user.username,
        agency="Children's Services",
        job_title="",
        role=role,
        voting="on",
        from_date="2014-02-12",
        to_date="",
        user=str(user.pk),
        id="",
    )


def approve_through_the_workflow(client, submitter, approver, page, **changes):
    """Submit the latest draft to its workflow and approve it, as two people in the admin."""
    client.force_login(submitter)
    values = form_values(client.get(edit_url(page)))
    submitted = client.post(edit_url(page), {**values, **changes, "action-submit": "submit"})
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    client.force_login(approver)
    approved = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert approved.status_code in (200, 302), approved.status_code
    page.refresh_from_db()
    assert page.current_workflow_state is None


def calendar_summaries(client):
    response = client.get("/meetings/calendar.ics", {"since": "2015-01-01"})
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def searched_titles(client, word):
    return client.get("/search/", {"q": word}).content.decode()


def test_a_secretarys_draft_making_the_minutes_public_changes_nothing_until_approved(
    client, people, masp, meeting
):
    _, saved = save_draft(client, people["secretary"], masp, minutes_audience=Audience.PUBLIC)
    assert saved.status_code == 302
    masp.refresh_from_db()
    assert masp.minutes_audience == Audience.PARTNERS
    assert masp.has_unpublished_changes

    client.logout()
    assert client.get(meeting.url).status_code == 302
    assert meeting.title not in searched_titles(client, MINUTES_WORD)
    assert calendar_summaries(client) == []

    approve_through_the_workflow(client, people["secretary"], people["approver"], masp)

    client.logout()
    assert client.get(meeting.url).status_code == 200
    assert meeting.title in searched_titles(client, MINUTES_WORD)
    assert calendar_summaries(client) == [f"MASP panel: {meeting.title}"]


def test_a_draft_adding_a_member_gives_them_nothing_until_it_is_published(client, people, index):
    crp_secretary = UserFactory(username="crp-secretary", groups=["Panel secretaries"])
    newcomer = UserFactory(username="newcomer", groups=["Panel members"])
    crp = make_crp(
        index,
        members=[
            (people["approver"], MembershipRole.CHAIR),
            (crp_secretary, MembershipRole.SECRETARY),
        ],
    )
    crp_meeting = make_meeting(crp, day="2015-01-21")
    client.force_login(crp_secretary)
    values = form_values(client.get(edit_url(crp)))
    client.post(edit_url(crp), with_member(values, newcomer, MembershipRole.SECRETARY))

    crp.refresh_from_db()
    assert not crp.members_group.user_set.filter(pk=newcomer.pk).exists()
    assert not crp.secretaries_group.user_set.filter(pk=newcomer.pk).exists()
    client.force_login(newcomer)
    assert client.get(crp_meeting.url).status_code == 403

    approve_through_the_workflow(client, crp_secretary, people["approver"], crp)

    assert crp.secretaries_group.user_set.filter(pk=newcomer.pk).exists()
    client.force_login(newcomer)
    assert "Case X discussed." in client.get(crp_meeting.url).content.decode()


def test_a_scheduled_publish_changes_who_may_read_when_it_goes_live(client, people, masp, meeting):
    live = PanelPage.objects.get(pk=masp.pk)
    live.minutes_audience = Audience.PUBLIC
    live.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = live.save_revision(user=people["approver"])
    revision.publish(user=people["approver"])

    client.logout()
    assert client.get(meeting.url).status_code == 302

    # The hour passes.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    revision.content["go_live_at"] = an_hour_ago.isoformat()
    revision.approved_go_live_at = an_hour_ago
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", stdout=io.StringIO())

    assert PanelPage.objects.get(pk=masp.pk).minutes_audience == Audience.PUBLIC
    assert client.get(meeting.url).status_code == 200


def test_reverting_to_an_earlier_revision_takes_back_who_may_read(client, people, masp, meeting):
    live = PanelPage.objects.get(pk=masp.pk)
    first_revision = live.live_revision
    live.minutes_audience = Audience.PUBLIC
    live.save_revision(user=people["approver"]).publish(user=people["approver"])
    client.logout()
    assert client.get(meeting.url).status_code == 200

    first_revision.publish(user=people["approver"], previous_revision=first_revision)

    assert client.get(meeting.url).status_code == 302
    assert calendar_summaries(client) == []


def test_a_policy_editor_cannot_make_themselves_a_member_of_a_panel(
    client, people, crp, crp_meeting
):
    client.force_login(UserFactory(username="root", is_superuser=True))
    values = with_member(form_values(client.get(edit_url(crp))), people["editor"], "secretary")
    editor = people["editor"]
    client.force_login(editor)

    assert client.get(edit_url(crp)).status_code == 404
    client.post(edit_url(crp), values)
    client.post(edit_url(crp), {**values, "action-publish": "publish"})

    crp.refresh_from_db()
    assert not crp.has_unpublished_changes
    assert not editor.groups.filter(name__startswith="Panel").exists()
    assert client.get(crp_meeting.url).status_code == 403


@pytest.fixture
def published_minutes():
    """The meetings ``minutes_published`` announces, in order."""
    heard = []

    def hear(sender, meeting, **kwargs):
        heard.append(meeting.pk)

    minutes_published.connect(hear)
    yield heard
    minutes_published.disconnect(hear)


def test_minutes_approved_at_a_later_meeting_show_it_once_that_meeting_is_published(
    client,
    people,
    masp,
    meeting,
    later_meeting,
    published_minutes,
    django_capture_on_commit_callbacks,
):
    later_meeting.status = "held"
    later_meeting.save_revision().publish()
    published_minutes.clear()
    revisions = meeting.revisions.count()
    _, saved = save_draft(
        client,
        people["secretary"],
        later_meeting,
        approves_minutes_of=meeting.pk,
        **meeting_blocks(),
    )
    assert saved.status_code == 302
    client.force_login(people["panel_member"])
    assert "approved as a true record" not in client.get(meeting.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        approve_through_the_workflow(
            client,
            people["secretary"],
            people["approver"],
            later_meeting,
            **meeting_blocks(),
        )

    client.force_login(people["panel_member"])
    html = client.get(meeting.url).content.decode()
    assert "approved as a true record at the meeting of" in html
    assert later_meeting.url in html
    assert meeting.revisions.count() == revisions, "no second approval round on them"
    assert published_minutes == [later_meeting.pk]
