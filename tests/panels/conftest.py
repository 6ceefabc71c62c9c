"""Panels, meetings and actions for the tests, built through the same services the site uses."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hub.audiences import Audience
from panels import services
from panels.models import MeetingPage, MembershipRole, PanelIndexPage, PanelMembership, PanelPage
from tests.policies import conftest as policy_fixtures

LONDON = ZoneInfo("Europe/London")

# Decisions approve policy versions: the policy library's fixtures, shared.
library = policy_fixtures.library
owner = policy_fixtures.owner
approver_person = policy_fixtures.approver_person
make_policy = policy_fixtures.make_policy


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def publish(page):
    """Publish ``page`` and return it as it now is live, with the groups publishing settled."""
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def make_panel(index, *, code, audience, established="2014-02-12", members=()):
    panel = PanelPage(
        title=f"{code} panel",
        slug=code.lower(),
        short_code=code,
        purpose=f"The {code} panel's purpose.",
        terms_of_reference="<p>Terms.</p>",
        terms_approved_on=datetime.date(2014, 2, 12),
        established_on=datetime.date.fromisoformat(established),
        minutes_audience=audience,
    )
    for user, role in members:
        panel.memberships.add(
            PanelMembership(
                name=user.get_full_name() or user.username,
                agency="Children's Services",
                role=role,
                from_date=panel.established_on,
                user=user,
            )
        )
    index.add_child(instance=panel)
    return publish(panel)


def make_meeting(panel, *, day, title=None, confidential="<p>Case X discussed.</p>", **fields):
    meeting = MeetingPage(
        title=title or f"{panel.short_code} meeting {day}",
        slug=f"{panel.short_code.lower()}-{day}",
        starts_at=at(day),
        confidential_minutes=confidential,
        agenda=[("item", {"title": "Cases", "presenter": "", "minutes": "<p>Discussed.</p>"})],
        **fields,
    )
    panel.add_child(instance=meeting)
    return publish(meeting)


@pytest.fixture
def index(home, role_groups):
    index = home.add_child(instance=PanelIndexPage(title="Panels", slug="panels"))
    services.set_up_panel_index(index=index)
    return publish(index)


@pytest.fixture
def masp(index, people, panel_group):
    """Partners and staff read its minutes; the confidential part is for its members."""
    return make_panel(
        index,
        code="MASP",
        audience=Audience.PARTNERS,
        members=[
            (people["approver"], MembershipRole.CHAIR),
            (people["secretary"], MembershipRole.SECRETARY),
            (people["panel_member"], MembershipRole.MEMBER),
        ],
    )


def make_crp(index, *, members=()):
    """The Children Review Panel: members only."""
    return make_panel(
        index, code="CRP", audience=Audience.PANEL, established="2015-01-21", members=members
    )


@pytest.fixture
def crp(index, people):
    """A members-only panel nobody in the role matrix sits on."""
    return make_crp(index)


@pytest.fixture
def meeting(masp):
    return make_meeting(masp, day="2015-01-14")


@pytest.fixture
def later_meeting(masp):
    return make_meeting(masp, day="2015-02-11")


@pytest.fixture
def crp_meeting(crp):
    return make_meeting(crp, day="2015-01-21", title="Children Review Panel, 21 January 2015")


@pytest.fixture
def raise_one(people):
    def raise_one(
        meeting,
        *,
        owner=None,
        due="2015-03-11",
        description="Brief the duty team.",
        milestones=(),
    ):
        return services.raise_action(
            meeting=meeting,
            by=people["secretary"],
            description=description,
            owner=owner or people["staff"],
            owner_agency="Children's Services",
            due_on=datetime.date.fromisoformat(due),
            milestones=milestones,
        )

    return raise_one
