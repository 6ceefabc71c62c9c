"""An improvement plan with focus areas, ready for milestones."""

import datetime

import pytest

from hub.audiences import Audience
from improvement.models import FocusArea, ImprovementPlanPage, Milestone

# Policies, decisions and actions serve milestones: these tests make them as their own tests do.
from tests.panels.conftest import crp, crp_meeting, index, masp, meeting, raise_one  # noqa: F401
from tests.policies.conftest import approver_person, library, make_policy, owner  # noqa: F401


@pytest.fixture
def plan(home):
    plan = home.add_child(
        instance=ImprovementPlanPage(
            title="Improvement plan",
            slug="improvement-plan",
            starts_on=datetime.date(2014, 11, 1),
            ends_on=datetime.date(2015, 4, 30),
        )
    )
    plan.save_revision().publish()
    return plan


@pytest.fixture
def area(plan):
    return FocusArea.objects.create(plan=plan, title="Evidence of good management decision making")


@pytest.fixture
def make_milestone(plan, area, people):
    def make(title="Decision and Action records compulsory", audience=Audience.PARTNERS, **fields):
        values = {
            "due_on": datetime.date(2015, 1, 31),
            "owner": people["approver"],
            "audience": audience,
            **fields,
        }
        return Milestone.objects.create(plan=plan, focus_area=area, title=title, **values)

    return make
