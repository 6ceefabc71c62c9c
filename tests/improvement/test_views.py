"""The plan, milestones, risks and evidence packs over HTTP, for every role."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.audiences import Audience
from improvement import charts
from improvement.models import Milestone, Risk, RiskLevel
from improvement.views import STATUS_SERIES
from tests import nu_checker
from tests.cases import failures
from tests.matrix import READS_STAFF_ONLY, ROLES
from tests.policies.conftest import publish


def get(client, user, url, **params):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url, params)


def test_the_plan_shows_only_milestones_the_reader_may_see(client, people, plan, make_milestone):
    make_milestone(title="Partner milestone", audience=Audience.PARTNERS)
    make_milestone(title="Head of Service recruitment", audience=Audience.STAFF)

    def shows_only_what_they_may_see(role):
        html = get(client, people[role], plan.url).content.decode()
        assert ("Partner milestone" in html) is (role != "anonymous")
        assert ("Head of Service recruitment" in html) is (role in READS_STAFF_ONLY)

    assert failures(ROLES, shows_only_what_they_may_see) == []


def test_overdue_milestones_come_first_with_their_reason(client, people, plan, make_milestone):
    make_milestone(
        title="Done early", due_on=datetime.date(2015, 1, 1), done_on=datetime.date(2014, 12, 1)
    )
    make_milestone(title="Late one", due_on=datetime.date(2015, 2, 1))

    html = get(client, people["staff"], plan.url).content.decode()

    overdue = html[html.index("Overdue and at risk") : html.index("Areas of particular focus")]
    assert "Late one" in overdue and "Done early" not in overdue
    assert "Past its due date of 1 February 2015 and not done." in overdue


def test_the_chart_has_a_title_and_a_table_of_its_figures(client, people, plan, make_milestone):
    make_milestone(due_on=datetime.date(2015, 1, 31))

    html = get(client, people["staff"], plan.url).content.decode()

    assert 'role="img" aria-labelledby="milestones-by-month-title"' in html
    assert (
        '<title id="milestones-by-month-title">'
        "Milestones due each month, by status on 30 April 2015</title>" in html
    )
    assert (
        '<caption id="milestones-table-caption" '
        'class="govuk-table__caption govuk-table__caption--m">'
        "Milestones due each month, by status on 30 April 2015</caption>"
    ) in html


def test_an_invisible_milestone_is_not_found(client, people, plan, make_milestone):
    hidden = make_milestone(audience=Audience.STAFF)

    assert get(client, people["partner"], f"{plan.url}milestones/{hidden.pk}/").status_code == 404
    assert get(client, people["staff"], f"{plan.url}milestones/{hidden.pk}/").status_code == 200


def test_a_milestone_lists_the_policies_that_serve_it(
    client, people, plan, make_milestone, make_policy, approver_person
):
    milestone = make_milestone()
    staff_policy = make_policy(title="Staff protocol", audience=Audience.STAFF)
    publish(staff_policy, by=approver_person, note="Linked.", milestones=[milestone])
    public_policy = make_policy(title="Public threshold", audience=Audience.PUBLIC)
    publish(public_policy, by=approver_person, note="Linked.", milestones=[milestone])

    partner = get(
        client, people["partner"], f"{plan.url}milestones/{milestone.pk}/"
    ).content.decode()
    staff = get(client, people["staff"], f"{plan.url}milestones/{milestone.pk}/").content.decode()

    assert "Public threshold" in partner and "Staff protocol" not in partner
    assert "Staff protocol" in staff


def test_a_manager_overrides_a_status_on_the_milestone_page(client, people, plan, make_milestone):
    milestone = make_milestone()
    client.force_login(people["approver"])

    response = client.post(
        f"{plan.url}milestones/{milestone.pk}/override/",
        {"status": "amber", "reason": "Slipping: the panel met late."},
        follow=True,
    )

    html = response.content.decode()
    assert "The status has been updated" in html
    assert "(set by a manager)" in html
    assert "Slipping: the panel met late." in html


def test_an_override_without_a_reason_explains_and_saves_nothing(
    client, people, plan, make_milestone
):
    milestone = make_milestone()
    client.force_login(people["approver"])

    response = client.post(
        f"{plan.url}milestones/{milestone.pk}/override/", {"status": "green"}, follow=True
    )

    assert "Say why the status is being overridden." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).status_override == ""


def test_readers_cannot_override(client, people, plan, make_milestone):
    milestone = make_milestone()
    client.force_login(people["staff"])

    response = client.post(
        f"{plan.url}milestones/{milestone.pk}/override/", {"status": "green", "reason": "x"}
    )

    assert response.status_code == 403
    assert (
        "Override the status"
        not in client.get(f"{plan.url}milestones/{milestone.pk}/").content.decode()
    )


def test_risks_follow_their_audience(client, people, plan):
    Risk.objects.create(
        plan=plan,
        title="Viability",
        description="Capacity.",
        impact=RiskLevel.HIGH,
        likelihood=RiskLevel.MEDIUM,
        owner=people["approver"],
        mitigation="Appoint.",
        review_on=datetime.date(2015, 3, 31),
        audience=Audience.STAFF,
    )

    assert "Viability" not in get(client, people["partner"], f"{plan.url}risks/").content.decode()
    assert "Viability" in get(client, people["staff"], f"{plan.url}risks/").content.decode()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2999-01-01", "choose today or an earlier date"),
        ("31/03/2015", "is not a date"),
        ("2015-02-30", "is not a date"),
    ],
)
def test_a_bad_evidence_date_gets_a_clear_message(client, people, plan, on, message):
    response = get(client, people["staff"], f"{plan.url}evidence/", on=on)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_evidence_pack_holds_the_versions_in_force_that_day(
    client, people, plan, make_milestone, make_policy, approver_person
):
    milestone = make_milestone()
    policy = make_policy(
        title="Transfer Protocol", effective=datetime.date(2015, 1, 15), milestones=[milestone]
    )
    publish(policy, by=approver_person, note="Second.", effective=datetime.date(2015, 3, 3))

    before = get(client, people["staff"], f"{plan.url}evidence/", on="2015-02-01").content.decode()
    after = get(client, people["staff"], f"{plan.url}evidence/", on="2015-03-31").content.decode()

    assert "Version 1" in before and "Version 2" not in before
    assert "Version 2" in after


def test_the_evidence_export_has_only_what_the_reader_may_see(
    client, people, plan, make_milestone, make_policy
):
    shared = make_milestone(title="Shared milestone")
    make_milestone(title="Staff milestone", audience=Audience.STAFF)
    make_policy(title="Staff protocol", audience=Audience.STAFF, milestones=[shared])
    make_policy(title="Public threshold", audience=Audience.PUBLIC, milestones=[shared])

    export = get(client, people["partner"], f"{plan.url}evidence/csv/", on="2015-03-31")
    titles = [row["Title"] for row in csv.DictReader(io.StringIO(export.content.decode()))]

    assert export["Content-Type"].startswith("text/csv")
    assert "Shared milestone" in titles and "Public threshold" in titles
    assert "Staff milestone" not in titles and "Staff protocol" not in titles


@pytest.mark.parametrize("suffix", ["", "evidence/"])
def test_query_counts_do_not_grow_with_the_number_of_milestones(client, people, plan, area, suffix):
    def add(count):
        Milestone.objects.bulk_create(
            Milestone(
                plan=plan,
                focus_area=area,
                title=f"M{n}",
                owner=people["approver"],
                due_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 120),
                audience=Audience.PARTNERS,
            )
            for n in range(count)
        )

    client.force_login(people["staff"])
    counts = []
    for total in (10, 300):
        Milestone.objects.all().delete()
        add(total)
        client.get(plan.url + suffix)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(plan.url + suffix).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_admin_milestone_list_holds_only_what_the_manager_may_see(
    client, people, make_milestone, crp
):
    make_milestone(title="Open to partners")
    make_milestone(title="Members only", audience=Audience.PANEL, audience_group=crp.members_group)
    client.force_login(people["approver"])

    html = client.get("/admin/snippets/improvement/milestone/").content.decode()

    assert "Open to partners" in html
    assert "Members only" not in html


def test_no_cell_of_the_evidence_export_runs_as_a_formula(
    client, people, plan, area, make_milestone, make_policy
):
    area.title = "=HYPERLINK(area)"
    area.save()
    milestone = make_milestone(title="@SUM(milestone)")
    make_policy(title="+cmd(policy)", audience=Audience.PUBLIC, milestones=[milestone])

    export = get(client, people["partner"], f"{plan.url}evidence/csv/", on="2015-03-31")
    cells = [cell for row in csv.reader(io.StringIO(export.content.decode())) for cell in row]

    assert "'=HYPERLINK(area)" in cells and "'@SUM(milestone)" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def region_around(element):
    """The scroll region an element sits in, with the element that names it."""
    region = element.find_parent("div", class_="hub-table-container")
    assert region is not None, f"not in a hub-table-container: {str(element)[:80]}"
    assert region["role"] == "region" and region["tabindex"] == "0"
    name = region.find_parent("html").find(id=region.get("aria-labelledby"))
    assert name is not None, f"region labelled by no element: {region.get('aria-labelledby')}"
    return region, name


@pytest.fixture
def full_plan(client, people, plan, make_milestone, make_risk):
    """A plan with an overdue milestone and a risk, read by staff."""
    make_milestone(title="Late one", due_on=datetime.date(2015, 2, 1))
    make_milestone(
        title="Done early", due_on=datetime.date(2015, 1, 1), done_on=datetime.date(2014, 12, 1)
    )
    make_risk()
    client.force_login(people["staff"])
    return plan


def test_every_table_sits_in_a_scroll_region_named_by_its_heading(client, full_plan):
    pages = {
        "plan": full_plan.url,
        "evidence": f"{full_plan.url}evidence/?on=2015-03-31",
        "risks": f"{full_plan.url}risks/",
    }
    for name, url in pages.items():
        tables = soup_of(client.get(url)).find_all("table")
        assert tables, name
        for table in tables:
            _, label = region_around(table)
            assert label.name in {"h1", "h2", "caption"}, name
            assert "govuk-table" in table["class"]
            assert all("govuk-table__row" in row["class"] for row in table.find_all("tr"))


def test_each_chart_scrolls_in_its_region_with_labels_at_full_size(client, full_plan):
    page = soup_of(client.get(full_plan.url))

    svgs = page.find_all("svg")
    assert len(svgs) == 2
    for svg, heading in zip(
        svgs, ["Milestones by month", "Actions opened and closed"], strict=True
    ):
        _, label = region_around(svg)
        assert (label.name, label.get_text()) == ("h2", heading)
        assert "hub-chart" in svg["class"]
        # Drawn no narrower than the 36rem (576px) hub-chart keeps it to at 320px, so its
        # 14px labels are never scaled down there.
        assert float(svg["viewbox"].split()[2]) >= 576
        sizes = [float(text["font-size"]) for text in svg.find_all("text")]
        assert sizes and min(sizes) >= 14


def test_a_chart_of_many_months_keeps_its_natural_width_to_scroll():
    labels = [f"M{n}" for n in range(24)]

    svg = BeautifulSoup(
        charts.stacked_bars(
            chart_id="long",
            title="Long plan",
            labels=labels,
            series=STATUS_SERIES,
            values={label: {"red": 1} for label in labels},
        ),
        "html.parser",
    ).svg

    assert svg["class"] == ["hub-chart", "hub-chart--wide"]
    assert svg["width"] == svg["viewbox"].split()[2]
    assert {text["font-size"] for text in svg.find_all("text")} == {"14"}


def test_the_legend_and_the_timelines_use_the_hubs_styles(client, full_plan):
    page = soup_of(client.get(full_plan.url))
    milestone = Milestone.objects.get(title="Late one")
    history = soup_of(client.get(f"{full_plan.url}milestones/{milestone.pk}/"))

    legends = page.find_all("ul", class_="hub-legend")
    assert len(legends) == 2
    swatches = [span["class"][1] for span in legends[0].find_all("span")]
    assert swatches == [
        f"hub-legend__swatch--{key}" for key in ("red", "amber", "green", "complete")
    ]
    assert page.find(id="timeline-heading").find_next("ol")["class"] == ["hub-timeline"]
    assert history.find("ol", class_="hub-timeline").find("li", class_="hub-timeline__entry")
    assert not page.select(".legend, .timeline, .chart, .summary-list, .hint, .empty-state")


def test_statuses_are_govuk_tags_and_progress_bars_say_how_far(client, full_plan):
    page = soup_of(client.get(full_plan.url))

    overdue = page.find(id="overdue-heading").find_parent("section")
    tag = overdue.find("strong", class_="govuk-tag")
    assert tag["class"] == ["govuk-tag", "govuk-tag--red"] and tag.get_text() == "Red"
    [progress] = page.find_all("progress")
    assert progress["aria-label"] == (
        "Evidence of good management decision making: 1 of 2 complete"
    )
    assert progress.get_text() == "1 of 2"


def test_the_focus_area_choice_is_a_govuk_select_that_fits_its_column(client, full_plan):
    page = soup_of(client.get(f"{full_plan.url}evidence/"))

    select = page.find("select", id="evidence-area")
    assert select["class"] == ["govuk-select"]
    group = select.find_parent("div")
    assert "govuk-form-group" in group["class"]
    assert group.find("label", attrs={"for": "evidence-area"})["class"] == [
        "govuk-label",
        "govuk-label--s",
    ]
    date = page.find("input", id="evidence-date")
    assert (date["type"], date["class"]) == ("date", ["govuk-input", "govuk-input--width-10"])


def test_the_risk_register_and_milestones_get_breadcrumbs_through_the_plan(client, full_plan):
    milestone = Milestone.objects.get(title="Late one")
    risk = Risk.objects.get()

    def trail(url):
        crumbs = soup_of(client.get(url)).find("nav", class_="govuk-breadcrumbs")
        return [item.get_text(strip=True) for item in crumbs.find_all("li")]

    assert trail(f"{full_plan.url}risks/")[-2:] == ["Improvement plan", "Risk register"]
    assert trail(f"{full_plan.url}risks/{risk.pk}/")[-3:] == [
        "Improvement plan",
        "Risk register",
        "Viability",
    ]
    assert trail(f"{full_plan.url}milestones/{milestone.pk}/")[-2:] == [
        "Improvement plan",
        "Late one",
    ]
    assert trail(f"{full_plan.url}evidence/")[-1] == "Evidence pack"


@pytest.mark.skipif(nu_checker.java() is None, reason="the Nu HTML Checker needs Java")
def test_the_plans_pages_are_valid_html(client, people, full_plan):
    milestone = Milestone.objects.get(title="Late one")
    risk = Risk.objects.get()
    client.force_login(people["approver"])
    urls = [
        full_plan.url,
        f"{full_plan.url}?on=31/03/2015",
        f"{full_plan.url}milestones/{milestone.pk}/",
        f"{full_plan.url}milestones/{milestone.pk}/?on=2015-13-01",
        f"{full_plan.url}risks/",
        f"{full_plan.url}risks/{risk.pk}/",
        f"{full_plan.url}evidence/?on=2015-03-31",
        f"{full_plan.url}evidence/?on=nonsense",
    ]

    found = nu_checker.errors({url: client.get(url).content.decode() for url in urls})

    assert found == {}
