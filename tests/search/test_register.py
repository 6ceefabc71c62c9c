"""The decision register: the search kept to decisions, over the role matrix, through HTTP."""

import re
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub import changes
from hub.audiences import Audience
from panels.models import Decision, DecisionOutcome
from search.selectors import without_ending
from tests.cases import failures
from tests.improvement import conftest as improvement_fixtures
from tests.matrix import EVERYONE, READS_STAFF_ONLY, ROLES, SIGNED_IN
from tests.panels.conftest import make_meeting, make_panel
from tests.search.conftest import reindex, use_engine

# The improvement plan's fixtures, for decisions that serve a milestone.
plan = improvement_fixtures.plan
area = improvement_fixtures.area
make_milestone = improvement_fixtures.make_milestone

REGISTER = "/decisions/"
MILESTONE = "Decision and Action records compulsory"


@dataclass(frozen=True)
class Minuted:
    """A decision the register may list, and who may see it."""

    reference: str
    title: str
    panel: str
    readers: frozenset[str]


def decided(reference, title, text, outcome=DecisionOutcome.AGREED, milestones=()) -> Decision:
    made = Decision(
        reference=reference,
        title=title,
        decision=text,
        decision_maker="The panel",
        outcome=outcome,
    )
    made.milestones = list(milestones)
    return made


def minute(panel, day: str, *decisions: Decision):
    """A published meeting of ``panel`` on ``day`` that made ``decisions``."""
    return make_meeting(panel, day=day, decisions=list(decisions))


@pytest.fixture
def minuted(engine, glossary, index, masp, crp, make_milestone):
    """Decisions of a public panel, MASP (partners), a staff panel and a members-only panel.

    The panels' own records and minutes share words with the decisions, so a
    register that let other kinds through would show them.
    """
    milestone = make_milestone(title=MILESTONE)
    public = make_panel(index, code="PCSP", audience=Audience.PUBLIC, established="2013-05-16")
    staff = make_panel(index, code="STF", audience=Audience.STAFF, established="2013-05-16")
    minute(
        public,
        "2015-01-22",
        decided("PCSP/2015/01/D1", "Progress noted", "The Child in Need audit was discussed."),
    )
    minute(
        masp,
        "2015-01-14",
        decided("MASP/2015/01/D1", "Adopt the referral form", "Referral form adopted."),
    )
    minute(
        masp,
        "2015-03-11",
        decided(
            "MASP/2015/03/D1",
            "Refuse the late referral route",
            "Late referrals go to the duty team.",
            DecisionOutcome.REFUSED,
            [milestone],
        ),
    )
    minute(
        staff,
        "2014-12-10",
        decided(
            "STF/2014/12/D1",
            "Staff rota zebrafinch",
            "The zebrafinch rota starts.",
            DecisionOutcome.DEFERRED,
        ),
    )
    minute(
        crp,
        "2015-01-21",
        decided("CRP/2015/01/D1", "Secret care plan axolotl", "Axolotl care plan agreed."),
    )
    reindex()
    return [
        Minuted("PCSP/2015/01/D1", "Progress noted", "PCSP panel", frozenset(EVERYONE)),
        Minuted("MASP/2015/01/D1", "Adopt the referral form", "MASP panel", frozenset(SIGNED_IN)),
        Minuted(
            "MASP/2015/03/D1", "Refuse the late referral route", "MASP panel", frozenset(SIGNED_IN)
        ),
        Minuted(
            "STF/2014/12/D1", "Staff rota zebrafinch", "STF panel", frozenset(READS_STAFF_ONLY)
        ),
        Minuted("CRP/2015/01/D1", "Secret care plan axolotl", "CRP panel", frozenset()),
    ]


def as_(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def register(client, expect=200, **params) -> str:
    response = client.get(REGISTER, params)
    assert response.status_code == expect
    return response.content.decode()


def rows(html: str) -> list[str]:
    """The row headers of the decisions table, in order, without their marks."""
    headers = re.findall(
        r'<th scope="row" class="govuk-table__header">(.*?)</th>', html, flags=re.S
    )
    return [re.sub(r"</?mark>", "", header) for header in headers]


def listed(html: str) -> list[str]:
    """The titles of the decisions listed, in order."""
    return [row.split(" ", 1)[1] for row in rows(html)]


def facet(value: str, count: int) -> str:
    """A facet value as the page offers it, with its count."""
    return (
        f'{value} <span class="hub-facet-count">({count}'
        '<span class="govuk-visually-hidden"> decision'
    )


# Who sees what -----------------------------------------------------------------------------


def test_each_role_sees_only_decisions_of_meetings_they_may_read(minuted, client, people):
    def sees_only_what_they_may(role):
        sees_only_decisions_they_may_read(minuted, as_(client, people, role), role)

    assert failures(ROLES, sees_only_what_they_may) == []


def sees_only_decisions_they_may_read(minuted, client, role):
    readable = [decision for decision in minuted if role in decision.readers]
    hidden = [decision for decision in minuted if role not in decision.readers]
    html = register(client)

    assert f"{len(readable)} decision{'s' if len(readable) != 1 else ''}</h2>" in html
    assert sorted(listed(html)) == sorted(decision.title for decision in readable)
    for decision in hidden:
        assert decision.title not in html
        assert decision.reference not in html
    for panel in {d.panel for d in hidden} - {d.panel for d in readable}:
        assert panel not in html
    panels = [decision.panel for decision in readable]
    years = [decision.reference.split("/")[1] for decision in readable]
    for value, values in [*((p, panels) for p in panels), *((y, years) for y in years)]:
        assert facet(value, values.count(value)) in html
    assert (MILESTONE in html) is (role in SIGNED_IN)

    for decision in hidden:
        word = decision.title.split()[-1]
        html = register(client, q=word)
        assert f"0 decisions for “{word}”" in html
        assert decision.title not in html and decision.reference not in html
        assert 'class="hub-facet-count"' not in html


# Always decisions --------------------------------------------------------------------------


def test_the_register_lists_decisions_whatever_kind_is_asked_for(minuted, client, people):
    client = as_(client, people, "panel_member")

    def only_decisions(case):
        lists_only_decisions(client, *case)

    cases = [
        ("Minutes", "discussed"),
        ("Panel", "purpose"),
        ("Confidential minutes", "case"),
        ("", ""),
    ]
    assert failures(cases, only_decisions) == []


def lists_only_decisions(client, kind, word):
    html = register(client, q=word, kind=kind)

    assert 'class="govuk-caption-m"' not in html
    assert "Kind</h3>" not in html and "Policy kind" not in html
    assert "Remove filter" not in html
    if word == "discussed":
        # The public decision says "discussed" as well as every meeting's minutes.
        assert listed(html) == ["Progress noted"]
    elif word:
        assert listed(html) == []
    else:
        assert len(listed(html)) == 3


# Narrowing ---------------------------------------------------------------------------------


def test_a_panel_facet_narrows_and_can_be_removed(minuted, client, people):
    client = as_(client, people, "staff")

    html = register(client, panel="MASP panel")

    assert listed(html) == ["Refuse the late referral route", "Adopt the referral form"]
    assert 'Remove filter<span class="govuk-visually-hidden">:</span> Panel: MASP panel' in html
    assert '<a href="?">Remove filter' in html


def test_the_outcome_facet_narrows_by_outcome(minuted, client, people):
    html = register(as_(client, people, "staff"), status="Refused")

    assert listed(html) == ["Refuse the late referral route"]
    assert "Outcome: Refused" in html
    assert '<td class="govuk-table__cell">Refused</td>' in html


def test_the_year_facet_narrows_by_the_meetings_year(minuted, client, people):
    html = register(as_(client, people, "staff"), year="2014")

    assert listed(html) == ["Staff rota zebrafinch"]


def test_a_date_range_keeps_meetings_within_it(minuted, client, people):
    html = register(as_(client, people, "staff"), date_from="2015-01-01", date_to="2015-01-31")

    assert listed(html) == ["Progress noted", "Adopt the referral form"]
    assert 'value="2015-01-01"' in html and 'value="2015-01-31"' in html


def test_the_milestone_facet_narrows_to_decisions_serving_it(minuted, client, people):
    html = register(as_(client, people, "partner"), milestone=MILESTONE)

    assert listed(html) == ["Refuse the late referral route"]
    assert f"Milestone: {MILESTONE}" in html


def test_a_milestone_typed_with_extra_spaces_is_the_same_milestone(minuted, client, people):
    typed = "  " + MILESTONE.replace(" ", "   ") + " "
    html = register(as_(client, people, "partner"), milestone=typed)

    assert listed(html) == ["Refuse the late referral route"]
    assert "1 decision" in html
    assert f"Milestone: {MILESTONE}" in html


def test_words_find_decisions_and_are_marked(minuted, client, people):
    html = register(as_(client, people, "partner"), q="referral")

    assert sorted(listed(html)) == ["Adopt the referral form", "Refuse the late referral route"]
    assert "<mark>referral</mark>" in html.lower()
    assert "2 decisions for “referral”" in html


def test_the_page_says_which_glossary_terms_widened_the_search(minuted, client):
    html = register(client, q="CIN")

    assert listed(html) == ["Progress noted"]
    assert "Because you searched for “CIN”, results also include Child in Need" in html


def test_a_decision_row_shows_panel_meeting_date_outcome_and_links_to_the_minutes(minuted, client):
    html = register(client)

    assert '<th scope="row" class="govuk-table__header">PCSP/2015/01/D1 Progress noted</th>' in html
    assert "The Child in Need audit was discussed." in html
    assert '<time datetime="2015-01-22">22 January 2015</time>' in html
    assert 'href="/panels/pcsp/2015-01-22/#decisions"' in html
    assert '<td class="govuk-table__cell">Agreed</td>' in html


def row_of(html: str, title: str):
    """The cells of the row of the decision called ``title``, as text."""
    document = BeautifulSoup(html, "html.parser")
    [header] = [th for th in document.select("tbody th[scope=row]") if title in th.get_text()]
    return [cell.get_text(" ", strip=True) for cell in header.find_parent("tr").find_all("td")]


def test_who_made_a_decision_is_in_a_cell_of_its_own_not_run_on_from_the_decision(minuted, client):
    document = BeautifulSoup(register(client), "html.parser")
    headings = [th.get_text(strip=True) for th in document.select("thead th")]
    assert headings[:3] == ["Decision", "What was decided", "Decided by"]

    for html in (register(client), register(client, q="panel"), register(client, q="audit")):
        decided, maker, *_ = row_of(html, "Progress noted")
        # PostgreSQL's excerpt may start a word or two in.
        assert decided.endswith("Child in Need audit was discussed.")
        assert "The panel" not in decided
        assert maker == "The panel"


def test_the_decision_maker_is_cut_from_the_end_of_a_snippet_marked_or_not():
    cases = [
        ("Audit done. The panel", "The panel", "Audit done."),
        ("Audit <mark>done</mark>\n\nThe panel", "The panel", "Audit <mark>done</mark>"),
        (
            "…cases. Head of <mark>Service</mark>, safeguarding",
            "Head of Service, safeguarding",
            "…cases.",
        ),
        ("Agreed. <mark>Smith &amp; Co</mark>", "Smith & Co", "Agreed."),
        ("Audit done. The panel said more…", "The panel", "Audit done. The panel said more…"),
        (
            "<mark>done Head</mark> of Service",
            "Head of Service",
            "<mark>done Head</mark> of Service",
        ),
        ("Noted.", "", "Noted."),
    ]
    assert [str(without_ending(snippet, maker)) for snippet, maker, _ in cases] == [
        kept for _, _, kept in cases
    ]


def test_the_decisions_table_is_full_width_in_a_region_named_by_its_heading(minuted, client):
    document = BeautifulSoup(register(client), "html.parser")

    [table] = document.find_all("table")
    region = table.parent
    assert region["class"] == ["hub-table-container"]
    assert (region["role"], region["aria-labelledby"], region["tabindex"]) == (
        "region",
        "results-heading",
        "0",
    )
    assert not table.find_parents(class_=re.compile("grid-column-(two|one)-"))
    assert table.find("caption") is None


def test_the_register_is_within_search_with_breadcrumbs_back_to_it(engine, client, db):
    document = BeautifulSoup(register(client), "html.parser")

    trail = document.find("nav", class_="govuk-breadcrumbs")
    assert [(a.get_text(), a["href"]) for a in trail.find_all("a")] == [
        ("Home", "/"),
        ("Search", "/search/"),
    ]
    assert trail.find(attrs={"aria-current": "page"}).get_text() == "Decision register"
    menu = document.find("nav", attrs={"aria-label": "Menu"})
    [search] = [a for a in menu.find_all("a") if a.get_text(strip=True) == "Search"]
    assert search["aria-current"] == "true"


def test_the_filters_follow_the_results_heading_folded_away_until_one_is_chosen(minuted, client):
    document = BeautifulSoup(register(client), "html.parser")
    details = document.find("details", class_="govuk-details")
    assert details.find_previous("h2")["id"] == "results-heading"
    assert not details.has_attr("open")
    assert details.select(".hub-facet-count")

    document = BeautifulSoup(register(client, panel="PCSP panel"), "html.parser")
    assert document.find("details", class_="govuk-details").has_attr("open")


# Order and pages ---------------------------------------------------------------------------


def test_without_words_decisions_come_newest_first_whatever_sort_says(minuted, client, people):
    client = as_(client, people, "staff")
    newest_first = [
        "Refuse the late referral route",
        "Progress noted",
        "Adopt the referral form",
        "Staff rota zebrafinch",
    ]

    html = register(client)
    assert listed(html) == newest_first
    assert "Sort by" not in html
    assert listed(register(client, sort="relevance")) == newest_first


def test_with_words_relevance_comes_first_and_newest_may_be_chosen(minuted, client, people):
    client = as_(client, people, "staff")

    html = register(client, q="referral")
    assert '<option value="relevance" selected>Most relevant</option>' in html
    assert "most relevant first" in html
    html = register(client, q="referral", sort="date")
    assert '<option value="date" selected>Newest first</option>' in html
    assert listed(html) == ["Refuse the late referral route", "Adopt the referral form"]


def numbered(count: int, *, prefix: str = "PCSP/2015/01/D") -> list[Decision]:
    return [decided(f"{prefix}{n}", f"Decision {n}", "Noted.") for n in range(1, count + 1)]


@pytest.fixture
def public_panel(index):
    return make_panel(index, code="PCSP", audience=Audience.PUBLIC, established="2013-05-16")


@pytest.fixture
def many(engine, public_panel):
    """One public meeting that made 25 decisions."""
    minute(public_panel, "2015-01-22", *numbered(25))
    reindex()


def test_pages_of_twenty_follow_on_and_keep_the_filters(many, client):
    first = register(client, panel="PCSP panel")
    assert len(rows(first)) == 20
    assert "Page 1 of 2 (25 in all)" in first
    assert "panel=PCSP+panel&amp;page=2" in first

    second = register(client, panel="PCSP panel", page="2")
    assert len(rows(second)) == 5
    assert "Page 2 of 2" in second


def test_a_page_past_the_end_offers_the_first(many, client):
    html = register(client, page="7")

    assert "There are only 2 pages of decisions." in html
    assert '<a href="?">Go to the first page</a>' in html


# Nothing found and bad input ---------------------------------------------------------------


def test_nothing_found_says_no_decisions_match(minuted, client):
    html = register(client, q="xylophone")

    assert "No decisions match “xylophone”." in html
    assert "Clear search and filters" in html


def test_a_register_with_no_decisions_says_so(engine, client, db):
    html = register(client)

    assert "No decisions you can see have been recorded yet." in html
    assert "Clear search and filters" not in html


def test_words_that_only_exclude_ask_for_a_word_to_find(minuted, client):
    assert "Add at least one word to find" in register(client, q="-referral")


BAD_INPUT = [
    (
        {"date_from": "2015-04-01", "date_to": "2015-01-01"},
        "The end of the date range must be on or after its start.",
    ),
    ({"date_from": "2015-02-30"}, "From: Enter a valid date."),
    ({"date_to": "next Tuesday"}, "To: Enter a valid date."),
    ({"year": "nineteen"}, "Year: Enter a whole number."),
    ({"page": "abc"}, "Page: Enter a whole number."),
    ({"page": "-3"}, "Page: Ensure this value is greater than or equal to 1."),
    ({"page": "999999999999"}, "Page: Ensure this value is less than or equal to 500."),
    ({"q": "referral", "sort": "; DROP"}, "Sort by: Select a valid choice."),
    ({"panel": "x" * 500}, "Panel: Ensure this value has at most 200 characters"),
]


def test_bad_input_is_explained_not_an_error(many, client):
    def explained(case):
        params, message = case
        html = register(client, **params)
        assert "There is a problem" in html
        assert message in html
        assert 'id="results-heading"' in html

    assert failures(BAD_INPUT, explained) == []


def test_any_words_get_an_answer(many, client):
    texts = ['"unbalanced', "NEAR(x y)", "'; DROP TABLE x; --", "👶🏽 noted", "\x00", "x" * 5000]
    assert failures(texts, lambda text: register(client, q=text)) == []


def test_readers_are_told_when_the_engine_is_down(client, db, settings):
    use_engine(settings, "elasticsearch", url="http://127.0.0.1:9")

    html = register(client, expect=503)

    assert "The decision register is not available just now" in html


# Cost --------------------------------------------------------------------------------------


def queries_for(client) -> int:
    """Queries for a search by words, by facets and by dates, each finding decisions."""
    with CaptureQueriesContext(connection) as captured:
        register(client, q="noted")
        register(client, panel="PCSP panel", status="Agreed", year="2015")
        register(client, date_from="2015-01-01", date_to="2015-12-31")
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_decisions(
    client, people, public_panel, settings
):
    use_engine(settings, "database")
    minute(public_panel, "2015-01-22", *numbered(2))
    changes.settle()  # as the minutes' transaction commits
    client = as_(client, people, "staff")
    register(client)  # the glossary and site settings are cached from here on
    few = queries_for(client)

    minute(public_panel, "2015-02-12", *numbered(48, prefix="PCSP/2015/02/D"))
    changes.settle()
    many = queries_for(client)

    assert "50 decisions</h2>" in register(client)
    assert few == many


# The policy versions a decision approved ---------------------------------------------------


@pytest.fixture
def approving(engine, public_panel, make_policy):
    """A public meeting whose decision approved a public, a staff and a withdrawn policy."""
    public = make_policy(title="Public Threshold Document", audience=Audience.PUBLIC)
    staff = make_policy(title="Staff Transfer Protocol", audience=Audience.STAFF)
    withdrawn = make_policy(title="Withdrawn Procedure", audience=Audience.PUBLIC)
    withdrawn.unpublish()
    decision = decided("PCSP/2015/01/D1", "Protocols adopted", "The protocols were adopted.")
    decision.policy_versions = [page.versions.get() for page in (public, staff, withdrawn)]
    minute(public_panel, "2015-01-22", decision, *numbered(2, prefix="PCSP/2015/01/E"))
    reindex()
    return {"public": public, "staff": staff}


def test_a_row_names_the_versions_its_decision_approved_to_who_may_read_them(
    approving, client, people
):
    public, staff = approving["public"], approving["staff"]

    def names_only_what_they_may_read(role):
        html = register(as_(client, people, role))
        assert (
            f'Approved: <a href="{public.url}versions/1/">Public Threshold Document, version 1</a>'
        ) in html
        assert html.count("Approved: <a") == (2 if role in READS_STAFF_ONLY else 1)
        assert ("Staff Transfer Protocol" in html) is (role in READS_STAFF_ONLY)
        assert (f"{staff.url}versions/1/" in html) is (role in READS_STAFF_ONLY)
        assert "Withdrawn Procedure" not in html

    assert failures(ROLES, names_only_what_they_may_read) == []


def test_the_register_takes_the_same_queries_however_many_versions_were_approved(
    client, people, public_panel, make_policy, settings
):
    use_engine(settings, "database")
    policies = [make_policy(title=f"Policy {n}", audience=Audience.STAFF) for n in range(2)]
    decisions = numbered(2)
    for decision, policy in zip(decisions, policies, strict=True):
        decision.policy_versions = [policy.versions.get()]
    minute(public_panel, "2015-01-22", *decisions)
    changes.settle()
    client = as_(client, people, "staff")
    register(client)
    few = queries_for(client)

    more = [make_policy(title=f"More policy {n}", audience=Audience.STAFF) for n in range(8)]
    versions = [policy.versions.get() for policy in more]
    decisions = numbered(20, prefix="PCSP/2015/02/D")
    for decision in decisions:
        decision.policy_versions = versions
    minute(public_panel, "2015-02-12", *decisions)
    changes.settle()

    assert register(client).count("Approved: <a") == 20 * 8
    assert queries_for(client) == few
