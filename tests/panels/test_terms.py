"""A panel's terms of reference history: each approved version, readable and comparable."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.audiences import Audience, set_page_audience
from panels import selectors
from panels.models import PanelPage
from tests.cases import failures
from tests.matrix import READS_STAFF_ONLY, ROLES
from tests.panels.conftest import make_meeting, make_panel

pytestmark = pytest.mark.django_db

FIRST = "<p>Terms.</p>"
SECOND = (
    "<p>Terms.</p><ol><li>Agree the level of need and the service that responds.</li>"
    "<li>Record every decision as a Decision and Action record.</li></ol>"
)
DRAFT = "<p>Draft wording kept from readers.</p>"
UNPUBLISHED = "<p>Wording never approved.</p>"


def as_(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def revise(panel, *, publish=True, terms=None, approved=None, **fields) -> PanelPage:
    """Save a revision of ``panel`` with these changes, published unless told otherwise."""
    panel = PanelPage.objects.get(pk=panel.pk)
    if terms is not None:
        panel.terms_of_reference = terms
    if approved is not None:
        panel.terms_approved_on = datetime.date.fromisoformat(approved)
    for name, value in fields.items():
        setattr(panel, name, value)
    revision = panel.save_revision()
    if publish:
        revision.publish()
    return PanelPage.objects.get(pk=panel.pk)


def with_history(panel) -> PanelPage:
    """Version 1 as made, a purpose change, a draft, version 2, a republish, a last draft."""
    revise(panel, purpose="A clearer purpose.")
    revise(panel, terms=DRAFT, approved="2014-06-01", publish=False)
    revise(panel, terms=SECOND, approved="2014-11-12")
    revise(panel, title=panel.title)
    revise(panel, terms=UNPUBLISHED, approved="2015-03-01", publish=False)
    return PanelPage.objects.get(pk=panel.pk)


@pytest.fixture
def panel(masp):
    return with_history(masp)


def get(client, url, expect=200) -> str:
    response = client.get(url)
    assert response.status_code == expect, (url, response.status_code)
    return response.content.decode()


def terms_urls(panel) -> list[str]:
    base = f"{panel.url}terms/"
    return [base, f"{base}1/", f"{base}2/", f"{base}compare/1...2/"]


# The history -------------------------------------------------------------------------------


def test_published_revisions_make_numbered_versions_and_drafts_never_count(panel):
    history = selectors.terms_history(panel)

    assert [version.number for version in history] == [1, 2]
    assert [version.approved_on for version in history] == [
        datetime.date(2014, 2, 12),
        datetime.date(2014, 11, 12),
    ]
    assert [version.terms for version in history] == [FIRST, SECOND]


def test_the_history_lists_each_version_with_its_approval_date(client, people, panel):
    html = get(as_(client, people, "anonymous"), f"{panel.url}terms/")

    assert f'<a href="{panel.url}terms/1/">Version 1</a>' in html
    assert f'<a href="{panel.url}terms/2/">Version 2</a>' in html
    assert "Version 3" not in html
    assert '<time datetime="2014-02-12">12 February 2014</time>' in html
    assert '<time datetime="2014-11-12">12 November 2014</time>' in html
    assert f'href="{panel.url}terms/compare/1...2/"' in html
    assert "Draft wording" not in html and "never approved" not in html


def test_the_panel_page_links_to_the_history(client, people, panel):
    html = get(as_(client, people, "anonymous"), panel.url)

    assert f'<a href="{panel.url}terms/">Every version of the terms of reference</a>' in html
    assert "Current terms approved on" in html
    assert "Draft wording" not in html and "never approved" not in html


def test_each_version_reads_as_it_was_approved(client, people, panel):
    client = as_(client, people, "anonymous")

    first = get(client, f"{panel.url}terms/1/")
    current = get(client, f"{panel.url}terms/2/")

    assert "Terms." in first and "Record every decision" not in first
    assert "replaced by version 2, approved on 12 November 2014" in first
    assert (
        f'<a class="govuk-notification-banner__link" href="{panel.url}">'
        "Read the current terms of reference</a>"
    ) in first
    assert "Record every decision as a Decision and Action record." in current
    assert "This is the current version" in current
    for html in (first, current):
        assert "Draft wording" not in html and "never approved" not in html


def test_two_versions_compare_with_the_policy_comparisons_markup(client, people, panel):
    html = get(as_(client, people, "anonymous"), f"{panel.url}terms/compare/1...2/")

    assert "what changed from version 1 to version 2" in html
    assert '<span class="hub-diff__marker">Added line:</span>' in html
    # The hidden words' class is hub.diff's own; what a screen reader hears is what matters.
    assert "[inserted: </span>Record every decision" in html
    assert "2 lines changed." in html
    assert 'aria-label="Text of version 2 with changes from version 1 marked"' in html
    assert '<time datetime="2014-02-12">12 February 2014</time>' in html


def test_a_new_approval_date_alone_is_a_new_version(client, people, panel):
    panel = revise(panel, approved="2015-01-20")

    html = get(as_(client, people, "anonymous"), f"{panel.url}terms/compare/2...3/")

    assert [version.number for version in selectors.terms_history(panel)] == [1, 2, 3]
    assert "The text is the same in both versions." in html
    assert '<time datetime="2015-01-20">20 January 2015</time>' in html


def test_a_panel_published_once_has_one_version_and_nothing_to_compare(client, people, masp):
    html = get(as_(client, people, "anonymous"), f"{masp.url}terms/")

    assert f'<a href="{masp.url}terms/1/">Version 1</a>' in html
    assert "Compare two versions" not in html


# Bad input ---------------------------------------------------------------------------------


def test_bad_addresses_are_answered_clearly(client, people, panel):
    client = as_(client, people, "anonymous")
    base = f"{panel.url}terms/"
    cases = [
        (f"{base}0/", 404, ""),
        (f"{base}3/", 404, ""),
        (f"{base}99999999999999999999999/", 404, ""),
        (f"{base}compare/1...3/", 404, ""),
        (f"{base}compare/0...1/", 404, ""),
        (f"{base}compare/1...99999999999999999999999/", 404, ""),
        (f"{base}compare/2...2/", 400, "Version 2 is the same version twice."),
        (f"{base}compare/one...two/", 404, ""),
        (f"{base}compare/?from=2&to=2", 400, "Version 2 is the same version twice."),
        (f"{base}compare/?from=x&to=2", 400, "Choose two versions to compare."),
        (f"{base}compare/", 400, "Choose two versions to compare."),
    ]

    def answered(case):
        url, status, text = case
        html = get(client, url, expect=status)
        assert text in html

    assert failures(cases, answered) == []


def test_a_comparison_asked_for_the_wrong_way_round_is_turned_round(client, people, panel):
    client = as_(client, people, "anonymous")

    backwards = client.get(f"{panel.url}terms/compare/2...1/")
    chosen = client.get(f"{panel.url}terms/compare/", {"from": "2", "to": "1"})

    assert backwards.status_code == 302
    assert backwards["Location"] == f"{panel.url}terms/compare/1...2/"
    assert chosen["Location"] == f"{panel.url}terms/compare/1...2/"


def test_meetings_beneath_the_panel_still_resolve(client, people, panel):
    meeting = make_meeting(panel, day="2015-01-14")

    html = get(as_(client, people, "partner"), f"{panel.url}2015-01-14/")

    assert meeting.url == f"{panel.url}2015-01-14/"
    assert meeting.title in html


# Who may read it ---------------------------------------------------------------------------


def test_the_history_follows_the_panel_pages_own_restriction(client, people, index):
    staff_panel = with_history(make_panel(index, code="STF", audience=Audience.STAFF))
    set_page_audience(page=staff_panel, audience=Audience.STAFF)

    def same_as_the_panel_page(role):
        client_ = as_(client, people, role)
        expected = client_.get(staff_panel.url).status_code
        assert (expected == 200) is (role in READS_STAFF_ONLY)
        for url in terms_urls(staff_panel):
            response = client_.get(url)
            assert response.status_code == expected, url
            if expected != 200:
                assert "Record every decision" not in response.content.decode(), url
                assert "STF panel" not in response.content.decode(), url

    assert failures(ROLES, same_as_the_panel_page) == []


def test_the_history_of_an_open_panel_is_open_to_everyone(client, people, panel):
    def reads_it(role):
        for url in terms_urls(panel):
            get(as_(client, people, role), url)

    assert failures(ROLES, reads_it) == []


# Cost --------------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_history_takes_the_same_queries_however_many_versions(client, people, panel):
    client = as_(client, people, "partner")
    urls = [f"{panel.url}terms/", f"{panel.url}terms/1/", f"{panel.url}terms/compare/1...2/"]
    few = [queries_for(client, url) for url in urls]

    for year in range(2016, 2036):
        revise(panel, terms=f"<p>Terms of {year}.</p>", approved=f"{year}-01-01")

    assert len(selectors.terms_history(panel)) == 22
    assert [queries_for(client, url) for url in urls] == few
