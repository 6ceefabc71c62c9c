"""One connected record: a policy version names the decisions that approved it, and a
policy the plan's milestones it serves, each only to readers who may see them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.audiences import Audience, may_see
from improvement.models import FocusArea, ImprovementPlanPage, Milestone
from panels.models import Decision, MeetingPage, MembershipRole
from policies import selectors
from policies.models import PolicyVersion
from tests.cases import failures
from tests.matrix import ROLES
from tests.panels import conftest as panel_fixtures
from tests.panels.conftest import at, make_crp, make_meeting
from tests.policies.conftest import publish

# Decisions are minuted at meetings of panels: the panels' own fixtures, shared.
index = panel_fixtures.index
masp = panel_fixtures.masp


def get(client, user, url):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


def approve(meeting, *versions, reference, title):
    """A decision minuted at ``meeting`` that approved ``versions``."""
    decision = Decision.objects.create(
        meeting=meeting,
        reference=reference,
        title=title,
        decision=f"{title}.",
        decision_maker="The panel",
    )
    decision.policy_versions.set(versions)
    decision.save()
    return decision


@pytest.fixture
def two_versions(make_policy, approver_person):
    """A public policy with two versions: the second approved at a panel."""
    page = make_policy(
        title="Threshold document", audience=Audience.PUBLIC, effective=datetime.date(2014, 4, 1)
    )
    return publish(
        page, by=approver_person, note="Level 3 reworded.", effective=datetime.date(2015, 3, 3)
    )


@pytest.fixture
def crp(index, people):
    """The members-only panel, on which the other panel's member and secretary sit."""
    return make_crp(
        index,
        members=[
            (people["other_member"], MembershipRole.MEMBER),
            (people["other_secretary"], MembershipRole.SECRETARY),
        ],
    )


@pytest.fixture
def approvals(two_versions, masp, crp):
    """The second version approved at MASP (partners and staff read its minutes), at the
    members-only CRP, and in a meeting of MASP never published."""
    version = two_versions.versions.get(number=2)
    masp_meeting = make_meeting(masp, day="2015-02-11")
    crp_meeting = make_meeting(crp, day="2015-02-18")
    draft = MeetingPage(
        title="MASP meeting not yet minuted",
        slug="masp-draft",
        starts_at=at("2015-02-25"),
        live=False,
    )
    masp.add_child(instance=draft)
    return {
        "masp": approve(
            masp_meeting, version, reference="MASP/2015/02/D1", title="Adopt the new levels"
        ),
        "crp": approve(
            crp_meeting, version, reference="CRP/2015/02/D1", title="Members agree the wording"
        ),
        "draft": approve(draft, version, reference="MASP/2015/02/D9", title="Not yet minuted"),
    }


def pages_showing_version_two(page):
    return [page.url, f"{page.url}versions/2/", f"{page.url}versions/", f"{page.url}?on=2015-04-01"]


def test_a_version_names_the_decisions_that_approved_it_linked_to_the_minutes(
    client, people, two_versions, approvals
):
    masp_decision = approvals["masp"]
    minutes = f"{masp_decision.meeting.url}#decision-{masp_decision.pk}"

    for url in pages_showing_version_two(two_versions):
        html = get(client, people["partner"], url).content.decode()
        assert "MASP/2015/02/D1" in html, url
        assert "Adopt the new levels" in html, url
        assert f'href="{minutes}"' in html, url


def test_the_link_lands_on_the_decision_in_the_minutes(client, people, approvals):
    decision = approvals["masp"]

    minutes = get(client, people["partner"], decision.meeting.url).content.decode()

    assert f'id="decision-{decision.pk}"' in minutes


def test_a_decision_shows_only_to_readers_of_its_minutes(client, people, two_versions, approvals):
    """Whoever may not read the minutes sees nothing of the decision, on every policy page."""

    def follows_the_minutes(role):
        person = people[role]
        for url in pages_showing_version_two(two_versions):
            response = get(client, person, url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for key, decision in approvals.items():
                shown = key != "draft" and may_see(person, decision.meeting)
                assert (decision.reference in html) is shown, (url, key)
                assert (decision.title in html) is shown, (url, key)

    assert failures(ROLES, follows_the_minutes) == []


def test_who_sees_which_decision(client, people, two_versions, approvals):
    def seen_by(role):
        html = get(client, people[role], two_versions.url).content.decode()
        return {key for key, decision in approvals.items() if decision.reference in html}

    assert seen_by("anonymous") == set()
    assert seen_by("partner") == {"masp"}
    assert seen_by("staff") == {"masp"}
    assert seen_by("other_member") == {"masp", "crp"}
    assert seen_by("administrator") == {"masp"}


def test_a_version_nobody_approved_at_a_panel_says_nothing_of_decisions(
    client, people, two_versions, approvals
):
    html = get(client, people["partner"], f"{two_versions.url}versions/1/").content.decode()

    assert "Approved by" not in html
    assert "MASP/2015/02/D1" not in html


def _versions_with_decisions(page, meeting, count):
    first = page.versions.get()
    versions = PolicyVersion.objects.bulk_create(
        PolicyVersion(
            page=page,
            number=n,
            revision_id=first.revision_id,
            title=page.title,
            amendment_note=f"Change {n}",
            effective_from=first.effective_from,
            published_by=first.published_by,
            review_due=first.review_due,
        )
        for n in range(2, count + 1)
    )
    versions = [first, *versions]
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            reference=f"{page.slug.upper()}/D{n}",
            title=f"Approve change {n}",
            decision="Approved.",
            decision_maker="The panel",
            sort_order=n,
        )
        for n in range(count)
    )
    Decision.policy_versions.through.objects.bulk_create(
        Decision.policy_versions.through(decision=decision, policyversion=version)
        for decision, version in zip(decisions, versions, strict=True)
    )
    return versions


def test_the_decisions_of_many_versions_are_read_in_the_same_queries_as_of_two(
    people, make_policy, masp
):
    meeting = make_meeting(masp, day="2015-01-14")
    small = _versions_with_decisions(make_policy(title="Small"), meeting, 2)
    large = _versions_with_decisions(make_policy(title="Large"), meeting, 200)
    reader = people["partner"]
    selectors.approving_decisions(small, user=reader)

    counts, found = [], []
    for versions in (small, large):
        with CaptureQueriesContext(connection) as queries:
            found.append(selectors.approving_decisions(versions, user=reader))
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert len(found[1]) == 200
    assert all(len(decisions) == 1 for decisions in found[1].values())
    assert found[0][small[1].pk][0].reference == "SMALL/D1"


@pytest.mark.parametrize("suffix", ["", "versions/", "versions/1/"])
def test_policy_pages_read_the_decisions_in_as_many_queries_for_200_versions_as_for_2(
    client, people, make_policy, masp, suffix
):
    meeting = make_meeting(masp, day="2015-01-14")
    small, large = make_policy(title="Small"), make_policy(title="Large")
    _versions_with_decisions(small, meeting, 2)
    _versions_with_decisions(large, meeting, 200)
    client.force_login(people["staff"])
    client.get(small.url + suffix)

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url + suffix)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert "LARGE/D" in response.content.decode()


# Milestones the policy serves


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
def make_milestone(plan, people):
    area = FocusArea.objects.create(plan=plan, title="Evidence of good management decisions")

    def make(title, audience=Audience.PARTNERS, **fields):
        return Milestone.objects.create(
            plan=plan,
            focus_area=area,
            title=title,
            due_on=datetime.date(2015, 1, 31),
            owner=people["approver"],
            audience=audience,
            **fields,
        )

    return make


@pytest.fixture
def served(two_versions, approver_person, make_milestone, crp):
    milestones = {
        "partners": make_milestone(title="Threshold document launched"),
        "staff": make_milestone(title="Duty managers trained", audience=Audience.STAFF),
        "members": make_milestone(
            title="Children Review Panel set up",
            audience=Audience.PANEL,
            audience_group=crp.members_group,
        ),
        "public": make_milestone(title="Partners told of the new levels", audience=Audience.PUBLIC),
    }
    page = publish(
        two_versions,
        by=approver_person,
        note="Serves the plan.",
        effective=datetime.date(2015, 4, 1),
        milestones=list(milestones.values()),
    )
    return page, milestones


def test_the_policy_page_links_the_milestones_it_serves(client, people, served, plan):
    page, milestones = served

    html = get(client, people["staff"], page.url).content.decode()

    for key in ("partners", "staff", "public"):
        milestone = milestones[key]
        assert milestone.title in html
        assert f'href="{plan.url}milestones/{milestone.pk}/"' in html


def test_each_reader_sees_only_the_milestones_they_may_see(client, people, served):
    page, milestones = served

    def follows_the_milestones(role):
        html = get(client, people[role], page.url).content.decode()
        for key, milestone in milestones.items():
            assert (milestone.title in html) is may_see(people[role], milestone), key

    assert failures(ROLES, follows_the_milestones) == []
    html = get(client, people["other_member"], page.url).content.decode()
    assert "Children Review Panel set up" in html


def test_the_milestones_are_read_in_as_many_queries_for_200_as_for_2(
    client, people, make_policy, approver_person, make_milestone
):
    pages = []
    for count in (2, 200):
        page = make_policy(title=f"Serves {count}", audience=Audience.PUBLIC)
        milestones = [make_milestone(title=f"Milestone {count}.{n}") for n in range(count)]
        pages.append(
            publish(page, by=approver_person, note="Serves the plan.", milestones=milestones)
        )
    client.force_login(people["staff"])
    client.get(pages[0].url)

    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert "Milestone 200.199" in response.content.decode()
