"""Fixtures of the policy library and the panels, shared with the site's own tests."""

from tests.improvement import conftest as plan_fixtures
from tests.panels import conftest as panel_fixtures
from tests.policies import conftest as policy_fixtures

library = policy_fixtures.library
index = panel_fixtures.index
masp = panel_fixtures.masp
raise_one = panel_fixtures.raise_one
plan = plan_fixtures.plan
area = plan_fixtures.area
