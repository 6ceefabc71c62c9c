"""The engine the site searches with: Elasticsearch when configured, else the database."""

from functools import lru_cache

from django.conf import settings

from search.engines.base import SearchEngine
from search.engines.database import DatabaseEngine


def get_engine() -> SearchEngine:
    if settings.ELASTICSEARCH_URL:
        return elasticsearch_engine(settings.ELASTICSEARCH_URL)
    return DatabaseEngine()


@lru_cache(maxsize=4)
def elasticsearch_engine(url: str) -> SearchEngine:
    """One client per server address, reused across requests."""
    from search.engines.elasticsearch import ElasticsearchEngine

    return ElasticsearchEngine(url)
