"""A secretary's screens under a meeting: matters arising and raising actions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from panels.models import (
    Action,
    ActionReview,
    ActionStatus,
    Decision,
    PanelMembership,
)
from tests.admin_forms import errors_beside
from tests.factories import UserFactory
from tests.matrix import EDITS_MASP_MINUTES, ROLES
from tests.panels.conftest import make_meeting

pytestmark = pytest.mark.django_db


def matters_url(meeting):
    return reverse("panels_matters_arising", args=[meeting.pk])


def raise_url(meeting):
    return reverse("panels_raise_action", args=[meeting.pk])


def row(action, **fields):
    """One action's row of the matters arising form, as a browser posts it."""
    values = {"progress": "", "status": "", "due_on": "", "reason": "", **fields}
    return {
        f"action-{action.pk}-{name}": value for name, value in values.items() if value is not False
    }


@pytest.fixture
def three_open(meeting, raise_one):
    return [
        raise_one(meeting, description=text, due=due)
        for text, due in (
            ("Brief the duty team.", "2015-02-01"),
            ("Audit ten referrals.", "2015-02-08"),
            ("Write to the schools.", "2015-02-09"),
        )
    ]


def test_matters_arising_lists_each_open_earlier_action_with_what_the_secretary_reads_out(
    client, people, meeting, later_meeting, three_open, raise_one, crp_meeting
):
    done = raise_one(meeting, description="Already finished.")
    done.status = ActionStatus.DONE
    done.save()
    raise_one(later_meeting, description="Raised at this very meeting.")
    raise_one(crp_meeting, description="Visit the other panel.")
    client.force_login(people["secretary"])

    html = client.get(matters_url(later_meeting)).content.decode()

    for action in three_open:
        assert action.reference in html and action.description in html
    assert f"Owner: {people['staff'].get_full_name()}" in html
    assert "Due 1 February 2015" in html
    assert "none reported yet" in html
    for absent in ("Already finished.", "Raised at this very meeting.", "Visit the other panel."):
        assert absent not in html


def test_the_meeting_records_each_report_at_once_dated_by_the_meeting(
    client, people, later_meeting, three_open
):
    done, carried, untouched = three_open
    client.force_login(people["secretary"])

    response = client.post(
        matters_url(later_meeting),
        {
            "on": "2015-02-11",
            **row(done, progress="All briefed.", status="done", reason="Briefings held."),
            **row(
                carried,
                carried_forward="on",
                due_on="2015-03-11",
                reason="The auditor was ill.",
            ),
            **row(untouched),
        },
    )

    assert response.status_code == 302
    done.refresh_from_db()
    carried.refresh_from_db()
    untouched.refresh_from_db()
    assert (done.status, done.completed_on) == ("done", datetime.date(2015, 2, 11))
    assert done.history.latest("history_date").history_date.date() == datetime.date(2015, 2, 11)
    assert (carried.status, carried.due_on) == ("open", datetime.date(2015, 3, 11))
    assert carried.history.latest("history_date").history_change_reason == "The auditor was ill."
    reviews = dict(ActionReview.objects.values_list("action__reference", "progress"))
    assert reviews == {
        done.reference: "All briefed.",
        carried.reference: "Carried forward to the next meeting.",
    }
    assert untouched.history.count() == 1
    html = client.get(matters_url(later_meeting)).content.decode()
    assert f"action-{untouched.pk}-progress" in html
    assert f"action-{done.pk}-progress" not in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"progress": "Late.", "due_on": "2015-04-01"}, "reason", "Say why the due date changed."),
        ({"progress": "Done.", "status": "done"}, "reason", "Say why the status changed."),
        (
            {"carried_forward": "on", "status": "done", "reason": "x"},
            "carried_forward",
            "An action carried forward stays open",
        ),
        ({"status": "done", "reason": "Finished."}, "progress", "Say what progress was reported."),
        (
            {"progress": "Late.", "due_on": "2015-01-01", "reason": "x"},
            "due_on",
            "is before the action",
        ),
    ],
)
def test_a_refused_report_is_shown_beside_its_field_and_nothing_is_recorded(
    client, people, later_meeting, three_open, fields, field, message
):
    fine, refused, _ = three_open
    client.force_login(people["secretary"])

    response = client.post(
        matters_url(later_meeting),
        {"on": "2015-02-11", **row(fine, progress="On track."), **row(refused, **fields)},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert message in errors_beside(response, f"id_action-{refused.pk}-{field}")
    assert "On track." in html, "what was typed is kept"
    assert not ActionReview.objects.exists()
    assert all(action.history.count() == 1 for action in three_open)


def test_changes_cannot_be_dated_in_the_future(client, people, later_meeting, three_open):
    client.force_login(people["secretary"])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()

    response = client.post(
        matters_url(later_meeting),
        {"on": future, **row(three_open[0], progress="Done.", status="done", reason="Done.")},
    )

    assert "is in the future" in response.content.decode()
    assert not ActionReview.objects.exists()


def test_a_panel_overseeing_another_reviews_its_actions_too(
    client, people, masp, later_meeting, crp, crp_meeting, raise_one
):
    raise_one(crp_meeting, description="Report the audit to the board.")
    masp.oversees.add(crp)
    masp.save()
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)

    html = client.get(matters_url(later_meeting)).content.decode()

    assert "Report the audit to the board." in html


@pytest.mark.parametrize("role", ROLES)
def test_only_who_may_edit_the_meeting_opens_its_screens(client, people, later_meeting, role):
    if role != "anonymous":
        client.force_login(people[role])
    edits = client.get(reverse("wagtailadmin_pages:edit", args=[later_meeting.pk]))

    for address in (matters_url(later_meeting), raise_url(later_meeting)):
        response = client.get(address)
        assert (response.status_code == 200) == (edits.status_code == 200), (role, address)
        assert (response.status_code == 200) == (role in EDITS_MASP_MINUTES), (role, address)


def test_matters_arising_reads_a_fixed_number_of_queries(
    client, people, meeting, later_meeting, raise_one
):
    client.force_login(people["secretary"])
    raise_one(meeting, description="The first.")
    client.get(matters_url(later_meeting))
    with CaptureQueriesContext(connection) as few:
        client.get(matters_url(later_meeting))
    for number in range(20):
        raise_one(meeting, description=f"Action {number}.")
    with CaptureQueriesContext(connection) as many:
        html = client.get(matters_url(later_meeting)).content.decode()

    assert "Action 19." in html
    assert len(many) == len(few)


# Raising actions -------------------------------------------------------------------------


@pytest.fixture
def lay_member(masp):
    return PanelMembership.objects.create(
        panel=masp,
        name="Ruth Okafor",
        agency="Voluntary sector",
        from_date=masp.established_on,
    )


def raise_form(owner, **fields):
    return {
        "description": "Share the audit with schools.",
        "owner": owner.pk,
        "due_on": "2015-03-11",
        "priority": "high",
        "decision_reference": "",
        "agenda_item": "",
        **fields,
    }


def test_a_secretary_raises_actions_on_a_decision_for_a_member_without_a_sign_in(
    client, people, masp, meeting, lay_member
):
    meeting.decisions.add(
        Decision(title="Audit", decision="Audit.", decision_maker="Panel", reference="")
    )
    meeting.save_revision().publish()
    reference = meeting.decisions.get().reference
    client.force_login(people["secretary"])

    form = client.get(raise_url(meeting)).content.decode()
    client.post(
        raise_url(meeting),
        raise_form(lay_member, decision_reference=reference, agenda_item="Cases", another="1"),
    )
    client.post(raise_url(meeting), raise_form(lay_member, description="Second action."))

    assert "Ruth Okafor, Voluntary sector (no sign-in)" in form
    assert f"{reference}: Audit" in form
    first, second = Action.objects.order_by("reference")
    assert (first.reference, second.reference) == ("MASP/2015/01/A1", "MASP/2015/01/A2")
    assert (first.owner_name, first.owner_agency, first.owner) == (
        "Ruth Okafor",
        "Voluntary sector",
        None,
    )
    assert (first.decision_reference, first.agenda_item) == (reference, "Cases")
    entry = first.history.get()
    assert entry.history_user == people["secretary"]
    assert entry.history_date.date() == datetime.date(2015, 1, 14)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_on": "2015-01-01"}, "due_on", "is before the action was raised on 14 January"),
        ({"left": True}, "owner", "Ruth Okafor was not on the panel on 14 January 2015"),
        ({"decision_reference": "MASP/1999/01/D9"}, "decision_reference", "valid choice"),
    ],
)
def test_a_refused_action_says_why_beside_the_field_and_keeps_what_was_typed(
    client, people, meeting, lay_member, fields, field, message
):
    if fields.pop("left", False):
        lay_member.to_date = datetime.date(2015, 1, 1)
        lay_member.save()
    client.force_login(people["secretary"])

    response = client.post(raise_url(meeting), raise_form(lay_member, **fields))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert message in errors_beside(response, f"id_{field}")
    assert "Share the audit with schools." in html
    assert not Action.objects.exists()


def test_the_meeting_editor_leads_to_the_secretarys_screens(client, people, meeting):
    client.force_login(people["secretary"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])).content.decode()

    assert matters_url(meeting) in html and raise_url(meeting) in html
    assert "Send minutes for approval" in html


def test_new_decisions_show_the_reference_they_will_be_given(client, people, meeting):
    meeting.decisions.add(
        Decision(title="Old", decision="x", decision_maker="Chair", reference="MASP/2015/01/D1")
    )
    meeting.save_revision().publish()
    client.force_login(people["secretary"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])).content.decode()

    assert 'placeholder="MASP/2015/01/D2"' in html


def test_a_second_meeting_the_same_day_gets_the_date_and_a_number(masp, meeting):
    second = make_meeting(masp, day="2015-01-14", title="An extra meeting")

    assert (meeting.slug, second.slug) == ("2015-01-14", "2015-01-14-2")
