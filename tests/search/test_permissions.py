"""The permission matrix: nobody learns anything, not even a count, about what they may not see."""

from hub.audiences import Audience
from tests.search.conftest import ONLY_FOR, run

# What each role may read; every other audience's word must find nothing.
MAY_READ = {
    "anonymous": {Audience.PUBLIC},
    "partner": {Audience.PUBLIC, Audience.PARTNERS},
    "panel_member": {Audience.PUBLIC, Audience.PARTNERS, Audience.PANEL},
    "staff": {Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF},
    "secretary": {Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF},
    "editor": {Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF},
    "approver": {Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF},
    "administrator": {Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF},
}


def test_a_word_only_in_unreadable_records_finds_nothing_and_counts_nothing(corpus, people):
    """Every role against every audience's word, on one corpus; failures listed together."""
    wrong = []
    for role, readable in MAY_READ.items():
        for audience, word in ONLY_FOR.items():
            results = run(people[role], word, include_past=True)
            if audience in readable:
                found = results.total >= 1
            else:
                found = bool(
                    results.total
                    or results.hits
                    or any(values for values in results.facets.values())
                )
            if found != (audience in readable):
                wrong.append((role, str(audience), found))
    assert not wrong, f"(role, audience, found) where found should be the reverse: {wrong}"


def test_the_results_page_shows_no_title_count_or_facet_of_unreadable_records(
    corpus, people, client
):
    shown = []
    for role in MAY_READ:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for word in (ONLY_FOR[a] for a in ONLY_FOR if a not in MAY_READ[role]):
            response = client.get("/search/", {"q": word, "include_past": "on"})
            html = response.content.decode()
            if (
                response.status_code != 200
                or "0 results for" not in html
                or f"policy {word}" in html.lower()
                or 'class="hub-facet-count"' in html
            ):
                shown.append((role, word))
    assert not shown, f"(role, word) whose page showed something of an unreadable record: {shown}"


def test_a_shared_word_counts_only_what_each_role_may_read(corpus, people):
    counted = {}
    for role, readable in MAY_READ.items():
        results = run(people[role], "neglect")
        counts = (
            results.total,
            sum(facet.count for facet in results.facets["kind"]),
            sum(facet.count for facet in results.facets["year"]),
        )
        if counts != (len(readable),) * 3:
            counted[role] = counts
    assert not counted, f"(total, kind, year) counts differing from what each may read: {counted}"
