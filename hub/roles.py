"""The roles people hold in the Hub, as Django groups with Wagtail permissions.

A role is a group. ``ensure_roles`` creates the groups and grants their
permissions; it is idempotent, so the demo loader, the ``setup_roles``
command and a fresh deployment can all call it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

STAFF = "Staff"
PARTNERS = "Partner agencies"
PANEL_MEMBERS = "Panel members"
PANEL_SECRETARIES = "Panel secretaries"
POLICY_EDITORS = "Policy editors"
APPROVERS = "Approvers"
ADMINISTRATORS = "Administrators"


@dataclass(frozen=True)
class Role:
    """A group of people and what the Hub lets them do."""

    name: str
    description: str
    is_staff: bool
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()
    model_permissions: tuple[str, ...] = ()


_DOCUMENTS = (
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
_ACTIONS = ("panels.add_action", "panels.change_action", "panels.view_action")
_IMAGES = ("wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image")
# Heads of service and the chair manage the improvement plan's records.
_PLAN = tuple(
    f"improvement.{action}_{model}"
    for model in ("focusarea", "milestone", "risk")
    for action in ("add", "change", "view")
)

ROLES: tuple[Role, ...] = (
    Role(STAFF, "Council children's services staff: read staff and partner material.", True),
    Role(PARTNERS, "Partner agencies (police, health, schools, voluntary sector).", False),
    Role(PANEL_MEMBERS, "Members of one or more panels; each panel also has its own group.", False),
    # Secretaries edit pages only under their own panels, through each panel's
    # secretaries group (see panels.services.sync_panel_groups).
    Role(
        PANEL_SECRETARIES,
        "Record meetings, minutes, decisions and actions of their own panels.",
        True,
        collection_permissions=_DOCUMENTS,
        model_permissions=("wagtailadmin.access_admin", *_ACTIONS),
    ),
    Role(
        POLICY_EDITORS,
        "Draft policies and submit them for approval.",
        True,
        page_permissions=("add", "change", "lock"),
        collection_permissions=_DOCUMENTS + _IMAGES,
        model_permissions=("wagtailadmin.access_admin",),
    ),
    Role(
        APPROVERS,
        "Approve and publish policies and minutes.",
        True,
        page_permissions=("add", "change", "publish", "lock"),
        collection_permissions=_DOCUMENTS + _IMAGES,
        model_permissions=("wagtailadmin.access_admin", *_ACTIONS, *_PLAN),
    ),
    Role(
        ADMINISTRATORS,
        "Run the site: people, roles, settings and everything editors can do.",
        True,
        page_permissions=("add", "change", "publish", "bulk_delete", "lock", "unlock"),
        collection_permissions=(
            *_DOCUMENTS,
            "wagtaildocs.delete_document",
            *_IMAGES,
            "wagtailimages.delete_image",
            "wagtailcore.add_collection",
            "wagtailcore.change_collection",
        ),
        model_permissions=(
            "wagtailadmin.access_admin",
            *_ACTIONS,
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "auth.change_group",
            "auth.view_group",
            "hub.change_hubsettings",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            *_PLAN,
        ),
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)
STAFF_ROLE_NAMES = tuple(role.name for role in ROLES if role.is_staff)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_roles(*, root_page: Page | None = None) -> dict[str, Group]:
    """Create every role's group and grant its permissions; safe to run again.

    Page permissions are granted on ``root_page`` (the site's home page by
    default), so they reach every page of the site beneath it.
    """
    root_page = root_page or Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        for permission_type in role.page_permissions:
            permission = _permission(f"wagtailcore.{permission_type}_page")
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
        for dotted in role.collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(dotted)
            )
        group.permissions.add(*(_permission(dotted) for dotted in role.model_permissions))
        groups[role.name] = group
    return groups
