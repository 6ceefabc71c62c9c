"""The roles people hold in the Hub, as Django groups with Wagtail permissions.

A role is a group. Its page permissions are granted on sections of the site,
named by page type: policy roles on the policy library, never the whole tree.
A panel's own pages are edited through the panel's own groups
(``panels.services.ensure_panel_groups``), and role permissions reach inside a
panel only for the panel's own members (``hub.admin_access``). Document
permissions are granted on the audience collections (``hub.collections``).

``ensure_roles`` makes the groups hold exactly what is declared here; it is
idempotent, so the demo loader, ``manage.py setup_site`` and every deployment
can run it. ``grant_section`` gives the roles their permissions on a section
page created later.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

STAFF = "Staff"
PARTNERS = "Partner agencies"
PANEL_MEMBERS = "Panel members"
PANEL_SECRETARIES = "Panel secretaries"
POLICY_EDITORS = "Policy editors"
APPROVERS = "Approvers"
ADMINISTRATORS = "Administrators"

# Sections of the site, by the page type at their top (lazy labels: hub imports no domain app).
SITE = "hub.homepage"
POLICY_LIBRARY = "policies.policyindexpage"
PANELS = "panels.panelindexpage"


@dataclass(frozen=True)
class Role:
    """A group of people and what the Hub lets them do."""

    name: str
    description: str
    is_staff: bool
    # (section, page permission types) pairs.
    page_permissions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Granted on each audience collection.
    collection_permissions: tuple[str, ...] = ()
    model_permissions: tuple[str, ...] = ()


DOCUMENT_PERMISSIONS = (
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
_ACTIONS = ("panels.add_action", "panels.change_action", "panels.view_action")
_IMAGES = ("wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image")
# Heads of service and the chair manage the improvement plan's records.
_PLAN = tuple(
    f"improvement.{action}_{model}"
    for model in ("focusarea", "milestone", "risk", "inspection")
    for action in ("add", "change", "view")
)

ROLES: tuple[Role, ...] = (
    Role(STAFF, "Council children's services staff: read staff and partner material.", True),
    Role(PARTNERS, "Partner agencies (police, health, schools, voluntary sector).", False),
    Role(PANEL_MEMBERS, "Members of one or more panels; each panel also has its own group.", False),
    # Secretaries edit pages only under their own panels, through each panel's
    # secretaries group, and upload to their panels' collections the same way.
    Role(
        PANEL_SECRETARIES,
        "Record meetings, minutes, decisions and actions of their own panels.",
        True,
        collection_permissions=DOCUMENT_PERMISSIONS,
        model_permissions=("wagtailadmin.access_admin", *_ACTIONS),
    ),
    Role(
        POLICY_EDITORS,
        "Draft policies and submit them for approval.",
        True,
        page_permissions=((POLICY_LIBRARY, ("add", "change", "lock")),),
        collection_permissions=DOCUMENT_PERMISSIONS + _IMAGES,
        model_permissions=("wagtailadmin.access_admin",),
    ),
    # Approvers sign off minutes through the "Minutes approval" workflow, which
    # publishes; only minutes of panels they sit on open to them.
    Role(
        APPROVERS,
        "Approve and publish policies, and the minutes of the panels they sit on.",
        True,
        page_permissions=(
            (POLICY_LIBRARY, ("add", "change", "publish", "lock")),
            (PANELS, ("publish",)),
        ),
        collection_permissions=DOCUMENT_PERMISSIONS + _IMAGES,
        model_permissions=("wagtailadmin.access_admin", *_ACTIONS, *_PLAN),
    ),
    # Roles and their permissions are defined here, so Administrators see groups but
    # do not change them; only superusers grant or change superuser accounts.
    Role(
        ADMINISTRATORS,
        "Run the site: people, settings and everything editors can do, and the panels they sit on.",
        True,
        page_permissions=((SITE, ("add", "change", "publish", "bulk_delete", "lock", "unlock")),),
        collection_permissions=(
            *DOCUMENT_PERMISSIONS,
            "wagtaildocs.delete_document",
            *_IMAGES,
            "wagtailimages.delete_image",
        ),
        model_permissions=(
            "wagtailadmin.access_admin",
            *_ACTIONS,
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "auth.view_group",
            "hub.add_agency",
            "hub.change_agency",
            "hub.view_agency",
            "hub.change_hubsettings",
            "hub.view_notice",
            "hub.resend_notice",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            *_PLAN,
        ),
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)
STAFF_ROLE_NAMES = tuple(role.name for role in ROLES if role.is_staff)


def permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def permissions(dotted_names: Iterable[str]) -> dict[str, Permission]:
    """The permissions named ``app_label.codename``, by name, read in one query."""
    wanted = set(dotted_names)
    pairs = [name.split(".") for name in wanted]
    found = {
        f"{found.content_type.app_label}.{found.codename}": found
        for found in Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in pairs},
            codename__in={codename for _, codename in pairs},
        ).select_related("content_type")
    }
    missing = wanted - set(found)
    if missing:
        raise Permission.DoesNotExist(f"No permission named {', '.join(sorted(missing))}.")
    return {name: found[name] for name in wanted}


def hold_grants(model, *, group: Group, on: str, wanted: set[tuple[int, int]], only=True) -> None:
    """Give ``group`` each (``on`` id, permission id) in ``wanted`` as a ``model`` grant.

    What it holds is read once and only the grants missing are added; with
    ``only``, its other grants of this kind are taken away.
    """
    granted = model.objects.filter(group=group)
    held = {(getattr(grant, f"{on}_id"), grant.permission_id): grant.pk for grant in granted}
    model.objects.bulk_create(
        model(group=group, permission_id=permission_id, **{f"{on}_id": target_id})
        for target_id, permission_id in sorted(wanted - set(held))
    )
    if only:
        granted.filter(pk__in=[pk for key, pk in held.items() if key not in wanted]).delete()


def _page_permission_name(permission_type: str) -> str:
    return f"wagtailcore.{permission_type}_page"


def _sections(label: str) -> list[Page]:
    """The pages heading sections of type ``label``; none while the app has made none."""
    app_label, model = label.split(".")
    return list(Page.objects.filter(content_type__app_label=app_label, content_type__model=model))


def _section_label(page: Page) -> str:
    content_type = ContentType.objects.get_for_id(page.content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def grant_section(*, page: Page) -> None:
    """Give each role the permissions it holds on sections of ``page``'s type."""
    label = _section_label(page)
    for role in ROLES:
        permission_types = dict(role.page_permissions).get(label, ())
        if permission_types:
            group, _ = Group.objects.get_or_create(name=role.name)
            for permission_type in permission_types:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=page,
                    permission=permission(_page_permission_name(permission_type)),
                )


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create every role's group holding exactly its declared permissions; safe to run again.

    Document permissions come with the audience collections
    (``hub.collections.ensure_audience_collections``).
    """
    named = permissions(
        [
            *(dotted for role in ROLES for dotted in role.model_permissions),
            *(
                _page_permission_name(permission_type)
                for role in ROLES
                for _, permission_types in role.page_permissions
                for permission_type in permission_types
            ),
        ]
    )
    sections = {label: _sections(label) for role in ROLES for label, _ in role.page_permissions}
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set([named[dotted] for dotted in role.model_permissions])
        wanted = {
            (page.pk, named[_page_permission_name(permission_type)].pk)
            for label, permission_types in role.page_permissions
            for page in sections[label]
            for permission_type in permission_types
        }
        hold_grants(GroupPagePermission, group=group, on="page", wanted=wanted)
        groups[role.name] = group
    return groups
