"""What the panels hand to search: minutes, the confidential part apart, decisions, actions."""

import json

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from hub import changes
from hub.audiences import Audience, record_key, set_page_audience
from hub.search_types import ATTACHMENT_KIND, page_owner
from hub.signals import records_changed
from panels import services
from panels.models import Decision
from panels.search_records import action_owner, search_records
from tests import documents
from tests.panels.conftest import make_meeting


def records_by_kind(owners=None):
    found = {}
    for record in search_records(owners):
        found.setdefault(record.kind, []).append(record)
    return found


def test_minutes_follow_the_panel_audience_and_the_confidential_part_its_own_groups(masp, meeting):
    records = records_by_kind([page_owner(meeting.pk)])

    [minutes] = records["Minutes"]
    [confidential] = records["Confidential minutes"]
    assert minutes.audience_keys == {record_key(Audience.PARTNERS)}
    # Its own groups, among those the meeting's page admits: partners and staff.
    assert confidential.audience_keys == {
        f"group:{masp.members_group_id}@partners",
        f"group:{masp.secretaries_group_id}@partners",
    }
    assert "Case X discussed." in confidential.text
    assert "Case X discussed." not in minutes.text


def test_actions_carry_their_own_audience_status_and_panel(masp, meeting, raise_one):
    action = raise_one(meeting, description="Brief the duty team on neglect.")

    [record] = records_by_kind([action_owner(action.pk)])["Action"]

    assert record.owner == action_owner(action.pk)
    assert record.audience_keys == {record_key(action.audience, action.audience_group_id)}
    assert record.facets["panel"] == masp.title
    assert record.facets["status"] == "Open"
    assert "neglect" in record.text


def test_asking_for_one_action_returns_only_that_action(meeting, raise_one):
    first = raise_one(meeting, description="First.")
    raise_one(meeting, description="Second.")

    records = list(search_records([action_owner(first.pk)]))

    assert [record.key for record in records] == [f"action:{first.pk}"]


def test_changing_an_action_announces_it_as_it_commits(
    people, meeting, raise_one, django_capture_on_commit_callbacks
):
    action = raise_one(meeting)
    changes.settle()  # as the transaction that raised it commits
    heard = []

    def listen(sender, owners, **kwargs):
        heard.extend(owners)

    records_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.change_action(
                action=action, by=people["secretary"], reason="Done.", status="done"
            )
    finally:
        records_changed.disconnect(listen)

    assert heard == [action_owner(action.pk)]


def test_a_restricted_panel_index_narrows_panels_minutes_and_decisions_but_not_actions(
    index, masp, meeting, raise_one
):
    Decision.objects.create(
        meeting=meeting, title="Adopt", decision="Adopted.", decision_maker="Chair", reference="D1"
    )
    action = raise_one(meeting)

    set_page_audience(page=index, audience=Audience.STAFF)

    records = records_by_kind(
        [page_owner(masp.pk), page_owner(meeting.pk), action_owner(action.pk)]
    )
    assert {kind: found[0].audience_keys for kind, found in records.items()} == {
        "Panel": {"staff"},
        "Minutes": {"staff"},
        "Decision": {"staff"},
        "Confidential minutes": {
            f"group:{masp.members_group_id}@staff",
            f"group:{masp.secretaries_group_id}@staff",
        },
        # Actions are read at their own address, not beneath the index: their audience governs.
        "Action": {record_key(Audience.PARTNERS)},
    }


def test_papers_are_read_in_the_same_queries_for_one_meeting_with_papers_or_four(
    masp, django_capture_on_commit_callbacks
):
    def papered(day):
        report = get_document_model().objects.create(
            title=f"Report {day}", file=ContentFile(documents.pdf(f"Figures {day}."), name="r.pdf")
        )
        papers = json.dumps([{"type": "paper", "value": {"document": report.pk, "title": ""}}])
        with django_capture_on_commit_callbacks(execute=True):
            make_meeting(masp, day=day, papers=papers)

    def queries_and_papers():
        records_by_kind()  # the site's address, read once and kept, is not what is counted
        with CaptureQueriesContext(connection) as queries:
            papers = records_by_kind().get(ATTACHMENT_KIND, [])
        return len(queries), len(papers)

    papered("2015-01-14")
    one = queries_and_papers()
    for day in ("2015-02-11", "2015-03-11", "2015-04-08"):
        papered(day)

    assert queries_and_papers() == (one[0], 4)
    assert one[1] == 1
