"""A small library of policies, one audience each, searched through every engine available.

The behavioural tests take the ``engine`` fixture, so the same suite runs on
SQLite or PostgreSQL (whichever DATABASE_URL names) and on Elasticsearch when
ELASTICSEARCH_URL names a server.
"""

import datetime
import os
import uuid

import pytest
from django.db import connection

from hub import changes
from hub.audiences import Audience
from hub.models import GlossaryTerm
from search import indexing
from search.engines import get_engine
from search.engines.base import SearchFilters, SearchRequest
from search.query import load_glossary, parse
from search.selectors import audience_keys
from tests.panels import conftest as panel_fixtures
from tests.policies import conftest as policy_fixtures
from tests.policies.conftest import body, publish

# The policy library's fixtures, shared rather than copied.
library = policy_fixtures.library
owner = policy_fixtures.owner
approver_person = policy_fixtures.approver_person
make_policy = policy_fixtures.make_policy
# And the panels', for minutes, decisions and actions.
index = panel_fixtures.index
masp = panel_fixtures.masp
crp = panel_fixtures.crp
raise_one = panel_fixtures.raise_one

ENGINES = ["sqlite", "postgresql", "elasticsearch"]

# Words that appear in one audience's records only.
ONLY_FOR = {
    Audience.PUBLIC: "lighthouse",
    Audience.PARTNERS: "quokka",
    Audience.STAFF: "zebrafinch",
    Audience.PANEL: "axolotl",
}


def use_engine(settings, name: str, *, url: str = "") -> None:
    """Search with the engine ``name``; for Elasticsearch, the server at ``url``."""
    settings.SEARCH_ENGINE = name
    if url:
        settings.SEARCH_ENGINES = {
            **settings.SEARCH_ENGINES,
            name: {**settings.SEARCH_ENGINES[name], "OPTIONS": {"url": url}},
        }


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    """The engine under test, with everything indexed afresh after each test's content."""
    name = request.param
    if name == "elasticsearch":
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("Elasticsearch tests run when ELASTICSEARCH_URL names a server")
        use_engine(settings, "elasticsearch", url=url)
        settings.SEARCH_ELASTICSEARCH_ALIAS = f"hub-search-test-{uuid.uuid4().hex[:8]}"
        yield name
        engine = get_engine()
        engine.client.indices.delete(index=f"{settings.SEARCH_ELASTICSEARCH_ALIAS}-*")
        return
    if connection.vendor != name:
        pytest.skip(f"{name} tests run when DATABASE_URL points to {name}")
    use_engine(settings, "database")
    yield name


@pytest.fixture
def glossary(db):
    for term, expansion, synonyms in [
        ("CIN", "Child in Need", "section 17, children in need"),
        ("LAC", "Looked After Children", "children in care"),
        ("CAF", "Common Assessment Framework", "early help assessment"),
    ]:
        GlossaryTerm.objects.create(term=term, expansion=expansion, synonyms=synonyms)


@pytest.fixture
def corpus(engine, glossary, make_policy, panel_group, approver_person):
    """One policy per audience, a second version of the public one, all indexed."""
    policies = {
        audience: make_policy(
            title=f"{label} policy {ONLY_FOR[audience]}",
            audience=audience,
            audience_group=panel_group if audience == Audience.PANEL else None,
            text=f"Neglect is assessed early. The word {ONLY_FOR[audience]} lives here."
            + (" The ocelot paragraph." if audience == Audience.PUBLIC else ""),
        )
        for audience, label in [
            (Audience.PUBLIC, "Public"),
            (Audience.PARTNERS, "Partners"),
            (Audience.STAFF, "Staff"),
            (Audience.PANEL, "Panel"),
        ]
    }
    public = policies[Audience.PUBLIC]
    public.body = body("A Child in Need plan; neglect is assessed early. Lighthouse.")
    policies[Audience.PUBLIC] = publish(
        public,
        by=approver_person,
        note="The ocelot paragraph was replaced.",
        effective=datetime.date(2015, 3, 1),
    )
    reindex()
    return policies


def reindex() -> None:
    """Make sure the engine holds what the tests just wrote (a real rebuild, no shortcut)."""
    indexing.rebuild()


def run(user, text: str = "", **filters):
    """Search as ``user`` through the configured engine, as the page does."""
    changes.settle()
    request = SearchRequest(
        query=parse(text, load_glossary()),
        audience_keys=audience_keys(user),
        filters=SearchFilters.of(**filters),
    )
    return get_engine().search(request)
