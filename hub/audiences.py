"""Who may see what: audiences, and the one place that answers for them.

An audience says who may read a page or record: the public, partners and
staff, staff only, or the members of one panel (a Django group). Pages carry
their audience as a Wagtail view restriction, so Wagtail's own serving
enforces it; records carry it in two fields (see ``hub.models.AudienceMixin``).

Every list, feed, calendar, export and search filters through ``visible_to``
(a queryset, in the same query) or asks ``may_see`` (one object). Search
indexes audience keys and matches them against ``viewer(user).keys``: a record
is found by whoever holds any one of its keys. A record read through a page
carries ``narrow(own keys, restriction_keys(pages)[page.pk])``, so the view
restrictions on the page and its ancestors bound it as they bound the page.
"""

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from itertools import islice
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction

from hub import roles


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTNERS = "partners", "Partners and staff"
    STAFF = "staff", "Staff only"
    PANEL = "panel", "Members of a panel"


# The roles each audience admits. Panel audiences admit one panel's own group.
AUDIENCE_ROLES: dict[str, tuple[str, ...]] = {
    Audience.PARTNERS: (*roles.STAFF_ROLE_NAMES, roles.PARTNERS, roles.PANEL_MEMBERS),
    Audience.STAFF: roles.STAFF_ROLE_NAMES,
}

# Everyone signed in (and active) holds this key; a login-only view restriction admits it.
SIGNED_IN = "signed-in"
# The named keys, each admitting only people the one before it admits (the staff roles
# are among the partner roles), so "at least this level" is a comparison of positions.
LEVELS = (str(Audience.PUBLIC), SIGNED_IN, str(Audience.PARTNERS), str(Audience.STAFF))
# The levels a person can hold on top of their own groups.
_ROLE_LEVELS = (str(Audience.PARTNERS), str(Audience.STAFF))


@dataclass(frozen=True)
class Viewer:
    """What one person holds: the audience keys and groups that admit them."""

    is_authenticated: bool
    is_superuser: bool
    group_ids: frozenset[int]
    keys: frozenset[str]


def record_key(audience: str, group_id: int | None = None) -> str:
    """The key a record with this audience is indexed under."""
    if audience == Audience.PANEL:
        return f"group:{group_id}"
    return str(audience)


def viewer(user) -> Viewer:
    """The audiences ``user`` belongs to; worked out once per user object."""
    cached = getattr(user, "_hub_viewer", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        result = Viewer(
            is_authenticated=False,
            is_superuser=False,
            group_ids=frozenset(),
            keys=frozenset({str(Audience.PUBLIC)}),
        )
    else:
        groups = dict(user.groups.values_list("id", "name"))
        names = set(groups.values())
        levels = [
            str(audience)
            for audience, admitted in AUDIENCE_ROLES.items()
            if user.is_superuser or names.intersection(admitted)
        ]
        keys = {str(Audience.PUBLIC), SIGNED_IN, *levels}
        keys.update(f"group:{gid}" for gid in groups)
        # A record behind a restriction to one group and a level needs both at once.
        keys.update(f"group:{gid}@{level}" for gid in groups for level in levels)
        result = Viewer(
            is_authenticated=True,
            is_superuser=user.is_superuser,
            group_ids=frozenset(groups),
            keys=frozenset(keys),
        )
    if user is not None:
        user._hub_viewer = result
    return result


def visible_to(user, queryset: models.QuerySet) -> models.QuerySet:
    """Narrow ``queryset`` (pages or audience records) to what ``user`` may see."""
    if issubclass(queryset.model, Page):
        return _visible_pages(viewer(user), queryset)
    return queryset.filter(audience_condition(user))


def audience_condition(user) -> Q:
    """The records whose own audience fields (``AudienceMixin``) admit ``user``."""
    return _record_condition(viewer(user))


def may_see(user, obj) -> bool:
    """Whether ``user`` may see this page or audience record."""
    who = viewer(user)
    if who.is_superuser:
        return True
    if isinstance(obj, Page):
        return not _failing_restrictions(who).filter(page__path__in=_chain(obj.path)).exists()
    return record_key(obj.audience, obj.audience_group_id) in who.keys


def _chain(path: str) -> list[str]:
    """The paths of a page and its ancestors: its own path's leading steps."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _record_condition(who: Viewer) -> Q:
    if who.is_superuser:
        return Q()
    levels = sorted(who.keys & set(Audience.values))
    return Q(audience__in=levels) | Q(audience=Audience.PANEL, audience_group__in=who.group_ids)


def _failing_restrictions(who: Viewer) -> models.QuerySet:
    """View restrictions that do not admit this person."""
    failing = PageViewRestriction.objects.all()
    if who.is_authenticated:
        # Shared-password restrictions are switched off, so one left over never admits.
        failing = failing.exclude(restriction_type=PageViewRestriction.LOGIN).exclude(
            restriction_type=PageViewRestriction.GROUPS, groups__in=who.group_ids
        )
    return failing


def _visible_pages(who: Viewer, queryset: models.QuerySet) -> models.QuerySet:
    if who.is_superuser:
        return queryset
    depths = PageViewRestriction.objects.order_by().values_list("page__depth", flat=True)
    failing = _failing_restrictions(who)
    # A restriction covers its page's descendants, whose paths begin with its page's path.
    # Naming the ancestor at each restricted depth makes each test one lookup in the path
    # index, so the cost follows the pages listed, not pages times restrictions.
    restricted_ancestor = [
        Exists(failing.filter(page__path=Substr(OuterRef("path"), 1, depth * Page.steplen)))
        for depth in depths.distinct()
    ]
    if not restricted_ancestor:
        return queryset
    return queryset.exclude(reduce(operator.or_, restricted_ancestor))


PageT = TypeVar("PageT", bound=Page)
_SIGNED_IN = LEVELS.index(SIGNED_IN)


@dataclass(frozen=True)
class _Key:
    """An audience key's meaning: holding a group (or none) and at least a level."""

    group_id: int | None
    level: int  # a position in LEVELS

    def implies(self, other: "_Key") -> bool:
        """Whether everyone who holds this key also holds ``other``."""
        return other.group_id in (None, self.group_id) and self.level >= other.level

    def __str__(self) -> str:
        if self.group_id is None:
            return LEVELS[self.level]
        if self.level <= _SIGNED_IN:
            return f"group:{self.group_id}"
        return f"group:{self.group_id}@{LEVELS[self.level]}"


_EVERYONE = frozenset({_Key(None, LEVELS.index(Audience.PUBLIC))})


def _parse(key: str) -> _Key | None:
    """What ``key`` means; None for a key ``viewer`` never gives anyone."""
    if key in LEVELS:
        return _Key(None, LEVELS.index(key))
    group, _, level = key.removeprefix("group:").partition("@")
    if not key.startswith("group:") or not group.isdigit():
        return None
    if not level:
        return _Key(int(group), _SIGNED_IN)
    return _Key(int(group), LEVELS.index(level)) if level in _ROLE_LEVELS else None


def _both(first: _Key, second: _Key) -> _Key | None:
    """A key held only by people who hold both; None when two groups would be needed."""
    if None not in (first.group_id, second.group_id) and first.group_id != second.group_id:
        return None
    group_id = first.group_id if first.group_id is not None else second.group_id
    return _Key(group_id, max(first.level, second.level))


def _fewest(keys: Iterable[_Key]) -> frozenset[_Key]:
    """The same people admitted, without keys whose holders another key admits already."""
    keys = set(keys)
    return frozenset(
        key for key in keys if not any(other != key and key.implies(other) for other in keys)
    )


def _all_of(first: Iterable[_Key], second: Iterable[_Key]) -> frozenset[_Key]:
    second = list(second)
    return _fewest(
        both for one in first for other in second if (both := _both(one, other)) is not None
    )


def narrow(record_keys: Iterable[str], admitted: Iterable[str]) -> frozenset[str]:
    """The keys of a record with ``record_keys`` read through a page that admits ``admitted``.

    Whoever holds a key of the answer holds one of each set. A person who would
    need two different groups at once is left out: keys say "any one of these",
    so search then shows less than the page, never more.
    """
    own = [key for key in map(_parse, record_keys) if key is not None]
    page = [key for key in map(_parse, admitted) if key is not None]
    return frozenset(map(str, _all_of(own, page)))


def restriction_keys(pages: Iterable[Page]) -> dict[int, frozenset[str]]:
    """For each page (by id), the keys admitted by its view restrictions and its ancestors'.

    Two queries for the whole batch. A reader passes only if every restriction on
    the way down admits them, so the restrictions combine as ``narrow`` combines
    keys; a page without restrictions gives ``{"public"}``.
    """
    chains = {page.pk: _chain(page.path) for page in pages}
    if not chains:
        return {}
    restrictions: dict[int, tuple[str, str, set[int]]] = {}
    rows = PageViewRestriction.objects.filter(
        page__path__in=set().union(*chains.values())
    ).values_list("pk", "page__path", "restriction_type", "groups")
    for pk, path, kind, group_id in rows:
        groups = restrictions.setdefault(pk, (path, kind, set()))[2]
        if group_id is not None:
            groups.add(group_id)
    needs_levels = any(kind == PageViewRestriction.GROUPS for _, kind, _ in restrictions.values())
    level_groups = _level_groups() if needs_levels else {}
    on_path: dict[str, list[frozenset[_Key]]] = {}
    for path, kind, groups in restrictions.values():
        on_path.setdefault(path, []).append(_admitted_by(kind, frozenset(groups), level_groups))
    admitted = {}
    for page_id, chain in chains.items():
        keys = _EVERYONE
        for path in chain:
            for restriction in on_path.get(path, ()):
                keys = _all_of(keys, restriction)
        admitted[page_id] = frozenset(map(str, keys))
    return admitted


def with_restriction_keys(
    pages: Iterable[PageT], batch_size: int = 200
) -> Iterator[tuple[PageT, frozenset[str]]]:
    """Each page with its ``restriction_keys``, read a batch of pages at a time."""
    iterator = iter(pages)
    while batch := list(islice(iterator, batch_size)):
        admitted = restriction_keys(batch)
        for page in batch:
            yield page, admitted[page.pk]


def _level_groups() -> dict[str, frozenset[int]]:
    """The groups of each level whose role groups all exist.

    While a role group is missing, a level's key would also admit the people of
    that group once someone creates it, whom the restriction does not name.
    """
    names = {name for admitted in AUDIENCE_ROLES.values() for name in admitted}
    ids = dict(Group.objects.filter(name__in=names).values_list("name", "pk"))
    return {
        str(level): frozenset(ids[name] for name in admitted)
        for level, admitted in AUDIENCE_ROLES.items()
        if all(name in ids for name in admitted)
    }


def _admitted_by(kind: str, group_ids: frozenset[int], level_groups) -> frozenset[_Key]:
    """The keys one restriction admits."""
    if kind == PageViewRestriction.LOGIN:
        return frozenset({_Key(None, _SIGNED_IN)})
    if kind != PageViewRestriction.GROUPS:
        # Shared passwords are switched off, so such a restriction admits nobody (as in may_see).
        return frozenset()
    levels = [level for level, ids in level_groups.items() if ids <= group_ids]
    # Everyone in a level's groups holds the level's key, so the level alone says it.
    covered = set().union(*(level_groups[level] for level in levels))
    keys = {_Key(None, LEVELS.index(level)) for level in levels}
    keys.update(_Key(group_id, _SIGNED_IN) for group_id in group_ids - covered)
    return _fewest(keys)


def groups_for(audience: str, panel_group: Group | None = None) -> list[Group]:
    """The groups a page restriction for ``audience`` admits."""
    if audience == Audience.PUBLIC:
        return []
    if audience == Audience.PANEL:
        if panel_group is None:
            raise ValueError("A panel audience needs the panel's group.")
        return [panel_group]
    return list(Group.objects.filter(name__in=AUDIENCE_ROLES[audience]).order_by("name"))


def set_page_audience(*, page: Page, audience: str, panel_group: Group | None = None) -> None:
    """Make ``page`` (and the pages beneath it) visible to ``audience`` only."""
    restrict(
        PageViewRestriction.objects.filter(page=page),
        PageViewRestriction(page=page),
        groups_for(audience, panel_group),
    )


def restrict(existing: models.QuerySet, new, admitted: list[Group]) -> None:
    """Leave one view restriction of ``existing`` (or ``new``), admitting ``admitted`` only.

    No groups means no restriction: the page or collection is public.
    """
    if not admitted:
        existing.delete()
        return
    restriction = existing.first() or new
    restriction.restriction_type = restriction.GROUPS
    restriction.save()
    existing.exclude(pk=restriction.pk).delete()
    restriction.groups.set(admitted)


def readers(obj) -> models.QuerySet:
    """The active people who may see this page or audience record: ``may_see`` as a query.

    It is what decides who is told about ``obj``: a notice never reaches
    anyone the page itself would turn away.
    """
    if isinstance(obj, Page):
        keys = restriction_keys([obj])[obj.pk]
    else:
        keys = {record_key(obj.audience, obj.audience_group_id)}
    return holders(keys)


def holders(keys: Iterable[str]) -> models.QuerySet:
    """The active people who hold at least one of ``keys``."""
    people = get_user_model().objects.filter(is_active=True)
    memberships = people.model.groups.through.objects.filter(user=OuterRef("pk"))
    condition = Q(is_superuser=True)
    for key in filter(None, map(_parse, keys)):
        held = []
        if key.group_id is not None:
            held.append(Exists(memberships.filter(group_id=key.group_id)))
        if key.level > _SIGNED_IN:
            role_names = AUDIENCE_ROLES[LEVELS[key.level]]
            held.append(Exists(memberships.filter(group__name__in=role_names)))
        if not held:  # public, or anyone signed in
            return people
        condition |= reduce(operator.and_, held)
    return people.filter(condition)
