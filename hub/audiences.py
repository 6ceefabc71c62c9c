"""Who may see what: audiences, and the one place that answers for them.

An audience says who may read a page or record: the public, partners and
staff, staff only, or the members of one panel (a Django group). Pages carry
their audience as a Wagtail view restriction, so Wagtail's own serving
enforces it; records carry it in two fields (see ``hub.models.AudienceMixin``).

Every list, feed, calendar, export and search filters through ``visible_to``
(a queryset, in the same query) or asks ``may_see`` (one object). Search
indexes ``record_key`` and matches it against ``viewer_keys``.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
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
        keys = {str(Audience.PUBLIC)} | {f"group:{gid}" for gid in groups}
        for audience, admitted in AUDIENCE_ROLES.items():
            if user.is_superuser or names.intersection(admitted):
                keys.add(str(audience))
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
    return queryset.filter(_record_condition(viewer(user)))


def may_see(user, obj) -> bool:
    """Whether ``user`` may see this page or audience record."""
    who = viewer(user)
    if who.is_superuser:
        return True
    if isinstance(obj, Page):
        # The page's own path and its ancestors' are its path's leading steps.
        paths = [obj.path[:end] for end in range(Page.steplen, len(obj.path) + 1, Page.steplen)]
        return not _failing_restrictions(who).filter(page__path__in=paths).exists()
    return record_key(obj.audience, obj.audience_group_id) in who.keys


def _record_condition(who: Viewer) -> Q:
    if who.is_superuser:
        return Q()
    levels = [key for key in who.keys if not key.startswith("group:")]
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
    # A restriction on a page covers its descendants: their paths start with its path.
    on_self_or_ancestor = _failing_restrictions(who).filter(
        page__depth__lte=OuterRef("depth"),
        page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen),
    )
    return queryset.exclude(Exists(on_self_or_ancestor))


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
    admitted = groups_for(audience, panel_group)
    existing = PageViewRestriction.objects.filter(page=page)
    if not admitted:
        existing.delete()
        return
    restriction = existing.first() or PageViewRestriction(page=page)
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    existing.exclude(pk=restriction.pk).delete()
    restriction.groups.set(admitted)
