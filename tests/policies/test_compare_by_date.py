"""Comparing the versions in force on two dates, with bad input answered on the same page."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from hub.audiences import Audience
from tests.policies.conftest import publish


@pytest.fixture
def policy(make_policy, approver_person):
    """Three versions: from 1 April 2014, 3 March 2015 and 1 June 2015."""
    page = make_policy(
        title="Threshold document", audience=Audience.PUBLIC, effective=datetime.date(2014, 4, 1)
    )
    page = publish(
        page, by=approver_person, note="Level 3 reworded.", effective=datetime.date(2015, 3, 3)
    )
    return publish(
        page, by=approver_person, note="Level 4 reworded.", effective=datetime.date(2015, 6, 1)
    )


def by_date(client, page, **dates):
    return client.get(f"{page.url}versions/compare/dates/", dates)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_versions_page_offers_to_compare_by_date_with_labels_and_hints(client, policy):
    page = soup(client.get(f"{policy.url}versions/"))

    form = page.find("form", action=f"{policy.url}versions/compare/dates/")
    assert form is not None and form["method"] == "get"
    for name in ("date_a", "date_b"):
        field = form.find("input", attrs={"name": name})
        assert field["type"] == "date"
        label = form.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True)
        assert all(page.find(id=described) for described in field["aria-describedby"].split())


def test_the_form_starts_at_a_year_ago_and_today(client, policy):
    today = timezone.localdate()
    form = soup(client.get(f"{policy.url}versions/")).find(
        "form", action=f"{policy.url}versions/compare/dates/"
    )

    earlier = datetime.date.fromisoformat(form.find("input", attrs={"name": "date_a"})["value"])
    later = datetime.date.fromisoformat(form.find("input", attrs={"name": "date_b"})["value"])
    assert later == today
    assert 365 <= (today - earlier).days <= 366


def test_the_date_fields_are_govuk_date_inputs_in_form_groups(client, policy):
    form = soup(client.get(f"{policy.url}versions/")).find(
        "form", action=f"{policy.url}versions/compare/dates/"
    )

    for name in ("date_a", "date_b"):
        field = form.find("input", attrs={"name": name})
        assert field["type"] == "date"
        assert {"govuk-input", "govuk-input--width-10"} <= set(field["class"])
        group = field.find_parent("div")
        assert "govuk-form-group" in group["class"]
        assert "govuk-label" in group.find("label", attrs={"for": field["id"]})["class"]
        assert "govuk-hint" in group.find(id=f"{field['id']}_helptext")["class"]
    assert "govuk-button" in form.find("button", string="Compare these dates")["class"]


def test_a_typed_value_that_is_not_a_date_comes_back_in_a_text_box_marked_in_error(client, policy):
    page = soup(by_date(client, policy, date_a="31/02/2015", date_b="2015-07-01"))

    field = page.find(id="compare-date_a")
    # A date box would drop "31/02/2015" and show an empty box beside the error.
    assert field["type"] == "text" and field["value"] == "31/02/2015"
    assert {"govuk-input", "govuk-input--width-10", "govuk-input--error"} <= set(field["class"])
    group = field.find_parent("div")
    assert {"govuk-form-group", "govuk-form-group--error"} <= set(group["class"])
    message = group.find(id="compare-date_a_error")
    assert "govuk-error-message" in message["class"]
    assert message.find(class_="govuk-visually-hidden").get_text() == "Error:"
    # The other date, a date, stays in a date box, not in error.
    other = page.find(id="compare-date_b")
    assert other["type"] == "date" and "govuk-input--error" not in other["class"]


def test_two_dates_lead_to_the_comparison_of_the_versions_then(client, policy):
    response = by_date(client, policy, date_a="2014-06-01", date_b="2015-07-01")

    assert response.status_code == 302
    assert response["Location"] == f"{policy.url}versions/compare/1...3/"
    assert client.get(response["Location"]).status_code == 200


def test_the_dates_may_come_in_either_order(client, policy):
    response = by_date(client, policy, date_a="2015-03-03", date_b="2014-04-01")

    assert response["Location"] == f"{policy.url}versions/compare/1...2/"


def test_the_day_a_version_takes_effect_is_in_force(client, policy):
    response = by_date(client, policy, date_a="2014-04-01", date_b="2015-06-01")

    assert response["Location"] == f"{policy.url}versions/compare/1...3/"


def error_summary(page):
    """The "There is a problem" summary at the top of the page, or None."""
    title = page.find("h2", string=re.compile("There is a problem"))
    return title and title.find_parent(class_=re.compile("error-summary$"))


def errors_of(response):
    page = soup(response)
    summary = error_summary(page)
    assert summary is not None
    return {link["href"]: link.get_text(strip=True) for link in summary.select("a")}, page


def test_empty_dates_are_asked_for_on_the_same_page(client, policy):
    response = by_date(client, policy, date_a="", date_b="")

    assert response.status_code == 400
    errors, page = errors_of(response)
    assert set(errors) == {"#compare-date_a", "#compare-date_b"}
    assert all("Enter" in message for message in errors.values())
    # Still the versions page, with its table.
    assert page.find("table") is not None
    field = page.find(id="compare-date_a")
    assert field["aria-invalid"] == "true"
    assert "compare-date_a_error" in field["aria-describedby"]


def test_a_date_missing_from_the_address_is_asked_for(client, policy):
    response = by_date(client, policy, date_a="2015-01-01")

    assert response.status_code == 400
    errors, _ = errors_of(response)
    assert set(errors) == {"#compare-date_b"}


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2015",
        "2015-02-30",
        "yesterday",
        "99999-01-01",
        "0000-00-00",
        "2015-1-1' OR 1=1 --",
        "x" * 5000,
        "２０１５-０１-０１",
    ],
)
def test_a_date_that_is_not_a_date_is_refused_and_kept(client, policy, typed):
    response = by_date(client, policy, date_a=typed, date_b="2015-07-01")

    assert response.status_code == 400
    errors, page = errors_of(response)
    assert set(errors) == {"#compare-date_a"}
    assert "is not a date" in errors["#compare-date_a"]
    assert page.find(id="compare-date_a")["value"] == typed
    assert page.find(id="compare-date_b")["value"] == "2015-07-01"


def test_a_date_before_the_first_version_says_when_it_took_effect(client, policy):
    response = by_date(client, policy, date_a="2014-03-31", date_b="2015-07-01")

    assert response.status_code == 400
    errors, page = errors_of(response)
    assert errors == {
        "#compare-date_a": "Version 1 took effect on 1 April 2014; choose that date or later."
    }
    assert page.find(id="compare-date_a")["value"] == "2014-03-31"


def test_a_date_too_early_is_marked_beside_one_that_is_not_a_date(client, policy):
    response = by_date(client, policy, date_a="2010-01-01", date_b="junk")

    errors, _ = errors_of(response)
    assert "took effect on 1 April 2014" in errors["#compare-date_a"]
    assert "is not a date" in errors["#compare-date_b"]


def test_both_dates_too_early_are_both_marked(client, policy):
    response = by_date(client, policy, date_a="2010-01-01", date_b="2011-01-01")

    errors, _ = errors_of(response)
    assert set(errors) == {"#compare-date_a", "#compare-date_b"}


def test_the_same_version_on_both_dates_is_a_notice_with_a_link_to_it(client, policy):
    response = by_date(client, policy, date_a="2015-03-04", date_b="2015-05-31")

    assert response.status_code == 200
    page = soup(response)
    assert error_summary(page) is None
    notice = page.find(attrs={"role": "status"})
    text = notice.get_text(" ", strip=True)
    assert "Version 2 was in force on both dates: nothing changed between them" in text
    assert notice.find("a", href=f"{policy.url}versions/2/") is not None
    assert page.find(id="compare-date_a")["value"] == "2015-03-04"


def test_a_restricted_policy_compares_by_date_only_for_its_readers(
    client, people, make_policy, approver_person
):
    page = make_policy(title="Staff protocol", audience=Audience.STAFF)
    page = publish(page, by=approver_person, note="Changed.", effective=datetime.date(2015, 3, 3))

    anonymous = by_date(client, page, date_a="2015-02-01", date_b="2015-04-01")
    client.force_login(people["partner"])
    partner = by_date(client, page, date_a="2015-02-01", date_b="2015-04-01")
    client.force_login(people["staff"])
    staff = by_date(client, page, date_a="2015-02-01", date_b="2015-04-01")

    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert partner.status_code == 403
    assert staff["Location"] == f"{page.url}versions/compare/1...2/"


def test_what_changed_in_the_last_year_works_by_date(client, make_policy, approver_person):
    today = timezone.localdate()
    page = make_policy(
        title="Recently changed",
        audience=Audience.PUBLIC,
        effective=today - datetime.timedelta(500),
    )
    page = publish(
        page, by=approver_person, note="Changed.", effective=today - datetime.timedelta(100)
    )

    link = soup(client.get(page.url)).find("a", string="What changed in the last year")
    response = client.get(link["href"])

    assert "versions/compare/dates/" in link["href"]
    assert response["Location"] == f"{page.url}versions/compare/1...2/"


def test_a_policy_unchanged_for_a_year_offers_no_last_year_comparison(client, policy):
    html = client.get(policy.url).content.decode()

    assert "What changed in the last year" not in html
