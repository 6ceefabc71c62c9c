"""Where search records come from: each domain app's ``search_records()`` function.

A new app adds its function's dotted path here (or a site sets
``SEARCH_RECORD_SOURCES``); nothing else in the search app changes.

The decision register also names the policy versions each decision approved,
read when the page is shown rather than kept in the records: who may read a
policy is its page's to say, and changes with every publish of the policy. The
app that keeps decisions answers for them (``SEARCH_DECISION_APPROVALS``).
"""

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils.module_loading import import_string

from hub.search_types import SearchDocument

DEFAULT_SOURCES = (
    "policies.search_records.search_records",
    "panels.search_records.search_records",
    "improvement.search_records.search_records",
)

DEFAULT_DECISION_APPROVALS = "panels.search_records.approved_versions"

Source = Callable[[Iterable[str] | None], Iterable[SearchDocument]]


def sources() -> list[Source]:
    return [
        import_string(path) for path in getattr(settings, "SEARCH_RECORD_SOURCES", DEFAULT_SOURCES)
    ]


def documents(owners: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Every source's records for ``owners``, or all their records when None."""
    owners = None if owners is None else list(owners)
    for source in sources():
        yield from source(owners)


def decision_approvals(keys: Iterable[str], *, user, request=None) -> dict[str, list[dict]]:
    """For the decision records among ``keys``, the policy versions each approved that
    ``user`` may read (``{"text", "url"}``), by record key."""
    path = getattr(settings, "SEARCH_DECISION_APPROVALS", DEFAULT_DECISION_APPROVALS)
    return import_string(path)(list(keys), user=user, request=request)
