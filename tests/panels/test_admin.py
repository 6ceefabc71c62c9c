"""The admin: the action log snippet, its permission policy, and the meeting page form."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub.audiences import Audience
from improvement.models import FocusArea, ImprovementPlanPage, Milestone
from panels.models import Action, Decision, MeetingPage
from tests.admin_forms import form_values, meeting_blocks
from tests.factories import UserFactory
from tests.panels.conftest import make_meeting, make_panel

pytestmark = pytest.mark.django_db

INDEX = reverse("wagtailsnippets_panels_action:list")


def edit_url(action):
    return reverse("wagtailsnippets_panels_action:edit", args=[action.pk])


def action_form(client, action, **changes):
    """The action's edit form as the admin shows it to the signed-in person, then changed."""
    return {**form_values(client.get(edit_url(action)), "form[data-edit-form]"), **changes}


@pytest.fixture
def kdp_meeting(index):
    """A staff panel whose secretary is not the matrix's secretary."""
    return make_meeting(
        make_panel(index, code="KDP", audience=Audience.STAFF, established="2015-01-07"),
        day="2015-01-28",
    )


def test_the_admin_action_log_and_its_export_hold_only_what_the_reader_may_see(
    client, people, meeting, crp_meeting, raise_one
):
    raise_one(meeting, description="Partners may see this.")
    raise_one(crp_meeting, description="Members only.")
    client.force_login(people["secretary"])

    listing = client.get(INDEX).content.decode()
    export = client.get(INDEX, {"export": "csv"})
    exported = b"".join(export.streaming_content).decode()

    assert "Partners may see this." in listing and "Members only." not in listing
    assert "MASP/2015/01/A1" in exported and "CRP/" not in exported
    assert "Status (with overdue)" in exported


def test_no_cell_of_the_action_log_export_runs_as_a_formula(client, people, meeting, raise_one):
    raise_one(meeting, description="=HYPERLINK(description)")
    Action.objects.update(owner_agency="@agency", progress="-1+progress")
    client.force_login(people["secretary"])

    export = client.get(INDEX, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))

    assert "'=HYPERLINK(description)" in rows[1] and "'@agency" in rows[1]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_the_overdue_filter(client, people, meeting, raise_one):
    raise_one(meeting, description="Long overdue.", due="2015-03-11")
    raise_one(meeting, description="Due far ahead.", due="2099-01-01")
    client.force_login(people["secretary"])

    html = client.get(INDEX, {"overdue": "true"}).content.decode()

    assert "Long overdue." in html and "Due far ahead." not in html


def test_a_secretary_changes_their_panels_action_only_with_a_reason(
    client, people, meeting, raise_one
):
    action = raise_one(meeting)
    client.force_login(people["secretary"])

    refused = client.post(edit_url(action), action_form(client, action, status="done"))
    assert refused.status_code == 200
    assert "Say why the status changed." in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "open" and action.history.count() == 1

    client.post(
        edit_url(action),
        action_form(client, action, status="done", reason="All briefed.", on="2015-02-02"),
    )
    action.refresh_from_db()
    latest = action.history.latest("history_date")
    assert (action.status, action.completed_on) == ("done", datetime.date(2015, 2, 2))
    assert (latest.history_change_reason, latest.history_user) == (
        "All briefed.",
        people["secretary"],
    )
    assert latest.history_date.date() == datetime.date(2015, 2, 2)
    assert latest.recorded_at.date() == datetime.date.today()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2999-01-01", "1 January 2999 is in the future."),
        ("2015-01-13", "The action was raised on 14 January 2015, after 13 January 2015."),
    ],
)
def test_a_change_dated_outside_the_actions_life_is_refused(
    client, people, meeting, raise_one, on, message
):
    action = raise_one(meeting)
    client.force_login(people["secretary"])

    refused = client.post(
        edit_url(action), action_form(client, action, status="done", reason="Done.", on=on)
    )

    assert message in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "open" and action.history.count() == 1


def test_an_action_is_given_to_a_member_by_name_and_agency(
    client, people, masp, meeting, raise_one
):
    action = raise_one(meeting)
    member = masp.memberships.get(user=people["panel_member"])
    client.force_login(people["secretary"])

    client.post(edit_url(action), action_form(client, action, owner_membership=member.pk))

    action.refresh_from_db()
    assert (action.owner_name, action.owner_agency, action.owner) == (
        member.name,
        member.agency,
        people["panel_member"],
    )


def test_a_secretary_may_not_change_another_panels_action(client, people, kdp_meeting, raise_one):
    action = raise_one(kdp_meeting, description="Another panel's action.")
    client.force_login(people["secretary"])

    client.force_login(UserFactory(username="root", is_superuser=True))
    values = action_form(client, action, description="Changed", reason="x")
    client.force_login(people["secretary"])

    response = client.post(edit_url(action), values)

    assert response.status_code in (302, 403)
    action.refresh_from_db()
    assert action.description == "Another panel's action." and action.history.count() == 1


def test_actions_are_raised_from_their_meeting_not_the_action_log(client, people, meeting):
    client.force_login(people["secretary"])

    listing = client.get(INDEX).content.decode()
    add = client.get(reverse("wagtailsnippets_panels_action:add"))

    assert reverse("wagtailsnippets_panels_action:add") not in listing
    assert add.status_code in (302, 403)


def meeting_post(title, starts_at, decisions=()):
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "starts_at": starts_at,
            "ends_at": "",
            "place": "Catmose",
            "status": "held",
            "declarations_of_interest": "",
            "confidential_minutes": rich_text(""),
            "agenda": streamfield([]),
            "papers": streamfield([]),
            "attendees": inline_formset([]),
            "decisions": inline_formset(
                [
                    {
                        "reference": reference,
                        "title": f"Decision {n}",
                        "decision": "Agreed.",
                        "reasons": "",
                        "decision_maker": "The panel",
                        "outcome": "agreed",
                    }
                    for n, reference in enumerate(decisions)
                ]
            ),
            "approves_minutes_of": "",
        }
    )


def add_meeting_url(panel):
    return reverse("wagtailadmin_pages:add", args=["panels", "meetingpage", panel.pk])


def test_the_admin_refuses_a_meeting_before_the_panel_existed(client, people, crp):
    client.force_login(people["administrator"])
    people["administrator"].is_superuser = True
    people["administrator"].save()

    response = client.post(add_meeting_url(crp), meeting_post("Too early", "2014-12-01 10:00"))

    assert "did not meet on 1 December 2014" in response.content.decode()
    assert not MeetingPage.objects.filter(title="Too early").exists()


def test_the_admin_numbers_new_decisions_and_refuses_a_clash(client, people, masp, meeting):
    meeting.decisions.add(
        Decision(title="Old", decision="x", decision_maker="Chair", reference="MASP/2015/01/D1")
    )
    meeting.save()
    client.force_login(people["secretary"])

    client.post(add_meeting_url(masp), meeting_post("Numbered", "2015-01-28 10:00", ["", ""]))
    clash = client.post(
        add_meeting_url(masp), meeting_post("Clashing", "2015-01-29 10:00", ["MASP/2015/01/D1"])
    )

    created = MeetingPage.objects.get(title="Numbered")
    assert [d.reference for d in created.decisions.all()] == [
        "MASP/2015/01/D2",
        "MASP/2015/01/D3",
    ]
    assert "This decision reference is already used by another meeting." in clash.content.decode()
    assert not MeetingPage.objects.filter(title="Clashing").exists()


def test_a_secretary_may_not_add_a_meeting_to_another_panel(client, people, crp):
    client.force_login(people["secretary"])

    response = client.post(add_meeting_url(crp), meeting_post("Not mine", "2015-02-01 10:00"))

    assert response.status_code == 404
    assert not MeetingPage.objects.filter(title="Not mine").exists()


def test_creating_a_meeting_in_the_admin_gives_it_the_panels_audience(client, people, crp):
    people["administrator"].is_superuser = True
    people["administrator"].save()
    client.force_login(people["administrator"])

    client.post(add_meeting_url(crp), meeting_post("Members meeting", "2015-02-18 10:00"))

    created = MeetingPage.objects.get(title="Members meeting")
    restriction = created.view_restrictions.get()
    assert list(restriction.groups.all()) == [crp.members_group]
    assert datetime.date(2015, 2, 18) == created.local_start.date()


def test_a_decision_offers_only_what_its_secretary_may_read(
    client, people, crp, meeting, make_policy
):
    hidden_policy = make_policy(
        title="Okapi procedure", audience=Audience.PANEL, audience_group=crp.members_group
    )
    make_policy(title="Wombat protocol", audience=Audience.STAFF)
    plan = ImprovementPlanPage(
        title="Plan",
        slug="plan",
        starts_on=datetime.date(2014, 11, 1),
        ends_on=datetime.date(2015, 4, 30),
    )
    meeting.get_parent().get_parent().get_parent().add_child(instance=plan)
    area = FocusArea.objects.create(plan=plan, title="Decisions")
    for title, audience in (
        ("Okapi milestone", {"audience": Audience.PANEL, "audience_group": crp.members_group}),
        ("Wombat milestone", {"audience": Audience.STAFF}),
    ):
        Milestone.objects.create(
            plan=plan,
            focus_area=area,
            title=title,
            owner=people["approver"],
            due_on=datetime.date(2015, 1, 31),
            **audience,
        )
    assert hidden_policy.versions.exists()
    client.force_login(people["secretary"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])).content.decode()

    assert "Wombat protocol" in html and "Wombat milestone" in html
    assert "Okapi" not in html


@pytest.mark.parametrize(
    ("approves", "message"),
    [
        ("crp_meeting", "Select a valid choice"),
        ("later_meeting", "is not before this one"),
    ],
)
def test_minutes_are_approved_at_a_later_meeting_of_their_own_panel_only(
    request, client, people, meeting, later_meeting, crp_meeting, approves, message
):
    client.force_login(UserFactory(username="root", is_superuser=True))
    edit = reverse("wagtailadmin_pages:edit", args=[meeting.pk])
    values = form_values(client.get(edit))
    values.update(meeting_blocks())

    refused = client.post(
        edit, {**values, "approves_minutes_of": request.getfixturevalue(approves).pk}
    )

    assert message in refused.content.decode()
    latest = MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object()
    assert latest.approves_minutes_of is None


def test_a_policy_is_given_only_to_a_panel_its_editor_sits_on(client, people, masp, library):
    add = reverse("wagtailadmin_pages:add", args=["policies", "policypage", library.pk])
    offered = {}
    for role in ("editor", "approver"):
        client.force_login(people[role])
        offered[role] = "Panel: MASP" in client.get(add).content.decode()

    assert offered == {"editor": False, "approver": True}


def test_the_explorer_asks_one_query_for_its_rows_however_many_meetings(client, people, masp):
    client.force_login(people["secretary"])
    explore = reverse("wagtailadmin_explore", args=[masp.pk])
    make_meeting(masp, day="2015-01-07")
    client.get(explore)
    with CaptureQueriesContext(connection) as few:
        client.get(explore)
    for day in range(8, 20):
        make_meeting(masp, day=f"2015-01-{day:02}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(explore).content.decode()

    assert "MASP meeting 2015-01-19" in html
    assert len(many) == len(few)


def test_a_meeting_is_added_whatever_the_number_of_view_restrictions_on_the_site(
    client, people, masp, meeting
):
    """Wagtail asks whether a new page's parent is public with a condition per restriction."""
    PageViewRestriction.objects.bulk_create(
        PageViewRestriction(page=meeting, restriction_type=PageViewRestriction.LOGIN)
        for _ in range(1_200)
    )
    client.force_login(people["secretary"])

    response = client.get(add_meeting_url(masp))

    assert response.status_code == 200


def test_a_new_meeting_is_not_autosaved_until_it_exists(client, people, masp, meeting):
    """An autosave still on its way when Save draft was pressed made the meeting twice."""
    client.force_login(people["secretary"])

    adding = client.get(add_meeting_url(masp)).content.decode()
    editing = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])).content.decode()

    assert "data-w-autosave-interval-value" not in adding
    assert "data-w-autosave-interval-value" in editing
