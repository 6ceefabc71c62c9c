"""Decisions and actions serving milestones: status, evidence and the register, by audience."""

import datetime

from django.urls import reverse

from hub.audiences import Audience
from improvement import selectors
from improvement.progress import Rag
from panels import selectors as panel_selectors
from panels import services as panel_services
from panels.admin_forms import ActionAdminForm
from panels.models import Decision


def test_an_overdue_linked_action_turns_a_milestone_red(plan, make_milestone, meeting, raise_one):
    milestone = make_milestone(due_on=datetime.date(2015, 4, 30))
    action = raise_one(meeting, due="2015-02-01")
    panel_services.change_action(
        action=action, by=None, milestones=[milestone], on=datetime.date(2015, 1, 20)
    )

    [row] = selectors.milestone_rows([milestone], plan=plan, on=datetime.date(2015, 2, 2))

    assert row.progress.status == Rag.RED
    assert row.progress.reason == "1 linked action overdue."


def test_done_actions_let_a_marked_milestone_complete(
    plan, make_milestone, meeting, raise_one, people
):
    milestone = make_milestone(done_on=datetime.date(2015, 1, 20))
    action = raise_one(meeting, due="2015-02-01")
    panel_services.change_action(
        action=action, by=None, milestones=[milestone], on=datetime.date(2015, 1, 20)
    )
    panel_services.change_action(
        action=action,
        by=people["secretary"],
        reason="Briefed.",
        status="done",
        on=datetime.date(2015, 1, 22),
    )

    def status_on(day):
        return selectors.milestone_rows([milestone], plan=plan, on=day)[0].progress.status

    assert status_on(datetime.date(2015, 1, 21)) == Rag.AMBER
    assert status_on(datetime.date(2015, 1, 22)) == Rag.COMPLETE


def test_a_milestone_page_lists_only_actions_the_reader_may_see(
    client, people, plan, make_milestone, meeting, crp_meeting, raise_one
):
    milestone = make_milestone()
    shared = raise_one(meeting, description="Brief the duty team on thresholds.")
    members_only = raise_one(crp_meeting, description="Review the care plan of child Y.")
    for action in (shared, members_only):
        panel_services.change_action(action=action, by=None, milestones=[milestone])
    client.force_login(people["staff"])

    html = client.get(f"{plan.url}milestones/{milestone.pk}/").content.decode()

    assert "Brief the duty team on thresholds." in html
    assert "Review the care plan of child Y." not in html


def test_the_evidence_pack_shows_an_action_as_it_stood_that_day(
    client, people, plan, make_milestone, meeting, raise_one
):
    milestone = make_milestone()
    action = raise_one(meeting, due="2015-03-11")
    panel_services.change_action(
        action=action, by=None, milestones=[milestone], on=datetime.date(2015, 1, 20)
    )
    panel_services.change_action(
        action=action,
        by=people["secretary"],
        reason="Done.",
        status="done",
        on=datetime.date(2015, 3, 2),
    )
    client.force_login(people["staff"])

    before = client.get(f"{plan.url}evidence/", {"on": "2015-03-01"}).content.decode()
    after = client.get(f"{plan.url}evidence/", {"on": "2015-03-02"}).content.decode()

    assert "Open on 1 March 2015" in before and "Done on" not in before
    assert "Done on 2 March 2015" in after


def test_the_decision_register_filters_by_milestone(client, people, make_milestone, meeting):
    milestone = make_milestone()
    for title, serves in (
        ("Adopt the care plan standard", [milestone]),
        ("Move the panel date", []),
    ):
        decision = Decision(title=title, decision="Agreed.", decision_maker="The panel")
        decision.milestones = serves
        meeting.decisions.add(decision)
    meeting.save_revision().publish()
    client.force_login(people["staff"])

    html = client.get(
        reverse("search:decision_register"), {"milestone": milestone.title}
    ).content.decode()

    assert "Adopt the care plan standard" in html
    assert "Move the panel date" not in html


def test_a_milestone_kept_from_some_readers_of_a_decision_is_not_its_facet(
    client, people, make_milestone, meeting, crp
):
    shared = make_milestone(title="Threshold refresh agreed", audience=Audience.PARTNERS)
    kept = make_milestone(
        title="Members only milestone", audience=Audience.PANEL, audience_group=crp.members_group
    )
    decision = Decision(title="Adopt the care plan standard", decision="Agreed.")
    decision.milestones = [shared, kept]
    meeting.decisions.add(decision)
    meeting.save_revision().publish()

    for role in ("partner", "staff", "panel_member"):
        client.force_login(people[role])
        for address in (reverse("search:decision_register"), reverse("search:search")):
            html = client.get(address, {"q": "care plan standard"}).content.decode()
            assert "Adopt the" in html and "Threshold refresh agreed" in html, (role, address)
            assert "Members only milestone" not in html, (role, address)


def test_secretaries_are_offered_only_milestones_they_may_see(
    plan, make_milestone, people, crp, meeting, raise_one
):
    visible = make_milestone(title="Open to partners", audience=Audience.PARTNERS)
    hidden = make_milestone(
        title="Members only", audience=Audience.PANEL, audience_group=crp.members_group
    )

    form = ActionAdminForm(for_user=people["secretary"], instance=raise_one(meeting))

    offered = set(form.fields["milestones"].queryset)
    assert visible in offered
    assert hidden not in offered


def test_the_milestones_an_action_serves_are_kept_in_its_history(
    meeting, people, raise_one, make_milestone
):
    compulsory = make_milestone(title="Decision and Action records compulsory")
    tracked = make_milestone(title="Actions tracked to completion")
    action = raise_one(meeting, milestones=[compulsory])
    panel_services.change_action(
        action=action,
        by=people["approver"],
        reason="It serves tracking too.",
        milestones=[compulsory, tracked],
    )

    raised, changed = panel_selectors.action_history(action=action, user=people["staff"])

    assert raised.created and raised.changes == []
    assert [link.milestone for link in action.history.earliest().milestones.all()] == [compulsory]
    assert (changed.who, changed.reason) == (
        people["approver"].get_full_name(),
        "It serves tracking too.",
    )
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        (
            "Milestones",
            "Decision and Action records compulsory",
            "Actions tracked to completion, Decision and Action records compulsory",
        )
    ]


def test_an_actions_history_names_no_milestone_its_reader_may_not_see(
    meeting, people, raise_one, make_milestone
):
    hidden = make_milestone(title="Staff-only milestone", audience=Audience.STAFF)
    action = raise_one(meeting)
    panel_services.change_action(
        action=action, by=people["approver"], reason="Serves it.", milestones=[hidden]
    )

    _, seen_by_partner = panel_selectors.action_history(action=action, user=people["partner"])
    _, seen_by_staff = panel_selectors.action_history(action=action, user=people["staff"])

    assert [c.new for c in seen_by_partner.changes] == [panel_selectors.NOT_SHOWN]
    assert [c.new for c in seen_by_staff.changes] == ["Staff-only milestone"]
