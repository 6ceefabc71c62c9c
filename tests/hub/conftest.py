"""Fixtures of the policy library, the panels and the plan, shared with the site's own tests."""

from tests.improvement import conftest as plan_fixtures
from tests.panels import conftest as panel_fixtures
from tests.policies import conftest as policy_fixtures

library = policy_fixtures.library
owner = policy_fixtures.owner
approver_person = policy_fixtures.approver_person
make_policy = policy_fixtures.make_policy
index = panel_fixtures.index
masp = panel_fixtures.masp
crp = panel_fixtures.crp
crp_meeting = panel_fixtures.crp_meeting
meeting = panel_fixtures.meeting
raise_one = panel_fixtures.raise_one
plan = plan_fixtures.plan
area = plan_fixtures.area
make_milestone = plan_fixtures.make_milestone
