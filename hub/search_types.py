"""What a domain app hands the search app: plain records, so no domain app imports ``search``.

Each domain app exposes ``search_records(owners=None)`` yielding ``SearchDocument``
values. An *owner* names the thing records come from (``"page:12"``,
``"action:7"``): when it changes, the search app throws away that owner's records
and asks every source for the owner's records again. A source ignores owners it
does not know, so new sources need no change anywhere else.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.audiences import Audience, narrow, record_key


@dataclass(frozen=True)
class SearchDocument:
    """One thing a person can find: what it says, where it lives and who may see it."""

    key: str
    owner: str
    kind: str
    title: str
    text: str
    url: str
    audience_keys: frozenset[str]
    date: datetime.date | None = None
    policy_kind: str = ""
    panel: str = ""
    status: str = ""
    milestones: tuple[str, ...] = field(default_factory=tuple)
    # Past versions and other superseded records are found only on request.
    current: bool = True


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
