"""What the improvement plan hands to search: its milestones, as the plan's records."""

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from hub import changes
from hub.audiences import Audience, record_key, set_page_audience
from hub.search_types import page_owner
from hub.signals import records_changed
from improvement import services
from improvement.search_records import search_records
from panels import services as panel_services
from panels.models import Decision
from panels.search_records import action_owner
from tests.factories import UserFactory

MILESTONE_ADMIN = "/admin/snippets/improvement/milestone/"


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


def test_an_override_announces_the_plan_and_the_actions_serving_it(
    plan, make_milestone, meeting, raise_one, people, django_capture_on_commit_callbacks
):
    milestone = make_milestone()
    action = raise_one(meeting)
    panel_services.change_action(action=action, by=None, milestones=[milestone])
    changes.settle()  # as the transaction that linked them commits
    heard = []

    def listen(sender, owners, **kwargs):
        heard.extend(owners)

    records_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.override_status(
                milestone=milestone, status="red", reason="Late.", by=people["approver"]
            )
    finally:
        records_changed.disconnect(listen)

    assert heard == sorted([page_owner(plan.pk), action_owner(action.pk)])


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


def serve(milestone, meeting, raise_one) -> None:
    """A decision and an action of ``meeting`` serve ``milestone``."""
    decision = Decision(title="Adopt the threshold briefing", decision="Agreed.")
    decision.milestones = [milestone]
    meeting.decisions.add(decision)
    meeting.save_revision().publish()
    action = raise_one(meeting, description="Brief every duty team on the thresholds.")
    panel_services.change_action(action=action, by=None, milestones=[milestone])


def milestones_offered(user) -> list[str]:
    """The milestone facet's names on the register and on a search for the action, as ``user``."""
    client = Client()
    client.force_login(user)
    pages = [
        client.get(reverse("search:decision_register")),
        client.get(reverse("search:search"), {"q": "duty team"}),
    ]
    return [
        link.contents[0].strip()
        for page in pages
        for link in BeautifulSoup(page.content, "html.parser").select('a[href*="milestone="]')
    ]


def edit_form(milestone, **changes) -> dict:
    return {
        "plan": milestone.plan_id,
        "focus_area": milestone.focus_area_id,
        "title": milestone.title,
        "description": milestone.description,
        "owner": milestone.owner_id,
        "due_on": milestone.due_on.isoformat(),
        "period": milestone.period,
        "done_on": "",
        "audience": milestone.audience,
        "audience_group": "",
        **changes,
    }


def test_renaming_a_milestone_renames_it_where_decisions_and_actions_name_it(
    client, people, make_milestone, meeting, raise_one
):
    milestone = make_milestone(title="Thresholds briefed")
    serve(milestone, meeting, raise_one)
    assert milestones_offered(people["partner"]) == ["Thresholds briefed"] * 2

    client.force_login(people["approver"])
    response = client.post(
        f"{MILESTONE_ADMIN}edit/{milestone.pk}/",
        edit_form(milestone, title="Thresholds briefed to every team"),
    )
    assert response.status_code == 302

    assert milestones_offered(people["partner"]) == ["Thresholds briefed to every team"] * 2


def test_restricting_a_milestone_takes_its_name_from_records_open_to_more_readers(
    client, people, make_milestone, meeting, raise_one
):
    milestone = make_milestone(title="Thresholds briefed")
    serve(milestone, meeting, raise_one)

    client.force_login(people["approver"])
    response = client.post(
        f"{MILESTONE_ADMIN}edit/{milestone.pk}/", edit_form(milestone, audience=Audience.STAFF)
    )
    assert response.status_code == 302

    assert milestones_offered(people["partner"]) == []


def test_a_deleted_milestone_is_named_nowhere(client, people, make_milestone, meeting, raise_one):
    milestone = make_milestone(title="Thresholds briefed")
    serve(milestone, meeting, raise_one)

    # No role deletes milestones; a superuser may.
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.post(f"{MILESTONE_ADMIN}delete/{milestone.pk}/")
    assert response.status_code == 302

    assert milestones_offered(people["staff"]) == []


def test_renaming_a_focus_area_renames_it_in_its_milestones_records(
    client, people, make_milestone, area
):
    make_milestone(title="Thresholds briefed")
    client.force_login(people["approver"])
    response = client.post(
        f"/admin/snippets/improvement/focusarea/edit/{area.pk}/",
        {"plan": area.plan_id, "title": "Workforce stability", "sort_order": area.sort_order},
    )
    assert response.status_code == 302

    reader = Client()
    reader.force_login(people["partner"])
    found = reader.get(reverse("search:search"), {"q": "workforce stability"}).content.decode()
    assert "Thresholds briefed" in found
