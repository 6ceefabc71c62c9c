"""Policy pages over HTTP, for every role, with bad input and constant query counts."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from hub import services as hub_services
from hub.audiences import Audience
from policies.models import PolicyKind, PolicyVersion
from tests import nu_checker
from tests.cases import failures
from tests.matrix import READS_STAFF_ONLY, ROLES
from tests.policies.conftest import publish

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def staff_policy(make_policy, approver_person):
    """A staff-only policy with two versions and an attachment on the second."""
    document = get_document_model().objects.create(
        title="Transfer checklist", file=ContentFile(b"checklist", name="checklist.txt")
    )
    page = make_policy(title="Secret transfer protocol", text="Original wording of the protocol.")
    stream = [
        {"type": "text", "value": "<p>Revised wording of the protocol.</p>", "id": "a"},
        {"type": "document", "value": {"document": document.pk, "title": ""}, "id": "b"},
    ]
    return publish(
        page,
        by=approver_person,
        note="Receiving manager now records acceptance.",
        effective=datetime.date(2015, 3, 3),
        body=json.dumps(stream),
    )


def get(client, user, url):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


def policy_urls(page):
    version = page.versions.get(number=2)
    attachment = version.attachments.get()
    return [
        page.url,
        f"{page.url}?on=2015-03-04",
        f"{page.url}versions/",
        f"{page.url}versions/1/",
        f"{page.url}versions/compare/1...2/",
        f"{page.url}versions/2/attachments/{attachment.pk}/",
    ]


def test_a_staff_only_policy_and_everything_about_it_follows_its_audience(
    client, people, staff_policy
):
    def follows_its_audience(role):
        for url in policy_urls(staff_policy):
            response = get(client, people[role], url)
            content = (
                response.content.decode(errors="replace") if response.streaming is False else ""
            )
            if role in READS_STAFF_ONLY:
                assert response.status_code == 200, url
            else:
                assert response.status_code in (302, 403), url
                assert "Secret transfer protocol" not in content
                assert "Revised wording" not in content

    assert failures(ROLES, follows_its_audience) == []


def test_the_current_version_shows_its_number_date_and_note(client, people, staff_policy):
    html = get(client, people["staff"], staff_policy.url).content.decode()

    assert "2 (current)" in html
    assert "3 March 2015" in html
    assert "Receiving manager now records acceptance." in html
    assert "Revised wording of the protocol." in html


def test_an_old_version_says_it_was_superseded_and_links_to_the_current(
    client, people, staff_policy
):
    html = get(client, people["staff"], f"{staff_policy.url}versions/1/").content.decode()

    assert "superseded on 3 March 2015 by version 2" in html
    assert "Original wording of the protocol." in html
    assert "Revised wording" not in html
    assert f'href="{staff_policy.url}">Read the current version' in html


def test_in_force_on_a_date_answers_with_the_version_then(client, people, staff_policy):
    before = get(client, people["staff"], f"{staff_policy.url}?on=2015-03-02").content.decode()
    after = get(client, people["staff"], f"{staff_policy.url}?on=2015-03-03").content.decode()

    assert "Original wording of the protocol." in before
    assert "You asked what was in force on" in before
    assert "Revised wording of the protocol." in after


def test_in_force_before_the_policy_existed_says_so(client, people, staff_policy):
    response = get(client, people["staff"], f"{staff_policy.url}?on=2014-01-01")

    assert response.status_code == 404
    assert "not in force on 1 January 2014" in response.content.decode()
    assert "first version took effect on 15 January 2015" in response.content.decode()


def test_a_malformed_date_gets_a_clear_message(client, people, staff_policy):
    def explained(bad):
        response = get(client, people["staff"], f"{staff_policy.url}?on={bad}")
        assert response.status_code == 400
        assert "is not a date" in response.content.decode()

    bad_dates = ["2015-13-01", "yesterday", "2015-03-03'; DROP TABLE"]
    assert failures(bad_dates, explained) == []


def test_no_date_asks_for_one_rather_than_calling_nothing_a_bad_date(client, people, staff_policy):
    for empty in ("", "  "):
        response = get(client, people["staff"], f"{staff_policy.url}?on={empty}")
        page = response.content.decode()
        assert response.status_code == 400
        assert "Enter the date you want to see this policy as it was in force on" in page
        assert "is not a date" not in page
        assert 'aria-describedby="on-date-error"' in page


def test_the_versions_list_shows_every_version_with_its_dates(client, people, staff_policy):
    html = get(client, people["staff"], f"{staff_policy.url}versions/").content.decode()

    assert "Version 2" in html and "Version 1" in html
    assert "From 15 Jan 2015 to 3 Mar 2015" in html
    assert "Ann Signer" in html


def test_compare_marks_insertions_and_deletions_in_words(client, people, staff_policy):
    html = get(
        client, people["staff"], f"{staff_policy.url}versions/compare/1...2/"
    ).content.decode()

    assert "<del>" in html and "[deleted: " in html
    assert "<ins>" in html and "[inserted: " in html
    assert "Revised" in html and "Original" in html


def test_bad_compare_addresses(client, people, staff_policy):
    def answered(case):
        spec, status, message = case
        response = get(client, people["staff"], f"{staff_policy.url}versions/compare/{spec}/")
        assert response.status_code == status
        assert message in response.content.decode()

    cases = [
        ("2...1", 400, "Put the earlier version first"),
        ("1...9", 404, ""),
        ("7...9", 404, ""),
    ]
    assert failures(cases, answered) == []


def test_the_compare_form_sorts_the_choice(client, people, staff_policy):
    response = get(client, people["staff"], f"{staff_policy.url}versions/compare/?from=2&to=1")

    assert response["Location"] == f"{staff_policy.url}versions/compare/1...2/"


def test_a_version_that_does_not_exist_is_not_found(client, people, staff_policy):
    assert get(client, people["staff"], f"{staff_policy.url}versions/9/").status_code == 404


def test_the_attachment_is_the_file_the_version_published(client, people, staff_policy):
    document = get_document_model().objects.get()
    document.file.save("checklist.txt", ContentFile(b"newer upload"), save=True)
    attachment = staff_policy.versions.get(number=2).attachments.get()

    response = get(
        client, people["staff"], f"{staff_policy.url}versions/2/attachments/{attachment.pk}/"
    )

    assert b"".join(response.streaming_content) == b"checklist"


def test_attachments_of_another_version_are_not_found(client, people, staff_policy):
    attachment = staff_policy.versions.get(number=2).attachments.get()

    response = get(
        client, people["staff"], f"{staff_policy.url}versions/1/attachments/{attachment.pk}/"
    )

    assert response.status_code == 404


def test_public_feed_lists_only_public_versions(client, library, make_policy, staff_policy):
    make_policy(title="Public threshold document", audience=Audience.PUBLIC)

    feed = ET.fromstring(client.get(f"{library.url}feed/").content)

    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Public threshold document: version 1"]


def test_private_feed_lists_what_its_owner_may_see(
    client, library, people, make_policy, staff_policy
):
    make_policy(title="Public threshold document", audience=Audience.PUBLIC)
    staff_key = hub_services.subscription_key(user=people["staff"])
    partner_key = hub_services.subscription_key(user=people["partner"])

    staff_feed = client.get(f"{library.url}feed/{staff_key}/")
    partner_feed = client.get(f"{library.url}feed/{partner_key}/").content.decode()

    assert "Secret transfer protocol: version 2" in staff_feed.content.decode()
    assert "no-store" in staff_feed["Cache-Control"]
    assert "Secret transfer protocol" not in partner_feed
    assert "Public threshold document" in partner_feed


def test_a_reset_feed_key_stops_working(client, library, people):
    old = hub_services.subscription_key(user=people["staff"])
    client.force_login(people["staff"])

    client.post(f"{library.url}feed/reset/")

    assert client.get(f"{library.url}feed/{old}/").status_code == 404
    assert client.get(f"{library.url}feed/not-a-key/").status_code == 404


def test_readers_confirm_they_have_read_a_version(client, people, make_policy):
    page = make_policy(requires_acknowledgement=True)
    client.force_login(people["staff"])

    assert "I have read version 1" in client.get(page.url).content.decode()
    response = client.post(f"{page.url}acknowledge/", follow=True)

    assert "You have confirmed you have read version 1" in response.content.decode()


def test_owners_see_who_has_and_has_not_read_it(client, people, make_policy, owner):
    page = make_policy(requires_acknowledgement=True, audience=Audience.STAFF)
    client.force_login(people["staff"])
    client.post(f"{page.url}acknowledge/")
    client.force_login(owner)

    html = client.get(f"{page.url}acknowledgements/").content.decode()
    export = client.get(f"{page.url}acknowledgements/csv/")
    rows = {row["Username"]: row for row in csv.DictReader(io.StringIO(export.content.decode()))}

    assert "Not yet confirmed" in html
    assert export["Content-Type"].startswith("text/csv")
    assert rows["staff"]["Confirmed"] == "yes"
    assert rows["secretary"]["Confirmed"] == "no"
    assert "partner" not in rows


def test_readers_cannot_see_the_acknowledgement_report(client, people, make_policy):
    page = make_policy(requires_acknowledgement=True)

    assert get(client, people["staff"], f"{page.url}acknowledgements/").status_code == 403
    assert get(client, people["staff"], f"{page.url}acknowledgements/csv/").status_code == 403


def test_the_library_filters_and_only_lists_what_the_reader_may_see(
    client, library, people, make_policy
):
    make_policy(title="Public threshold document", audience=Audience.PUBLIC)
    make_policy(title="Staff transfer protocol", audience=Audience.STAFF)

    anonymous = client.get(library.url).content.decode()
    staff = get(client, people["staff"], library.url).content.decode()
    filtered = get(client, people["staff"], f"{library.url}?audience=staff").content.decode()

    assert "Public threshold document" in anonymous and "Staff transfer protocol" not in anonymous
    assert "Public threshold document" in staff and "Staff transfer protocol" in staff
    assert "Staff transfer protocol" in filtered and "Public threshold document" not in filtered


def test_the_library_explains_when_nothing_matches(client, library):
    html = client.get(f"{library.url}?kind=threshold&owner=nobody&page=999").content.decode()

    assert "No policies match these filters." in html


def _bulk_versions(page, count):
    first = page.versions.get()
    PolicyVersion.objects.bulk_create(
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


@pytest.mark.parametrize("suffix", ["", "versions/", "versions/1/"])
def test_query_counts_do_not_grow_with_the_number_of_versions(client, people, make_policy, suffix):
    small, large = make_policy(title="Small"), make_policy(title="Large")
    _bulk_versions(small, 2)
    _bulk_versions(large, 200)
    client.force_login(people["staff"])
    client.get(small.url + suffix)

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url + suffix).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_export_cannot_smuggle_spreadsheet_formulas(client, people, make_policy, owner):
    page = make_policy(requires_acknowledgement=True, audience=Audience.STAFF)
    people["staff"].first_name = "=HYPERLINK(evil)"
    people["staff"].save()
    client.force_login(owner)

    export = client.get(f"{page.url}acknowledgements/csv/").content.decode()

    assert "'=HYPERLINK(evil)" in export


def test_the_document_library_address_follows_the_policy_audience(client, people, staff_policy):
    document = get_document_model().objects.get()

    def follows_the_policy(role):
        response = get(client, people[role], document.url)
        assert response.status_code == (200 if role in READS_STAFF_ONLY else 404)

    assert failures(ROLES, follows_the_policy) == []


def test_documents_no_policy_uses_are_served_as_usual(client, home):
    document = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"leaflet", name="leaflet.txt")
    )

    assert client.get(document.url).status_code == 200


def test_readers_are_told_when_a_policy_is_past_its_review_date(client, people, staff_policy):
    """Version 2 took effect on 3 March 2015 and set the next review a year later."""
    client.force_login(people["staff"])

    for suffix in ("", "versions/2/", "versions/1/"):
        url = staff_policy.url + suffix
        html = client.get(url).content.decode()
        assert "This policy was due for review on 3 March 2016." in html, url
        assert "It stays in force until a new version is published." in html, url


def test_no_review_notice_before_the_review_date(client, people, make_policy):
    today = datetime.date.today()
    page = make_policy(title="Recent policy", effective=today - datetime.timedelta(days=30))
    client.force_login(people["staff"])

    for url in (page.url, f"{page.url}versions/1/"):
        assert "due for review" not in client.get(url).content.decode(), url


# GOV.UK Frontend markup of the policy pages


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def threshold_policy(make_policy, approver_person):
    """A public threshold document whose body has every kind of block, in two versions."""
    document = get_document_model().objects.create(
        title="Referral form", file=ContentFile(b"form", name="referral.pdf")
    )
    level = {
        "level": "Level 3",
        "name": "Complex needs",
        "description": "<p>Children whose development is likely to be impaired.</p>",
        "indicators": ["Neglect", "Repeated missing episodes"],
        "service": "Children's social care",
    }
    step = {
        "title": "Make a referral",
        "detail": "<p>Telephone the duty team.</p>",
        "responsible": "The professional with the concern",
        "timescale": "Within 24 hours",
    }
    stream = [
        {"type": "heading", "value": "Levels of need", "id": "h"},
        {"type": "threshold_levels", "value": {"heading": "Levels", "levels": [level]}, "id": "t"},
        {"type": "procedure", "value": {"heading": "Referral", "steps": [step]}, "id": "p"},
        {
            "type": "callout",
            "value": {"kind": "warning", "heading": "Call 999", "text": "<p>In danger.</p>"},
            "id": "w",
        },
        {
            "type": "callout",
            "value": {"kind": "important", "heading": "Neglect", "text": "<p>Record it.</p>"},
            "id": "i",
        },
        {"type": "document", "value": {"document": document.pk, "title": ""}, "id": "d"},
    ]
    page = make_policy(title="Threshold document", audience=Audience.PUBLIC)
    return publish(
        page,
        by=approver_person,
        note="Levels rewritten.",
        effective=datetime.date(2015, 3, 3),
        kind=PolicyKind.THRESHOLD,
        summary="Which service responds at each level of need.",
        body=json.dumps(stream),
    )


def assert_tables_in_regions(page):
    """Every table scrolls inside its own named region, in GOV.UK's table markup."""
    tables = page.find_all("table")
    assert tables
    for table in tables:
        region = table.parent
        assert "hub-table-container" in region.get("class", [])
        assert region["role"] == "region" and region["tabindex"] == "0"
        labelled_by = region.get("aria-labelledby")
        assert region.get("aria-label") or page.find(id=labelled_by) is not None
        assert "govuk-table" in table["class"]
        assert all("govuk-table__header" in th["class"] for th in table.find_all("th"))
        assert all("govuk-table__cell" in td["class"] for td in table.find_all("td"))
        if labelled_by:
            # The heading names the table: no caption says it again.
            assert table.find("caption") is None


def test_the_kind_of_policy_is_a_caption_on_its_own_line_before_the_title(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    heading = page.find("h1")
    kind = heading.find_previous_sibling()
    # Not an inline tag touching the heading: GOV.UK's caption, a line of its own above it.
    assert kind.get_text(strip=True) == "Threshold document"
    assert "govuk-caption-xl" in kind["class"]
    assert heading.get_text(strip=True) == "Threshold document"
    assert "govuk-heading-xl" in heading["class"]


def test_the_facts_of_a_version_are_a_govuk_summary_list(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    facts = page.find("dl", class_="govuk-summary-list")
    rows = facts.find_all("div", recursive=False)
    assert all("govuk-summary-list__row" in row["class"] for row in rows)
    keys = [row.find("dt", class_="govuk-summary-list__key").get_text(strip=True) for row in rows]
    assert keys[:3] == ["Version", "In force from", "Published"]
    assert "What changed" in keys
    values = {row.dt.get_text(strip=True): row.find("dd") for row in rows}
    assert "govuk-summary-list__value" in values["Version"]["class"]
    assert values["Version"].get_text(strip=True) == "2 (current)"


def test_the_threshold_levels_and_procedure_steps_use_the_hubs_lists(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    level = page.select_one("ol.hub-levels > li.hub-level")
    assert "Complex needs" in level.find("h3").get_text()
    assert level.find("h3").find(class_="govuk-caption-m").get_text(strip=True) == "Level 3"
    indicators = level.find("ul", class_="govuk-list--bullet")
    assert [li.get_text(strip=True) for li in indicators.find_all("li")] == [
        "Neglect",
        "Repeated missing episodes",
    ]
    step = page.select_one("ol.hub-steps > li.hub-step")
    assert step.find("h3").get_text(strip=True) == "Make a referral"
    facts = step.find("dl", class_="govuk-summary-list")
    assert [key.get_text(strip=True) for key in facts.find_all("dt")] == ["Who", "By when"]
    assert "Within 24 hours" in facts.get_text()


def test_a_warning_is_govuk_warning_text_and_a_note_inset_text(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    warning = next(
        warning for warning in page.find_all(class_="govuk-warning-text") if "999" in warning.text
    )
    assert warning.find(class_="govuk-warning-text__icon")["aria-hidden"] == "true"
    text = warning.find(class_="govuk-warning-text__text")
    assert text.find(class_="govuk-visually-hidden").get_text(strip=True).startswith("Warning")
    assert "Call 999" in text.get_text() and "In danger." in text.get_text()
    note = next(
        inset for inset in page.find_all(class_="govuk-inset-text") if "Neglect" in inset.text
    )
    assert "Important: Neglect" in note.get_text(" ", strip=True)
    assert "Record it." in note.get_text()


def test_an_attached_document_is_a_link_set_apart(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    link = page.find("a", string="Referral form")
    assert "/versions/2/attachments/" in link["href"]
    attachment = link.find_parent(class_="govuk-inset-text")
    assert attachment is not None
    assert "PDF document, kept as this version published it" in attachment.get_text()


def test_readers_confirm_with_a_govuk_button(client, people, make_policy):
    page = make_policy(requires_acknowledgement=True)
    client.force_login(people["staff"])

    button = soup(client.get(page.url)).find("button", string="I have read version 1")

    assert {"govuk-button"} <= set(button["class"])
    assert button["data-module"] == "govuk-button"
    assert button.find_parent("form")["action"] == f"{page.url}acknowledge/"


def test_the_in_force_on_form_is_a_govuk_date_input(client, threshold_policy):
    page = soup(client.get(threshold_policy.url))

    field = page.find(id="on-date")
    assert field["type"] == "date" and field["name"] == "on"
    assert {"govuk-input", "govuk-input--width-10"} <= set(field["class"])
    assert "govuk-form-group" in field.find_parent("div")["class"]
    assert "govuk-label" in page.find("label", attrs={"for": "on-date"})["class"]
    button = field.find_parent("form").find("button")
    assert {"govuk-button", "govuk-button--secondary"} <= set(button["class"])


def test_a_bad_in_force_date_is_kept_in_a_text_box_under_a_govuk_error_summary(
    client, threshold_policy
):
    response = client.get(threshold_policy.url, {"on": "31/02/2015"})
    page = soup(response)

    assert response.status_code == 400
    summary = page.find(class_="govuk-error-summary")
    assert summary["data-module"] == "govuk-error-summary"
    assert summary.find(attrs={"role": "alert"}) is not None
    link = summary.select_one("ul.govuk-error-summary__list a")
    assert link["href"] == "#on-date" and "“31/02/2015” is not a date" in link.get_text()
    field = page.find(id="on-date")
    # A date box drops what is not a date: the text box keeps it to mend.
    assert field["type"] == "text" and field["value"] == "31/02/2015"
    assert {"govuk-input", "govuk-input--width-10", "govuk-input--error"} <= set(field["class"])
    assert field["aria-describedby"] == "on-date-error"
    group = field.find_parent("div")
    assert "govuk-form-group--error" in group["class"]
    assert "govuk-error-message" in group.find(id="on-date-error")["class"]


def test_no_in_force_date_asks_for_one_in_govuk_markup(client, threshold_policy):
    page = soup(client.get(threshold_policy.url, {"on": ""}))

    summary = page.find(class_="govuk-error-summary")
    assert summary.find("a", href="#on-date") is not None
    field = page.find(id="on-date")
    assert field["type"] == "date" and field["aria-describedby"] == "on-date-error"
    assert "govuk-error-message" in page.find(id="on-date-error")["class"]


def test_every_table_of_the_versions_and_comparison_sits_in_a_region(client, threshold_policy):
    versions = soup(client.get(f"{threshold_policy.url}versions/"))
    compare = soup(client.get(f"{threshold_policy.url}versions/compare/1...2/"))

    assert_tables_in_regions(versions)
    assert_tables_in_regions(compare)
    # The details that changed: the kind and the summary, named by their heading.
    region = compare.find("table").parent
    assert compare.find(id=region["aria-labelledby"]).get_text() == "Details that changed"
    rows = compare.find("table").tbody.find_all("tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["Summary", "Kind"]


def test_the_compare_and_facts_of_a_comparison_use_govuk_components(client, threshold_policy):
    versions = soup(client.get(f"{threshold_policy.url}versions/"))
    compare = soup(client.get(f"{threshold_policy.url}versions/compare/1...2/"))

    form = versions.find("form", action=f"{threshold_policy.url}versions/compare/")
    assert all("govuk-select" in select["class"] for select in form.find_all("select"))
    assert all("govuk-form-group" in select.parent["class"] for select in form.find_all("select"))
    assert "govuk-button" in form.find("button")["class"]
    assert "govuk-tag" in versions.find("strong", string="Current")["class"]
    facts = compare.find("dl")
    assert "govuk-summary-list" in facts["class"]
    assert [key.get_text(strip=True) for key in facts.find_all("dt")] == ["Version 1", "Version 2"]


@pytest.mark.skipif(nu_checker.java() is None, reason="the Nu HTML Checker needs Java")
def test_the_policy_pages_are_valid_html(client, people, threshold_policy, make_policy, owner):
    confirmed = make_policy(title="Confirmed protocol", requires_acknowledgement=True)
    client.force_login(people["staff"])
    client.post(f"{confirmed.url}acknowledge/")
    client.force_login(owner)
    url = threshold_policy.url
    pages = {
        "policy": url,
        "old version": f"{url}versions/1/",
        "in force on": f"{url}?on=2015-01-20",
        "bad date": f"{url}?on=junk",
        "not yet": f"{url}?on=2000-01-01",
        "versions": f"{url}versions/",
        "bad compare dates": f"{url}versions/compare/dates/?date_a=junk&date_b=",
        "compare": f"{url}versions/compare/1...2/",
        "compare problem": f"{url}versions/compare/2...1/",
        "acknowledged": confirmed.url,
        "acknowledgements": f"{confirmed.url}acknowledgements/",
        "library": threshold_policy.get_parent().url,
    }

    found = nu_checker.errors(
        {name: client.get(address).content.decode() for name, address in pages.items()}
    )

    assert found == {}
