"""What a domain app hands the search app: plain records, so no domain app imports ``search``.

Each domain app exposes ``search_records(owners=None)`` yielding ``SearchDocument``
values. An *owner* names the thing records come from (``"page:12"``,
``"action:7"``): when it changes, the search app throws away that owner's records
and asks every source for the owner's records again. A source ignores owners it
does not know, so new sources need no change anywhere else.

Facets, the ways a reader narrows a search, are declared once in ``FACETS``:
the records table, the search form, the filters and every engine take theirs
from it, and a source gives each record's values in ``SearchDocument.facets``.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from hub.audiences import Audience, narrow, record_key


@dataclass(frozen=True)
class Facet:
    """A way to narrow a search: its name in addresses, its heading and what its values are.

    A value is a short text unless ``number`` (kept, filtered and offered as a
    whole number, highest first) or ``many`` (a record holds several names, each
    on one line). ``on_hits`` facets are shown beside every result that has one.
    A facet with ``read`` takes its value from the document itself rather than
    from the source's ``facets``.
    """

    name: str
    heading: str
    number: bool = False
    many: bool = False
    on_hits: bool = False
    max_length: int = 200
    read: Callable[["SearchDocument"], object] | None = None

    def value_of(self, document: "SearchDocument"):
        """The document's value: a tuple of names for ``many``, None or a number, or text."""
        if self.read is not None:
            return self.read(document)
        value = document.facets.get(self.name)
        if self.many:
            return tuple(value or ())
        if self.number:
            return value
        return value or ""


FACETS = (
    Facet("kind", "Kind", max_length=60, read=lambda document: document.kind),
    Facet("policy_kind", "Policy kind", max_length=100, on_hits=True),
    Facet("panel", "Panel", on_hits=True),
    Facet(
        "year",
        "Year",
        number=True,
        read=lambda document: document.date.year if document.date else None,
    ),
    Facet("status", "Status", max_length=60, on_hits=True),
    Facet("milestone", "Milestone", many=True),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}

# The kind of record an attached file's text is found by. Its text has a page break
# between the file's pages, so a result can say on which page its words were found.
ATTACHMENT_KIND = "Attached document"
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class SearchDocument:
    """One thing a person can find: what it says, where it lives and who may see it.

    ``facets`` holds its values of the facets a source gives, by facet name; a
    facet it leaves out has no value for it.
    """

    key: str
    owner: str
    kind: str
    title: str
    text: str
    url: str
    audience_keys: frozenset[str]
    date: datetime.date | None = None
    facets: Mapping[str, object] = field(default_factory=dict)
    # Past versions and other superseded records are found only on request.
    current: bool = True

    def __post_init__(self):
        given = set(self.facets)
        unknown = given - {facet.name for facet in FACETS if facet.read is None}
        if unknown:
            raise ValueError(
                f"Search record {self.key} gives {', '.join(sorted(unknown))}, which no facet "
                "in hub.search_types.FACETS takes from a source."
            )


def page_owner(page_id: int) -> str:
    """The owner name of the records a page produces."""
    return f"page:{page_id}"


def page_ids(owners: Iterable[str] | None) -> list[int] | None:
    """The page ids among ``owners``; None means every page."""
    if owners is None:
        return None
    prefix = "page:"
    return [int(owner[len(prefix) :]) for owner in owners if owner.startswith(prefix)]


def milestone_names(record_keys: Iterable[str], milestones: Iterable) -> tuple[str, ...]:
    """Names of the ``milestones`` every reader a record's keys admit may also see.

    A record names its milestones for the milestone facet, which shows their
    titles; a milestone kept from some of the record's readers is left out.
    """
    readers = narrow(record_keys, {Audience.PUBLIC})
    return tuple(
        str(milestone)
        for milestone in milestones
        if narrow(record_keys, {record_key(milestone.audience, milestone.audience_group_id)})
        == readers
    )
