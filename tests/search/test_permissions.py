"""The permission matrix: nobody learns anything, not even a count, about what they may not see."""

import pytest

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
MATRIX = [
    (role, audience, audience in readable)
    for role, readable in MAY_READ.items()
    for audience in ONLY_FOR
]


@pytest.mark.parametrize(("role", "audience", "may_read"), MATRIX)
def test_a_word_only_in_unreadable_records_finds_nothing_and_counts_nothing(
    corpus, people, role, audience, may_read
):
    results = run(people[role], ONLY_FOR[audience], include_past=True)
    if may_read:
        assert results.total >= 1
        return
    assert results.total == 0
    assert results.hits == []
    assert all(values == [] for values in results.facets.values())


@pytest.mark.parametrize("role", list(MAY_READ))
def test_the_results_page_shows_no_title_count_or_facet_of_unreadable_records(
    corpus, people, client, role
):
    if role != "anonymous":
        client.force_login(people[role])
    hidden = [ONLY_FOR[a] for a in ONLY_FOR if a not in MAY_READ[role]]
    for word in hidden:
        response = client.get("/search/", {"q": word, "include_past": "on"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "0 results for" in html
        assert f"policy {word}" not in html.lower()
        assert 'class="list-plain facet"' not in html


@pytest.mark.parametrize("role", list(MAY_READ))
def test_a_shared_word_counts_only_what_each_role_may_read(corpus, people, role):
    results = run(people[role], "neglect")
    assert results.total == len(MAY_READ[role])
    assert sum(facet.count for facet in results.facets["kind"]) == len(MAY_READ[role])
    assert sum(facet.count for facet in results.facets["year"]) == len(MAY_READ[role])
