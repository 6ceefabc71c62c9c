"""A risk's page: its rating, owner and mitigation, and every change of it as a timeline."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from hub import demo as hub_demo
from hub.audiences import Audience
from improvement import demo, services
from improvement.models import Risk, RiskLevel
from tests.cases import failures
from tests.factories import UserFactory
from tests.matrix import READS_STAFF_ONLY, ROLES


def get(client, user, url):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


def risk_url(plan, risk) -> str:
    return f"{plan.url}risks/{risk.pk}/"


@pytest.fixture
def changed_risk(make_risk, people):
    """A staff-only risk, recorded at the start of the plan and rated again twice since."""
    owner = UserFactory(username="okapi-sign-in", first_name="Helen", last_name="Price")
    risk = make_risk(on=datetime.date(2014, 11, 1), owner=owner)
    services.change_risk(
        risk=risk,
        by=people["approver"],
        reason="The permanent Head of Service is due to leave.",
        on=datetime.date(2014, 12, 8),
        likelihood=RiskLevel.HIGH,
    )
    services.change_risk(
        risk=risk,
        by=people["administrator"],
        reason="Acting-up arrangements are in place.",
        on=datetime.date(2014, 12, 15),
        likelihood=RiskLevel.MEDIUM,
        mitigation="Acting up until a permanent appointment.",
    )
    return risk


def test_the_risk_page_shows_the_rating_and_every_change_to_staff_only(
    client, people, plan, changed_risk
):
    url = risk_url(plan, changed_risk)

    def shows_only_to_staff(role):
        response = get(client, people[role], url)
        html = response.content.decode()
        if role not in READS_STAFF_ONLY:
            assert response.status_code == 404
            assert "Viability" not in html and "Head of Service" not in html
            return
        assert response.status_code == 200
        assert "Viability" in html
        assert "The permanent Head of Service is due to leave." in html
        assert "Acting-up arrangements are in place." in html

    assert failures(ROLES, shows_only_to_staff) == []


def test_the_risk_page_gives_the_score_owner_mitigation_and_review_date(
    client, people, plan, changed_risk
):
    html = get(client, people["staff"], risk_url(plan, changed_risk)).content.decode()

    assert "<h1" in html and "Viability</h1>" in html
    assert "High × Medium = 6" in html
    assert "Helen Price" in html and "okapi-sign-in" not in html
    assert "Acting up until a permanent appointment." in html
    assert '<time datetime="2015-03-31">31 March 2015</time>' in html


def test_the_timeline_says_who_changed_what_when_and_why_oldest_first(
    client, people, plan, changed_risk
):
    html = get(client, people["staff"], risk_url(plan, changed_risk)).content.decode()
    timeline = html[
        html.index('<ol class="hub-timeline">') : html.index("</ol>", html.index("hub-timeline"))
    ]

    entries = timeline.split('<li class="hub-timeline__entry">')[1:]
    assert len(entries) == 3
    recorded, worse, better = entries
    assert "recorded by" in recorded and people["approver"].get_full_name() in recorded
    assert 'datetime="2014-12-08' in worse and "8 December 2014" in worse
    assert "changed by" in worse and people["approver"].get_full_name() in worse
    assert (
        'Likelihood: <del><span class="govuk-visually-hidden">was </span>Medium</del> → '
        '<ins><span class="govuk-visually-hidden">now </span>High</ins>'
    ) in worse
    assert "The permanent Head of Service is due to leave." in worse
    assert people["administrator"].get_full_name() in better
    assert "High</del>" in better and "Medium</ins>" in better
    assert "Acting up until a permanent appointment.</ins>" in better
    assert "administrator" not in timeline and "approver" not in timeline


def test_closing_and_reopening_read_in_words(client, people, plan, make_risk):
    risk = make_risk()
    services.change_risk(risk=risk, by=people["approver"], reason="Appointed.", closed=True)

    html = get(client, people["staff"], risk_url(plan, risk)).content.decode()

    assert "Status: <del><span" in html and "Open</del>" in html and "Closed</ins>" in html


def test_a_risk_of_another_audience_is_not_found(client, people, plan, make_risk):
    group = Group.objects.create(name="Panel: CRP")
    hidden = make_risk(
        "Gharial",
        by=UserFactory(username="root", is_superuser=True),
        audience=Audience.PANEL,
        audience_group=group,
    )

    def not_found(role):
        response = get(client, people[role], risk_url(plan, hidden))
        assert response.status_code == 404
        assert "Gharial" not in response.content.decode()

    assert failures(ROLES, not_found) == []


def test_a_risk_that_does_not_exist_is_not_found(client, people, plan):
    assert get(client, people["staff"], f"{plan.url}risks/999999/").status_code == 404


def test_the_register_links_each_risk_to_its_page(client, people, plan, make_risk):
    risk = make_risk()

    html = get(client, people["staff"], f"{plan.url}risks/").content.decode()

    assert f'<a href="{risk_url(plan, risk)}">Viability</a>' in html


def test_the_register_heads_each_row_with_the_risks_title_and_puts_its_description_in_a_cell(
    client, people, plan, make_risk
):
    risk = make_risk()
    services.change_risk(risk=risk, by=people["approver"], reason="Appointed.", closed=True)

    html = get(client, people["staff"], f"{plan.url}risks/").content.decode()

    [row] = BeautifulSoup(html, "html.parser").find("tbody").find_all("tr")
    header = row.find("th", scope="row")
    # A screen reader reads the row header with every cell: the short title alone.
    assert header.get_text(strip=True) == "Viability"
    cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
    assert "Too little capacity for a confident quality assurance framework." in cells
    tag = row.find("strong", class_="govuk-tag")
    assert tag["class"] == ["govuk-tag", "govuk-tag--green"] and tag.get_text() == "Closed"
    assert tag.find_parent(["td", "th"]).name == "td"


def test_the_timeline_takes_as_many_queries_for_200_changes_as_for_2(
    client, people, plan, make_risk
):
    owners = [people["approver"], people["administrator"], UserFactory(username="third")]
    client.force_login(people["staff"])

    def queries_with(changes: int) -> int:
        risk = make_risk(f"Risk with {changes} changes")
        for number in range(changes):
            services.change_risk(
                risk=risk,
                by=owners[number % 2],
                reason=f"Change {number}.",
                likelihood=RiskLevel.HIGH if number % 2 == 0 else RiskLevel.MEDIUM,
                owner=owners[(number + 1) % 3],
            )
        client.get(risk_url(plan, risk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(risk_url(plan, risk))
        assert response.status_code == 200
        assert response.content.decode().count('<li class="hub-timeline__entry">') == changes + 1
        return len(queries)

    assert queries_with(2) == queries_with(200)


def test_the_demo_has_risks_whose_rating_changed_with_reasons(client, home, role_groups):
    hub_demo.load()
    demo.load()

    changed = [
        risk
        for risk in Risk.objects.all()
        if risk.history.filter(history_type="~", history_change_reason__gt="").exists()
    ]
    assert len(changed) >= 2
    for risk in changed:
        first, *later = risk.history.order_by("history_date")
        assert first.history_date.date() == datetime.date(2014, 11, 1)
        assert all(entry.history_change_reason for entry in later)
    history = Risk.history.count()
    demo.load()
    assert Risk.history.count() == history

    staff = get_user_model().objects.get(username="staff")
    plan = changed[0].plan
    html = get(client, staff, risk_url(plan, changed[0])).content.decode()
    assert escape(changed[0].history.latest().history_change_reason) in html


def test_a_widened_risk_keeps_what_it_said_before_from_its_new_readers(
    client, people, plan, make_risk
):
    risk = make_risk(
        description="Child K placement breakdown leaves the team short.",
        on=datetime.date(2015, 1, 5),
    )
    services.change_risk(
        risk=risk,
        by=people["approver"],
        on=datetime.date(2015, 2, 2),
        audience=Audience.PARTNERS,
        description="Placement breakdowns leave the team short.",
    )

    partner = get(client, people["partner"], risk_url(plan, risk)).content.decode()
    staff = get(client, people["staff"], risk_url(plan, risk)).content.decode()

    assert "Placement breakdowns leave the team short." in partner
    assert "Child K" not in partner
    assert "open to a narrower audience than yours" in partner
    assert "Child K placement breakdown" in staff
    assert "narrower audience" not in staff
