"""Minutes, confidential parts and actions in search: each found only by those who may read it."""

import pytest

from tests.cases import failures
from tests.panels.conftest import make_meeting
from tests.search.conftest import reindex, run


@pytest.fixture
def panel_corpus(engine, masp, crp, raise_one):
    meeting = make_meeting(
        masp, day="2015-01-14", confidential="<p>Pangolin placement discussed in private.</p>"
    )
    members_only = make_meeting(crp, day="2015-01-21", title="Children Review Panel, 21 January")
    raise_one(meeting, description="Brief the duty team on the wombat protocol.")
    raise_one(members_only, description="Review the narwhal care plan.")
    reindex()


def test_the_confidential_part_is_found_only_by_the_panels_members(panel_corpus, people):
    def found_only_by_members(case):
        role, finds = case
        results = run(people[role], "pangolin")
        assert (results.total == 1) is finds
        if not finds:
            assert results.hits == []
            assert all(values == [] for values in results.facets.values())

    cases = [("anonymous", False), ("partner", False), ("staff", False), ("panel_member", True)]
    assert failures(cases, found_only_by_members) == []


def test_actions_follow_their_panels_audience(panel_corpus, people):
    def follows(case):
        role, finds = case
        assert (run(people[role], "wombat").total == 1) is finds

    cases = [("anonymous", False), ("partner", True), ("staff", True), ("panel_member", True)]
    assert failures(cases, follows) == []


def test_a_members_only_panels_actions_are_found_by_nobody_outside_it(panel_corpus, people):
    def finds_nothing(role):
        results = run(people[role], "narwhal")
        assert results.total == 0
        assert all(values == [] for values in results.facets.values())

    roles = ["anonymous", "partner", "staff", "secretary", "panel_member"]
    assert failures(roles, finds_nothing) == []
