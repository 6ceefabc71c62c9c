"""Models: a panel's life and membership, and the action queryset's derived overdue."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from panels.models import Action, ActionStatus, PanelMembership

pytestmark = pytest.mark.django_db


def test_a_panels_life_runs_from_establishment_to_its_end(masp):
    masp.ended_on = datetime.date(2015, 3, 31)

    assert not masp.life_includes(datetime.date(2014, 2, 11))
    assert masp.life_includes(datetime.date(2014, 2, 12))
    assert masp.life_includes(datetime.date(2015, 3, 31))
    assert not masp.life_includes(datetime.date(2015, 4, 1))


def test_a_panel_cannot_end_before_it_began(masp):
    masp.ended_on = datetime.date(2013, 1, 1)

    with pytest.raises(ValidationError, match="cannot end before"):
        masp.clean()


def test_chair_and_secretary_come_from_current_memberships(masp, people):
    assert masp.chair.user == people["approver"]
    assert masp.secretary.user == people["secretary"]
    masp.memberships.filter(user=people["approver"]).update(to_date=datetime.date(2014, 6, 1))

    assert masp.chair is None


def test_a_membership_cannot_end_before_it_starts(masp):
    membership = PanelMembership(
        panel=masp,
        name="A",
        agency="B",
        from_date=datetime.date(2015, 1, 1),
        to_date=datetime.date(2014, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        membership.clean()


def test_overdue_is_derived_from_the_due_date_for_open_actions_only(meeting, raise_one, people):
    late = raise_one(meeting, due="2015-02-01")
    raise_one(meeting, due="2099-01-01", description="Not yet due.")
    done = raise_one(meeting, due="2015-02-01", description="Done late.")
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.DONE)
    today = datetime.date(2015, 3, 1)

    assert list(Action.objects.open().overdue(today=today)) == [late]
    assert Action.objects.open().count() == 2
    assert late.is_overdue and late.state_label == "Open (overdue)"
    done.refresh_from_db()
    assert not done.is_overdue and done.state_label == "Done"
