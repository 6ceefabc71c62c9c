"""Search's part in the site's health check: the configured engine answers."""

from wagtail import hooks

from hub.health import HEALTH_HOOK
from search.engines import get_engine


@hooks.register(HEALTH_HOOK)
def search_engine():
    return ("search", lambda: get_engine().health())
