"""The engine the site searches with: the one ``SEARCH_ENGINE`` names in ``SEARCH_ENGINES``."""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from search.engines.base import SearchEngine


def get_engine() -> SearchEngine:
    """The configured engine, made once for each configuration (a client per server)."""
    config = settings.SEARCH_ENGINES.get(settings.SEARCH_ENGINE)
    if config is None:
        raise ImproperlyConfigured(
            f"SEARCH_ENGINE names {settings.SEARCH_ENGINE!r}, which SEARCH_ENGINES does not "
            f"define; it defines {', '.join(sorted(settings.SEARCH_ENGINES))}."
        )
    return _engine(config["CLASS"], tuple(sorted(config.get("OPTIONS", {}).items())))


@lru_cache(maxsize=8)
def _engine(path: str, options: tuple) -> SearchEngine:
    return import_string(path)(**dict(options))
