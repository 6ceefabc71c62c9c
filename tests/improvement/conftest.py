"""An improvement plan with focus areas, ready for milestones and risks."""

import datetime

import pytest

from hub.audiences import Audience
from improvement import services
from improvement.models import FocusArea, ImprovementPlanPage, Milestone, RiskLevel

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


@pytest.fixture
def make_risk(plan, people):
    """A risk recorded through the plan's services, by the approver unless ``by`` says otherwise.

    ``on`` dates when it was recorded (today unless given), so changes can be dated after it.
    """

    def make(title="Viability", *, by=None, on=None, audience=Audience.STAFF, **fields):
        values = {
            "description": "Too little capacity for a confident quality assurance framework.",
            "impact": RiskLevel.HIGH,
            "likelihood": RiskLevel.MEDIUM,
            "owner": people["approver"],
            "mitigation": "Appoint a quality assurance service manager.",
            "review_on": datetime.date(2015, 3, 31),
            "audience": audience,
            **fields,
        }
        return services.record_risk(
            plan=plan, by=by or people["approver"], on=on, title=title, **values
        )

    return make
