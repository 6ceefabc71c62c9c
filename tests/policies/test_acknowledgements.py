"""Who has read a policy, agency by agency: for its owners whole, for a partner their own agency."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub import roles
from hub.audiences import Audience
from hub.models import Agency, Profile
from policies.models import Acknowledgement
from tests.cases import failures
from tests.factories import UserFactory
from tests.matrix import ROLES

# In the matrix, who sees the whole report of a policy for partners and staff: the policy
# library's editors and approvers and the site's administrators (as well as the policy's
# owner and approver); the partner sees their own agency's part; nobody else sees any.
SEES_WHOLE_REPORT = {"editor", "approver", "administrator"}
SEES_OWN_AGENCY = {"partner"}

AGENCIES = {
    "staff": "Children's Services",
    "secretary": "Children's Services",
    "editor": "Children's Services",
    "approver": "Children's Services",
    "administrator": "Children's Services",
    "partner": "Health",
    "panel_member": "Police",
}


def give_agency(person, name):
    agency, _ = Agency.objects.get_or_create(name=name)
    Profile.objects.update_or_create(user=person, defaults={"agency": agency})
    return agency


@pytest.fixture
def policy(make_policy, people, owner, approver_person):
    """A policy for partners and staff that readers confirm, read by some of each agency."""
    for role, name in AGENCIES.items():
        give_agency(people[role], name)
    health_visitor = UserFactory(
        username="visitor",
        first_name="Hana",
        last_name="Visitor",
        groups=[roles.PARTNERS],
    )
    give_agency(health_visitor, "Health")
    constable = UserFactory(
        username="constable", first_name="Pat", last_name="Constable", groups=[roles.PARTNERS]
    )
    give_agency(constable, "Police")
    page = make_policy(
        title="Threshold document", audience=Audience.PARTNERS, requires_acknowledgement=True
    )
    version = page.versions.get()
    for person in (people["staff"], people["partner"], health_visitor, people["panel_member"]):
        Acknowledgement.objects.create(version=version, user=person)
    return page


def get(client, user, url):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def agency_sections(response):
    page = BeautifulSoup(response.content, "html.parser")
    return {
        section.find(["h2", "h3"]).get_text(" ", strip=True): section.get_text(" ", strip=True)
        for section in page.select("section[id^='agency-']")
    }


def test_the_report_is_grouped_by_agency_with_totals(client, policy, owner):
    client.force_login(owner)

    response = client.get(f"{policy.url}acknowledgements/")
    html = response.content.decode()
    sections = agency_sections(response)

    assert response.status_code == 200
    assert list(sections) == ["Children's Services", "Health", "Police", "No agency recorded"]
    assert "2 of 2 confirmed (100%)" in sections["Health"]
    assert "Hana Visitor" in sections["Health"]
    assert "1 of 2 confirmed (50%)" in sections["Police"]
    assert "Pat Constable" in sections["Police"]
    # The totals come first, with a row for each agency.
    table = BeautifulSoup(response.content, "html.parser").find("table")
    assert table.find("caption") is not None
    assert all(cell.get("scope") in ("col", "row") for cell in table.find_all("th"))
    assert html.index("<table") < html.index('id="agency-1"')
    # The table scrolls in its own region, named by its caption; the counts are numbers.
    region = table.parent
    assert "hub-table-container" in region["class"]
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-label"] == table.caption.get_text(strip=True)
    assert "govuk-table" in table["class"]
    assert all("govuk-table__cell--numeric" in cell["class"] for cell in table.tbody.find_all("td"))


def test_the_agencies_come_in_order_of_name_with_no_agency_last(client, policy, owner):
    client.force_login(owner)

    sections = list(agency_sections(client.get(f"{policy.url}acknowledgements/")))

    assert sections[-1] == "No agency recorded"
    assert sections[:-1] == sorted(sections[:-1])


def test_the_csv_names_each_persons_agency(client, policy, owner):
    client.force_login(owner)

    rows = {
        row["Username"]: row for row in rows_of(client.get(f"{policy.url}acknowledgements/csv/"))
    }

    assert rows["visitor"]["Agency"] == "Health"
    assert rows["constable"]["Agency"] == "Police" and rows["constable"]["Confirmed"] == "no"
    assert rows["other_member"]["Agency"] == ""


def test_the_summary_csv_has_a_row_per_agency(client, policy, owner):
    client.force_login(owner)

    response = client.get(f"{policy.url}acknowledgements/csv/?summary=1")
    rows = {row["Agency"]: row for row in rows_of(response)}

    assert response["Content-Type"].startswith("text/csv")
    assert "summary" in response["Content-Disposition"]
    assert rows["Health"] == {
        "Agency": "Health",
        "Version": "1",
        "In the audience": "2",
        "Confirmed": "2",
        "Not yet confirmed": "0",
        "Confirmed (%)": "100",
    }
    assert rows["Police"]["Confirmed (%)"] == "50"
    assert "No agency recorded" in rows
    assert rows["All agencies"]["In the audience"] == str(
        sum(int(row["In the audience"]) for name, row in rows.items() if name != "All agencies")
    )


def test_a_partner_sees_only_their_own_agency(client, people, policy):
    response = get(client, people["partner"], f"{policy.url}acknowledgements/")
    html = response.content.decode()

    assert response.status_code == 200
    assert list(agency_sections(response)) == ["Health"]
    assert "Hana Visitor" in html
    assert "Pat Constable" not in html
    assert people["staff"].get_full_name() not in html
    assert "2 of 2" in html


def test_a_partners_spreadsheets_hold_only_their_own_agency(client, people, policy):
    client.force_login(people["partner"])

    rows = rows_of(client.get(f"{policy.url}acknowledgements/csv/"))
    summary = rows_of(client.get(f"{policy.url}acknowledgements/csv/?summary=1"))

    assert {row["Name"] for row in rows} == {people["partner"].get_full_name(), "Hana Visitor"}
    assert {row["Agency"] for row in rows} == {"Health"}
    assert [row["Agency"] for row in summary] == ["Health"]


def test_a_partner_is_shown_colleagues_names_never_their_sign_ins_or_email(client, people, policy):
    client.force_login(people["partner"])

    [header, *_] = client.get(f"{policy.url}acknowledgements/csv/").content.decode().splitlines()
    html = client.get(f"{policy.url}acknowledgements/").content.decode()

    assert header.split(",") == ["Name", "Agency", "Version", "Confirmed", "Confirmed at"]
    assert "visitor" not in html.replace("Hana Visitor", "")


def test_a_partner_is_offered_the_report_from_the_policy(client, people, policy):
    html = get(client, people["partner"], policy.url).content.decode()

    assert f'href="{policy.url}acknowledgements/"' in html


def test_a_partner_without_an_agency_is_refused(client, people, policy):
    Profile.objects.filter(user=people["partner"]).delete()

    response = get(client, people["partner"], f"{policy.url}acknowledgements/")
    page = get(client, people["partner"], policy.url).content.decode()

    assert response.status_code == 403
    assert f'href="{policy.url}acknowledgements/"' not in page


def test_a_partner_outside_the_audience_is_refused(client, people, make_policy):
    give_agency(people["partner"], "Health")
    page = make_policy(
        title="Staff procedure", audience=Audience.STAFF, requires_acknowledgement=True
    )

    for suffix in ("acknowledgements/", "acknowledgements/csv/"):
        assert get(client, people["partner"], page.url + suffix).status_code == 403


def test_who_sees_the_report(client, people, policy):
    def sees_what_their_role_allows(role):
        for suffix in ("acknowledgements/", "acknowledgements/csv/"):
            response = get(client, people[role], policy.url + suffix)
            if role in SEES_WHOLE_REPORT | SEES_OWN_AGENCY:
                assert response.status_code == 200, suffix
                if suffix.endswith("csv/"):
                    agencies = {row["Agency"] for row in rows_of(response)}
                    assert ("Police" in agencies) is (role in SEES_WHOLE_REPORT)
            elif role == "anonymous":
                assert response.status_code == 302, suffix
            else:
                assert response.status_code == 403, suffix

    assert failures(ROLES, sees_what_their_role_allows) == []


def test_the_report_reads_200_people_in_as_many_queries_as_2(
    client, make_policy, owner, role_groups
):
    agencies = [Agency.objects.create(name=f"Agency {n}") for n in range(5)]
    pages = []
    for count in (2, 200):
        group = f"Panel: P{count}"
        people = [
            UserFactory(username=f"reader-{count}-{n}", groups=[group], two_factor=False)
            for n in range(count)
        ]
        Profile.objects.bulk_create(
            Profile(user=person, agency=agencies[n % 5]) for n, person in enumerate(people)
        )
        page = make_policy(
            title=f"Policy for {count}",
            audience=Audience.PANEL,
            audience_group=people[0].groups.get(),
            requires_acknowledgement=True,
        )
        Acknowledgement.objects.bulk_create(
            Acknowledgement(version=page.versions.get(), user=person) for person in people[::2]
        )
        pages.append(page)
    # The owner reads both policies (their panels' members only) as a member of each panel.
    owner.groups.add(*(page.audience_group for page in pages))
    client.force_login(owner)
    client.get(f"{pages[0].url}acknowledgements/")

    counts = []
    for page in pages:
        for suffix in ("acknowledgements/", "acknowledgements/csv/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page.url + suffix).status_code == 200
            counts.append((suffix, len(queries)))

    assert counts[:2] == counts[2:]
