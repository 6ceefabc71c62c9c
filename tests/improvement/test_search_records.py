"""What the improvement plan hands to search: its milestones, as the plan's records."""

from hub.audiences import Audience, record_key, set_page_audience
from hub.search_types import page_owner
from hub.signals import records_changed
from improvement import services
from improvement.search_records import search_records


def test_milestones_are_the_plans_records_with_their_own_audience(plan, make_milestone):
    milestone = make_milestone(title="Head of Service in post", audience=Audience.STAFF)

    [record] = list(search_records([page_owner(plan.pk)]))

    assert record.owner == page_owner(plan.pk)
    assert record.title == "Head of Service in post"
    assert record.audience_keys == {record_key(Audience.STAFF)}
    assert record.url.endswith(f"milestones/{milestone.pk}/")


def test_other_owners_bring_no_milestones(plan, make_milestone):
    make_milestone()

    assert list(search_records(["action:1", page_owner(plan.pk + 1000)])) == []


def test_an_override_announces_the_plan(plan, make_milestone, people):
    milestone = make_milestone()
    heard = []

    def listen(sender, owners, **kwargs):
        heard.extend(owners)

    records_changed.connect(listen)
    try:
        services.override_status(
            milestone=milestone, status="red", reason="Late.", by=people["approver"]
        )
    finally:
        records_changed.disconnect(listen)

    assert heard == [page_owner(plan.pk)]


def test_a_restricted_plan_narrows_its_milestones(plan, make_milestone, panel_group):
    make_milestone(title="Public", audience=Audience.PUBLIC)
    make_milestone(title="Panel", audience=Audience.PANEL, audience_group=panel_group)

    set_page_audience(page=plan, audience=Audience.STAFF)

    keys = {record.title: record.audience_keys for record in search_records()}
    assert keys == {"Public": {"staff"}, "Panel": {f"group:{panel_group.pk}@staff"}}


def test_an_unpublished_plan_has_no_records(plan, make_milestone):
    make_milestone()

    plan.unpublish()

    assert list(search_records()) == []
