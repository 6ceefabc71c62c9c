"""The change pipeline: owners gathered per transaction and announced once, as it commits."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub import changes
from hub.signals import all_records_changed, records_changed
from panels import services as panel_services
from panels.search_records import action_owner
from search.models import SearchRecord

pytestmark = pytest.mark.django_db


def listening(signal):
    heard = []

    def listen(sender, **kwargs):
        heard.append(sorted(kwargs.get("owners", ())))

    signal.connect(listen, weak=False)
    return heard, lambda: signal.disconnect(listen)


@pytest.fixture
def announced():
    heard, stop = listening(records_changed)
    yield heard
    stop()


@pytest.fixture
def rebuilds():
    heard, stop = listening(all_records_changed)
    yield heard
    stop()


def test_owners_announced_in_one_transaction_are_sent_once_when_it_commits(
    announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        changes.announce(["action:1"])
        changes.announce(["page:2", "action:1"])
        assert announced == []

    assert announced == [["action:1", "page:2"]]


def test_a_transaction_rolled_back_takes_its_announcements_with_it(
    announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            changes.announce(["action:1"])
            raise RuntimeError("refused")
        changes.announce(["action:2"])

    assert announced == [["action:2"]]


def test_settling_sends_what_the_transaction_announced_so_far_and_only_once(
    announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(["action:1"])
        changes.settle()
        assert announced == [["action:1"]]

    assert announced == [["action:1"]]


def test_a_bulk_load_announces_nothing_then_asks_for_one_rebuild(announced, rebuilds):
    with changes.deferred():
        with changes.deferred():
            changes.announce(["action:1"])
        assert rebuilds == []
        changes.announce(["action:2"])
    changes.settle()

    assert announced == []
    assert rebuilds == [[]]


def test_saving_an_action_in_the_admin_rewrites_its_record_once_as_it_commits(
    client,
    people,
    meeting,
    raise_one,
    make_milestone,
    announced,
    django_capture_on_commit_callbacks,
):
    action = raise_one(meeting)
    milestone = make_milestone(title="Actions tracked to completion")
    changes.settle()
    announced.clear()
    client.force_login(people["secretary"])
    edit = reverse("wagtailsnippets_panels_action:edit", args=[action.pk])
    form = client.get(edit).context["form"]
    data = {
        **{name: form[name].value() or "" for name in form.fields},
        "status": "done",
        "reason": "Briefed at the team meeting.",
        "milestones": [milestone.pk],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, data)

    assert response.status_code == 302
    assert announced == [[action_owner(action.pk)]]
    record = SearchRecord.objects.select_related("facet_set").get(owner=action_owner(action.pk))
    assert record.facet_set.status == "Done"
    assert "Actions tracked to completion" in record.facet_set.milestone


def test_changing_an_action_and_its_milestones_writes_its_record_in_one_pass(
    people, meeting, raise_one, make_milestone, django_capture_on_commit_callbacks
):
    action = raise_one(meeting)
    milestone = make_milestone()
    changes.settle()
    records = SearchRecord._meta.db_table

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        panel_services.change_action(
            action=action,
            by=people["secretary"],
            reason="Done.",
            status="done",
            milestones=[milestone],
        )

    statements = [query["sql"] for query in queries.captured_queries]
    assert sum(sql.startswith(f'DELETE FROM "{records}"') for sql in statements) == 1
    assert sum(sql.startswith(f'INSERT INTO "{records}"') for sql in statements) == 1
    assert len(statements) <= 40
    assert action.history.count() == 2
