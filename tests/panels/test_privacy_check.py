"""The privacy check in the meeting editor: identifying details in what readers beyond the
panel will see stop a submission, until moved to the confidential part or published anyway
with a reason that the history keeps and the approver reads before approving."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from hub.privacy_overrides import OVERRIDE
from panels.models import MeetingPage, PanelPage
from tests import documents
from tests.admin_forms import form_values, meeting_blocks
from tests.factories import UserFactory
from tests.panels.conftest import make_crp, make_meeting, publish

pytestmark = pytest.mark.django_db

IDENTIFYING = "Jayden Smith, DOB 03/04/2012, was discussed; his school is worried."
OUTSIDE_NAME = "Jayden will be offered a place at the holiday club."


def edit_url(meeting):
    return reverse("wagtailadmin_pages:edit", args=[meeting.pk])


def edited(client, meeting, *, minutes, confidential="", children="", **changes) -> dict:
    """The meeting's edit form as the admin shows it, with these minutes and confidential part."""
    values = form_values(client.get(edit_url(meeting)))
    item = {"title": "Cases", "presenter": "", "minutes": rich_text(f"<p>{minutes}</p>")}
    values.update(meeting_blocks([("item", item)]))
    values["confidential_minutes"] = rich_text(f"<p>{confidential}</p>")
    values["children_discussed"] = children
    values.update(changes)
    return values


def findings_shown(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [item.get_text(" ", strip=True) for item in page.select(".help-warning ol li")]


@pytest.fixture
def secretary(client, people):
    client.force_login(people["secretary"])
    return people["secretary"]


def test_a_date_of_birth_in_the_minutes_stops_the_submission_and_says_where(
    client, secretary, meeting
):
    refused = client.post(
        edit_url(meeting),
        edited(client, meeting, minutes=IDENTIFYING, **{"action-submit": "Submit"}),
    )

    assert refused.status_code == 200
    assert "The privacy check found 1 possible identifying detail" in refused.content.decode()
    [finding] = findings_shown(refused)
    assert finding.startswith("Date of birth in agenda item 1, “Cases”: minutes: “DOB 03/04/2012”")
    page = MeetingPage.objects.get(pk=meeting.pk)
    assert page.workflow_in_progress is False
    assert "DOB" not in str(page.get_latest_revision_as_object().agenda[0].value["minutes"])


def test_moved_to_the_confidential_part_it_goes_for_approval(client, secretary, meeting):
    sent = client.post(
        edit_url(meeting),
        edited(
            client,
            meeting,
            minutes="A child's case was discussed; the school is worried.",
            confidential=IDENTIFYING,
            children="Jayden Smith",
            **{"action-submit": "Submit"},
        ),
    )

    assert sent.status_code == 302
    assert MeetingPage.objects.get(pk=meeting.pk).workflow_in_progress


def test_a_childs_name_from_the_confidential_part_is_found_in_a_decision(
    client, secretary, meeting
):
    values = edited(
        client,
        meeting,
        minutes="Discussed.",
        confidential=IDENTIFYING,
        children="Jayden Smith",
        **{"action-submit": "Submit"},
    )
    values.update(
        {
            "decisions-TOTAL_FORMS": "1",
            "decisions-0-title": "Holiday club",
            "decisions-0-decision": OUTSIDE_NAME,
            "decisions-0-decision_maker": "The panel",
            "decisions-0-outcome": "agreed",
            "decisions-0-ORDER": "1",
            "decisions-0-DELETE": "",
        }
    )

    refused = client.post(edit_url(meeting), values)

    [finding] = findings_shown(refused)
    assert finding.startswith("Child's name in decision Holiday club: “Jayden”")


def test_a_draft_is_saved_with_its_findings_shown_for_later(client, secretary, meeting):
    saved = client.post(edit_url(meeting), edited(client, meeting, minutes=IDENTIFYING))

    assert saved.status_code == 302
    shown = findings_shown(client.get(edit_url(meeting)))
    assert [finding.split(":")[0] for finding in shown] == [
        "Date of birth in agenda item 1, “Cases”"
    ]


def test_a_panel_that_only_its_members_read_is_not_checked(client, people, index):
    crp = make_crp(index, members=[(people["other_secretary"], "secretary")])
    meeting = make_meeting(crp, day="2015-01-28")
    client.force_login(people["other_secretary"])

    sent = client.post(
        edit_url(meeting), edited(client, meeting, minutes=IDENTIFYING, **{"action-submit": "1"})
    )

    assert sent.status_code == 302


def test_sending_it_anyway_needs_a_reason_the_history_keeps_and_the_approver_reads(
    client, secretary, people, meeting
):
    reason = "The date is the school's Ofsted visit, not a birthday."
    client.post(
        edit_url(meeting),
        edited(
            client,
            meeting,
            minutes=IDENTIFYING,
            privacy_override_reason=reason,
            **{"action-submit": "Submit"},
        ),
    )

    page = MeetingPage.objects.get(pk=meeting.pk)
    entry = PageLogEntry.objects.get(page=page, action=OVERRIDE)
    assert entry.data["reason"] == reason
    assert entry.revision == page.latest_revision
    assert entry.data["findings"] == ["Date of birth in agenda item 1, “Cases”: minutes"]
    assert "03/04/2012" not in str(entry.data)
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert escape(reason) in history

    client.force_login(people["approver"])
    state = page.current_workflow_task_state
    approving = client.get(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    ).json()["html"]
    assert "Date of birth" in approving and "DOB 03/04/2012" in approving
    assert escape(reason) in approving
    edit = client.get(edit_url(page)).content.decode()
    assert escape(reason) in edit and "DOB 03/04/2012" in edit


def test_a_paper_is_read_when_the_draft_is_saved_and_checked_before_it_goes(
    client, secretary, meeting, django_capture_on_commit_callbacks
):
    report = get_document_model().objects.create(
        title="Report to the panel",
        collection=Collection.objects.get(name="Panel: MASP"),
        file=ContentFile(documents.pdf("Figures.", IDENTIFYING), name="report.pdf"),
    )
    papers = nested_form_data(
        {"papers": streamfield([("paper", {"document": report.pk, "title": ""})])}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(meeting), {**edited(client, meeting, minutes="Discussed."), **papers})

    refused = client.post(
        edit_url(meeting),
        {**edited(client, meeting, minutes="Discussed.", **{"action-submit": "1"}), **papers},
    )

    [finding] = findings_shown(refused)
    assert finding.startswith("Date of birth in the paper “Report to the panel”, page 2")


def test_a_paper_sent_at_once_before_it_is_read_is_not_taken_for_checked(
    client, secretary, meeting
):
    report = get_document_model().objects.create(
        title="Report to the panel",
        collection=Collection.objects.get(name="Panel: MASP"),
        file=ContentFile(documents.pdf("Figures.", IDENTIFYING), name="report.pdf"),
    )
    papers = nested_form_data(
        {"papers": streamfield([("paper", {"document": report.pk, "title": ""})])}
    )

    refused = client.post(
        edit_url(meeting),
        {**edited(client, meeting, minutes="Discussed.", **{"action-submit": "1"}), **papers},
    )

    [finding] = findings_shown(refused)
    assert finding.startswith("Not checked in the paper “Report to the panel”")
    assert "has not been read yet" in finding


def test_an_approver_approving_their_own_change_in_the_editor_is_checked(client, people, meeting):
    client.force_login(people["secretary"])
    client.post(
        edit_url(meeting),
        edited(client, meeting, minutes="Discussed.", **{"action-submit": "Submit"}),
    )
    client.force_login(people["approver"])
    approving = {
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": "{}",
    }

    refused = client.post(
        edit_url(meeting), edited(client, meeting, minutes=IDENTIFYING, **approving)
    )

    assert refused.status_code == 200
    assert [f.split(":")[0] for f in findings_shown(refused)] == [
        "Date of birth in agenda item 1, “Cases”"
    ]
    page = MeetingPage.objects.get(pk=meeting.pk)
    assert page.workflow_in_progress
    assert "DOB" not in str(page.agenda[0].value["minutes"])


def test_the_approval_dialog_shows_only_the_findings_of_its_own_page(
    client, people, meeting, later_meeting
):
    client.force_login(people["secretary"])
    for page, minutes in ((meeting, IDENTIFYING), (later_meeting, "Discussed.")):
        client.post(
            edit_url(page),
            edited(
                client,
                page,
                minutes=minutes,
                privacy_override_reason="Sent on purpose.",
                **{"action-submit": "Submit"},
            ),
        )
    other_state = MeetingPage.objects.get(pk=meeting.pk).current_workflow_task_state
    client.force_login(people["approver"])

    response = client.get(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[later_meeting.pk, "approve", other_state.pk],
        )
    )

    assert "DOB" not in response.content.decode()
    assert "Sent on purpose." not in response.content.decode()


def test_opening_a_panels_minutes_beyond_it_checks_every_meeting_it_opens(client, people, index):
    crp = make_crp(index)
    held = make_meeting(crp, day="2015-01-28", title="CRP, 28 January 2015")
    held.agenda = [
        ("item", {"title": "Cases", "presenter": "", "minutes": f"<p>{IDENTIFYING}</p>"})
    ]
    publish(held)
    client.force_login(UserFactory(username="root", is_superuser=True))
    values = form_values(client.get(edit_url(crp)))

    refused = client.post(
        edit_url(crp), {**values, "minutes_audience": "staff", "action-publish": "1"}
    )

    [finding] = findings_shown(refused)
    assert finding.startswith(
        "Date of birth in CRP, 28 January 2015: agenda item 1, “Cases”: minutes"
    )
    assert PanelPage.objects.get(pk=crp.pk).minutes_audience == "panel"


def test_a_document_of_another_panels_collection_cannot_be_posted_as_a_paper(
    client, secretary, meeting, index
):
    make_crp(index)
    theirs = get_document_model().objects.create(
        title="CRP case summary",
        collection=Collection.objects.get(name="Panel: CRP"),
        file=ContentFile(documents.pdf("Members only."), name="crp.pdf"),
    )
    papers = nested_form_data(
        {"papers": streamfield([("paper", {"document": theirs.pk, "title": ""})])}
    )

    refused = client.post(
        edit_url(meeting), {**edited(client, meeting, minutes="Discussed."), **papers}
    )

    assert refused.status_code == 200
    assert "“CRP case summary” is in a collection you may not use" in refused.content.decode()
    latest = MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object()
    assert latest.attached_documents() == []
